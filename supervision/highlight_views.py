"""Pages of the highlights for publication.

/supervision/highlights/ (the list, scoped to the highlights of records the reader reads; filtered
by status and area), /supervision/highlights/new/?case=<id> (or act=, project=, facility=: write one
about that record; without a record, choose one), /supervision/highlights/<id>/ (the texts as they
read now in the three languages, the refusal's reasons, approve and withdraw),
/supervision/highlights/<id>/change/ (a draft's or a withdrawn one's texts), and
/supervision/highlights/preview/ (htmx: the texts rendered with the record's numbers, their
problems and the personal data found, nothing saved).

Body officers, citizens and partners get 403. A highlight (or a record) outside the reader's
scope: 404 on a page that reads it, 403 on one that writes (issue 17: "a change by an office outside
the record's scope: 403").
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import get_in_scope_or_404
from lib.metrics import Area

from . import highlights as rules
from .highlight_forms import HighlightForm
from .models import Highlight, HighlightEvent
from .pages import choice
from .services import highlights as services

PAGE_SIZE = 25
CHOOSER_SIZE = 50
RECORD_LABELS = {
    "case": Highlight._meta.get_field("case").related_model._meta.verbose_name,
    "act": Highlight._meta.get_field("act").related_model._meta.verbose_name,
    "project": Highlight._meta.get_field("project").related_model._meta.verbose_name,
    "facility": Highlight._meta.get_field("facility").related_model._meta.verbose_name,
}


def _require_reader(user) -> None:
    if not rules.reads_highlights(user):
        raise PermissionDenied


def _visible(request, pk: int) -> Highlight:
    _require_reader(request.user)
    related = Highlight.objects.select_related(*rules.RECORD_FIELDS, "office", "created_by", "approved_by")
    return get_in_scope_or_404(request, related.filter(pk__in=rules.visible_highlights(request.user)), pk=pk)


def _writable(request, pk: int) -> Highlight:
    """A highlight the user may write about: 403 when it exists outside their scope."""
    _require_reader(request.user)
    highlight = Highlight.objects.select_related(*rules.RECORD_FIELDS).filter(pk=pk).first()
    if highlight is None:
        raise Http404
    if not rules.visible_highlights(request.user).filter(pk=pk).exists():
        raise PermissionDenied
    return highlight


def _record_from(request, data) -> tuple[str, object] | None:
    """The record named by `?case=<id>` (or act, project, facility): 404 when there is none, 403
    when the user may not write about it."""
    for kind, model in rules.RECORD_MODELS.items():
        value = data.get(kind, "")
        if value:
            if not str(value).isdigit():
                raise Http404
            record = model.objects.filter(pk=int(value)).first()
            if record is None:
                raise Http404
            if not rules.may_write(request.user, record):
                raise PermissionDenied
            return kind, record
    return None


def _language(request) -> str:
    language = (getattr(request, "LANGUAGE_CODE", "") or "ru")[:2]
    return language if language in rules.LANGUAGES else "ru"


def _side(record, request) -> dict:
    """What the form shows beside the texts: the record's placeholders with their values now."""
    return {
        "record": record,
        "record_kind": rules.record_kind(record),
        "record_label": RECORD_LABELS[rules.record_kind(record)],
        "bound": rules.bound_values(record, _language(request)),
        "minor": rules.concerns_minor(record),
    }


# --- the list ----------------------------------------------------------------------------------


@login_required
@require_GET
def highlight_list(request):
    user = request.user
    _require_reader(user)
    selected_status = choice(request.GET.get("status", ""), Highlight.Status.values)
    selected_area = choice(request.GET.get("area", ""), Area.values)
    found = rules.visible_highlights(user).select_related(*rules.RECORD_FIELDS, "office")
    if selected_status:
        found = found.filter(status=selected_status)
    if selected_area:
        found = found.filter(area=selected_area)
    page = Paginator(found.order_by("-on", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "query": query.urlencode(),
        "statuses": Highlight.Status.choices,
        "areas": Area.choices,
        "selected_status": selected_status,
        "selected_area": selected_area,
        "can_write": rules.may_write_any(user),
    }
    if request.headers.get("HX-Request"):
        return render(request, "supervision/highlight_list_partial.html", context)
    return render(request, "supervision/highlight_list.html", context)


# --- writing -----------------------------------------------------------------------------------


def _chooser(user) -> list[tuple[str, str, list]]:
    """The records the user may write about, newest first, a few of each kind."""
    return [
        (kind, RECORD_LABELS[kind], list(model.objects.for_user(user).order_by("-pk")[:CHOOSER_SIZE]))
        for kind, model in rules.RECORD_MODELS.items()
    ]


@login_required
def highlight_new(request):
    user = request.user
    _require_reader(user)
    if not rules.may_write_any(user):
        raise PermissionDenied
    named = _record_from(request, request.GET)
    if named is None:
        return render(request, "supervision/highlight_choose.html", {"kinds": _chooser(user)})
    _kind, record = named
    if request.method == "POST":
        form = HighlightForm(request.POST)
        if form.is_valid():
            try:
                highlight = services.highlight_write(actor=user, record=record, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The highlight is saved as a draft: a prosecutor approves it."))
                return redirect("supervision:highlight", pk=highlight.pk)
    else:
        form = HighlightForm(initial={"area": rules.default_area(record), "on": timezone.localdate()})
    context = {"form": form, "highlight": None, **_side(record, request)}
    return render(request, "supervision/highlight_form.html", context)


@login_required
def highlight_edit(request, pk: int):
    user = request.user
    highlight = _writable(request, pk)
    record = highlight.record
    if not rules.may_write(user, record):
        raise PermissionDenied
    if highlight.status == Highlight.Status.APPROVED:
        messages.error(request, _("The highlight is approved for publication: withdraw it before changing it."))
        return redirect("supervision:highlight", pk=pk)
    if request.method == "POST":
        form = HighlightForm(request.POST)
        if form.is_valid():
            try:
                services.highlight_change(actor=user, highlight=highlight, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The highlight is changed."))
                return redirect("supervision:highlight", pk=pk)
    else:
        fields = ("area", "on", "text_kk", "text_ru", "text_en")
        form = HighlightForm(initial={name: getattr(highlight, name) for name in fields})
    context = {"form": form, "highlight": highlight, **_side(record, request)}
    return render(request, "supervision/highlight_form.html", context)


@login_required
@require_POST
def highlight_preview(request):
    """htmx: the texts as they would read, with their problems; nothing saved."""
    _require_reader(request.user)
    named = _record_from(request, request.POST)
    if named is None:
        raise Http404
    _kind, record = named
    texts = {language: request.POST.get(f"text_{language}", "") for language in rules.LANGUAGES}
    area = request.POST.get("area", "")
    minor = rules.concerns_minor(record, area)
    findings = rules.personal_data(texts, names=minor, region_id=record.region_id)
    warnings = [] if minor else rules.name_warnings(texts, region_id=record.region_id)
    context = {
        "previews": [
            (rules.LANGUAGE_NAMES[language], language, rules.render(texts[language], record, language))
            for language in rules.LANGUAGES
        ],
        "problems": rules.text_problems(record, texts),
        "personal": [finding.message(masked=False) for finding in findings],
        "warnings": [finding.message(masked=False) for finding in warnings],
        "minor": minor,
    }
    return render(request, "supervision/highlight_preview_partial.html", context)


# --- the detail, approval and withdrawal ---------------------------------------------------------


@login_required
@require_GET
def highlight_detail(request, pk: int):
    user = request.user
    highlight = _visible(request, pk)
    record = highlight.record
    events = list(highlight.events.select_related("actor").order_by("at", "id"))
    refusal = next(
        (
            event
            for event in reversed(events)
            if event.kind in (HighlightEvent.Kind.REFUSED, HighlightEvent.Kind.APPROVED)
        ),
        None,
    )
    approver = rules.may_approve(user, record)
    draft = highlight.status == Highlight.Status.DRAFT
    context = {
        "highlight": highlight,
        "record": record,
        "record_kind": rules.record_kind(record),
        "record_label": RECORD_LABELS[rules.record_kind(record)],
        "texts": [
            (rules.LANGUAGE_NAMES[language], language, rules.rendered(highlight, language))
            for language in rules.LANGUAGES
        ],
        "events": events,
        "refusal": refusal if refusal is not None and refusal.kind == HighlightEvent.Kind.REFUSED and draft else None,
        "can_approve": approver and draft,
        "can_withdraw": approver and highlight.status == Highlight.Status.APPROVED,
        "can_change": highlight.status != Highlight.Status.APPROVED and rules.may_write(user, record),
        "minor": rules.concerns_minor(record, highlight.area),
    }
    return render(request, "supervision/highlight_detail.html", context)


@login_required
@require_POST
def highlight_approve(request, pk: int):
    highlight = _writable(request, pk)
    if not rules.may_approve(request.user, highlight.record):
        raise PermissionDenied
    try:
        services.highlight_approve(actor=request.user, highlight=highlight)
    except ValidationError as error:
        messages.error(request, _("Publication refused: %(reasons)s") % {"reasons": " ".join(error.messages)})
    else:
        messages.success(request, _("The highlight is approved for publication: the summary of its period quotes it."))
    return redirect("supervision:highlight", pk=pk)


@login_required
@require_POST
def highlight_withdraw(request, pk: int):
    highlight = _writable(request, pk)
    if not rules.may_approve(request.user, highlight.record):
        raise PermissionDenied
    try:
        services.highlight_withdraw(actor=request.user, highlight=highlight, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The highlight is withdrawn: summaries no longer quote it."))
    return redirect("supervision:highlight", pk=pk)
