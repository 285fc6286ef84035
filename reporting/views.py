from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.audit import audit_record
from accounts.context_processors import LANGUAGE_CHOICES
from accounts.models import AuditEvent
from lib.metrics import Area

from . import policy, selectors, services
from .charts import summary_charts
from .documents import FORMATS
from .figures import Request, SummaryError, compute, group_of, parse_day, quotes, rows_counted
from .forms import SummaryForm, TextForm, usual_periods
from .models import Metric, ResultsSummary, SummaryVersion
from .output import summary_html, table_rows, value_text
from .selectors import LANGUAGES
from .sentences import narrative
from .services import Refused

SUMMARIES_PER_PAGE = 20
ROWS_PER_PAGE = 50


def _require_reader(user) -> None:
    if not policy.may_read_summaries(user):
        raise PermissionDenied


def _errors(error: ValidationError | SummaryError) -> list[str]:
    return list(getattr(error, "messages", None) or [str(error)])


def _language(request) -> str:
    """The language of the summary's text on the page: ?lang=, else the page's own."""
    asked = request.GET.get("lang") or request.POST.get("lang") or ""
    return asked if asked in LANGUAGES else (translation.get_language() or "ru")[:2]


@login_required
def catalogue(request):
    """GET /reporting/metrics/: every metric of the catalogue by area, with its definition,
    source, unit and version; retired ones last, marked."""
    _require_reader(request.user)
    metrics = list(Metric.objects.select_related("parent").order_by("retired_at", "area", "order", "code"))
    areas = []
    for value, label in Area.choices:
        rows = [metric for metric in metrics if metric.area == value and metric.retired_at is None]
        if rows:
            areas.append({"label": label, "metrics": rows})
    retired = [metric for metric in metrics if metric.retired_at is not None]
    return render(request, "reporting/catalogue.html", {"areas": areas, "retired": retired})


# --- the list and the builder ------------------------------------------------------------------


@login_required
def summary_list(request):
    """GET /reporting/summaries/: the office's summaries within the user's remit, newest period
    first, each with its versions and their states."""
    user = request.user
    _require_reader(user)
    summaries = policy.visible_summaries(user, ResultsSummary.objects.all()).prefetch_related("versions", "districts")
    page = Paginator(summaries.order_by("-period_end", "-created_at", "-id"), SUMMARIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "reporting/summary_list.html", {"page": page, "can_start": policy.may_edit_summaries(user)})


def _builder_request(user, data) -> Request | None:
    """The summary the builder's fields describe, within the user's remit; None while incomplete."""
    if data.get("start") is None or data.get("end") is None:
        return None
    return selectors.summary_request(
        user,
        start=data["start"],
        end=data["end"],
        katos=[district.kato for district in data.get("districts") or []],
        base_start=data.get("base_start"),
        base_end=data.get("base_end"),
    )


def _preview_context(request, form: SummaryForm) -> dict:
    """The live figures and text of the builder's fields (nothing while a date is missing or wrong)."""
    language = _language(request)
    data = form.cleaned_data if form.is_bound else {k: form.fields[k].initial for k in ("start", "end")}
    dates = ("start", "end", "base_start", "base_end")
    if form.is_bound and any(name in form.errors for name in dates):
        wrong = [f"{form.fields[name].label}: {error}" for name in dates for error in form.errors.get(name, [])]
        return {"preview_errors": wrong, "language": language}
    try:
        summary_request = _builder_request(request.user, data)
    except (SummaryError, ValidationError) as error:
        return {"preview_errors": _errors(error), "language": language}
    if summary_request is None:
        return {"language": language}
    summary = compute(summary_request)
    query = {
        "from": summary_request.period.start.isoformat(),
        "to": summary_request.period.end.isoformat(),
        "as_of": summary_request.as_of.isoformat(),
    }
    if data.get("base_start"):
        query.update(base_from=data["base_start"].isoformat(), base_to=data["base_end"].isoformat())
    katos = [district.kato for district in data.get("districts") or []]
    return {
        "language": language,
        "summary": summary,
        "paragraphs": narrative(summary.figures, language, quotes=quotes(summary_request, language)),
        "rows": list(zip(summary.figures, table_rows(summary, language), strict=True)),
        "charts": summary_charts(summary, language),
        "figure_base": reverse("reporting:figure", args=["-"])[:-2],
        "query": urlencode([*query.items(), *(("district", kato) for kato in katos)]),
    }


@login_required
def summary_new(request):
    """GET /reporting/summaries/new/: the builder, its figures and text live beside the period and
    districts chosen; POST saves it as a new summary's first draft."""
    user = request.user
    if not policy.may_edit_summaries(user):
        raise PermissionDenied
    form = SummaryForm(request.POST or None, user=user, period=_asked_period(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.summary_start(
                actor=user,
                title=data["title"],
                region=None,
                katos=[district.kato for district in data["districts"]],
                start=data["start"],
                end=data["end"],
                base=(data["base_start"], data["base_end"]),
            )
        except (SummaryError, ValidationError) as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, _("The draft is saved: edit its text, then send it for approval."))
            return redirect(_version_url(version))
    context = {"form": form, "periods": usual_periods(), **_preview_context(request, form)}
    return render(request, "reporting/summary_builder.html", context, status=400 if form.errors else 200)


def _asked_period(request) -> tuple[date, date] | None:
    """A usual period's link (?from=&to=) chosen on the builder; anything else: the default."""
    try:
        start, end = _day(request, "from"), _day(request, "to")
    except SummaryError:
        return None
    return (start, end) if start and end and start <= end else None


@login_required
def summary_preview(request):
    """GET /reporting/summaries/preview/: the builder's live figures and text (htmx)."""
    if not policy.may_edit_summaries(request.user):
        raise PermissionDenied
    form = SummaryForm(request.GET, user=request.user)
    form.is_valid()
    return render(request, "reporting/summary_preview.html", _preview_context(request, form))


# --- a version -----------------------------------------------------------------------------------


def _version_url(version: SummaryVersion, **query) -> str:
    url = reverse("reporting:version", args=[version.summary_id, version.number])
    return f"{url}?{urlencode(query)}" if query else url


def _visible_version(user, pk: int, number: int) -> SummaryVersion:
    """The version, when its summary is within the user's remit (another's is not found: 404)."""
    _require_reader(user)
    summaries = policy.visible_summaries(user, ResultsSummary.objects.all())
    return get_object_or_404(
        SummaryVersion.objects.select_related("summary__region", "made_from", "approved_by", "published_by"),
        summary__in=summaries,
        summary_id=pk,
        number=number,
    )


@login_required
def summary_latest(request, pk: int):
    """GET /reporting/summaries/<id>/: its latest version."""
    _require_reader(request.user)
    summaries = policy.visible_summaries(request.user, ResultsSummary.objects.all())
    version = SummaryVersion.objects.filter(summary__in=summaries, summary_id=pk).order_by("-number").first()
    if version is None:
        raise Http404
    return redirect(_version_url(version))


def _version_page(request, version: SummaryVersion, *, text_form=None, status=200):
    user = request.user
    language = _language(request)
    reading = selectors.read(version, language)
    prior = selectors.previous_version(version)
    changes, text_changes = None, None
    if prior is not None:
        prior_reading = selectors.read(prior, language)
        changes = [
            (
                change,
                *(value_text(value, change.unit, language) for value in (change.before, change.after, change.change)),
            )
            for change in selectors.differences(prior_reading.summary.figures, reading.summary.figures)
        ]
        text_changes = selectors.text_differences(prior_reading.paragraphs, reading.paragraphs)
    editable = policy.may_edit_summaries(user) and not version.frozen
    if editable and text_form is None:
        text_form = TextForm(initial={"text": selectors.text_for_editing(version, language)})
    open_version = version.summary.versions.filter(
        state__in=(SummaryVersion.State.DRAFT, SummaryVersion.State.APPROVED)
    )
    approver = policy.may_approve_summaries(user)
    context = {
        "version": version,
        "summary": version.summary,
        "versions": version.summary.versions.order_by("number"),
        "events": version.events.select_related("actor").order_by("at", "id"),
        "katos": selectors.district_katos(version.summary),
        "reading": reading,
        "paragraphs": reading.paragraphs,
        "rows": list(zip(reading.summary.figures, table_rows(reading.summary, language), strict=True)),
        "charts": summary_charts(reading.summary, language),
        "language": language,
        "languages": LANGUAGE_CHOICES,
        "figure_base": reverse("reporting:version_figure", args=[version.summary_id, version.number, "-"])[:-2],
        "query": "",
        "prior": prior,
        "changes": changes,
        "text_changes": text_changes,
        "text_form": text_form if editable else None,
        "download_formats": FORMATS,
        "can_approve": approver and version.state == SummaryVersion.State.DRAFT,
        "can_send_back": approver and version.state == SummaryVersion.State.APPROVED,
        "can_publish": approver and version.state == SummaryVersion.State.APPROVED,
        "can_make_version": policy.may_edit_summaries(user)
        and version.state == SummaryVersion.State.PUBLISHED
        and not open_version.exists(),
    }
    return render(request, "reporting/summary_version.html", context, status=status)


@login_required
def version_detail(request, pk: int, number: int):
    """GET /reporting/summaries/<id>/v<n>/: the version's text (?lang=kk|ru|en) and figures, each
    number linked to its records, its state, and what changed since the version before."""
    return _version_page(request, _visible_version(request.user, pk, number))


@login_required
@require_POST
def version_text(request, pk: int, number: int):
    """POST /reporting/summaries/<id>/v<n>/text/: the draft's text in one language. A text that
    cannot be filled, or a frozen version, is refused with the reason; what was typed stays."""
    version = _visible_version(request.user, pk, number)
    form = TextForm(request.POST)
    form.is_valid()
    try:
        services.summary_text_save(
            actor=request.user, version=version, language=_language(request), text=form.cleaned_data.get("text", "")
        )
    except Refused as error:
        version.refresh_from_db()
        if version.frozen:  # nothing to edit any more: the reason and the way out, above the page
            for message in _errors(error):
                messages.error(request, message)
            return _version_page(request, version, status=409)
        for message in _errors(error):
            form.add_error("text", message)
        return _version_page(request, version, text_form=form, status=400)
    messages.success(request, _("The text is saved."))
    return redirect(_version_url(version, lang=_language(request)))


ACTIONS = {
    "approve": (services.summary_approve, gettext_lazy("The version is approved: its figures and text are frozen.")),
    "send-back": (services.summary_send_back, gettext_lazy("The version is a draft again: its figures are live.")),
    "publish": (services.summary_publish, gettext_lazy("The version is published.")),
    "new-version": (services.summary_new_version, gettext_lazy("A new draft is made from the published version.")),
}


@login_required
@require_POST
def version_action(request, pk: int, number: int, action: str):
    """POST /reporting/summaries/<id>/v<n>/<approve|send-back|publish|new-version>/."""
    version = _visible_version(request.user, pk, number)
    if action not in ACTIONS:
        raise Http404
    act, done = ACTIONS[action]
    try:
        result = act(actor=request.user, version=version)
    except Refused as error:
        for message in _errors(error):
            messages.error(request, message)
        return redirect(_version_url(version))
    messages.success(request, str(done))
    return redirect(_version_url(result))


@login_required
def version_export(request, pk: int, number: int):
    """GET /reporting/summaries/<id>/v<n>/export/?lang=: a published version as a standalone page,
    without provenance links: what the office publishes."""
    version = _visible_version(request.user, pk, number)
    if version.state != SummaryVersion.State.PUBLISHED:
        raise Http404
    language = _language(request)
    reading = selectors.read(version, language)
    with translation.override(language):
        page = summary_html(reading.summary, language, reading.paragraphs, heading=version.summary.title)
    response = HttpResponse(page, content_type="text/html; charset=utf-8")
    name = f"summary-{version.summary_id}-v{version.number}-{language}.html"
    audit_download(request, version, format_="html", language=language, name=name)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def audit_download(request, version: SummaryVersion, *, format_: str, language: str, name: str) -> None:
    """Every file of a summary taken away is in the audit log: who, which version in which state,
    in which format and language (the standalone page here, the documents in document_views)."""
    audit_record(
        action=AuditEvent.Action.DOWNLOAD,
        actor=request.user,
        target=f"reporting.summaryversion:{version.pk}",
        details={
            "file": name,
            "format": format_,
            "language": language,
            "version": version.number,
            "state": version.state,
        },
        request=request,
    )


# --- provenance ---------------------------------------------------------------------------------


def _day(request, name: str):
    value = request.GET.get(name, "")
    return parse_day(value) if value else None


def _asked_request(request) -> Request:
    """The summary a figure's link describes (?from=&to=&as_of=&base_from=&base_to=&district=),
    within the user's remit."""
    start, end = _day(request, "from"), _day(request, "to")
    if start is None or end is None:
        raise SummaryError(_("Give the period: from and to."))
    return selectors.summary_request(
        request.user,
        start=start,
        end=end,
        katos=request.GET.getlist("district"),
        as_of=_day(request, "as_of"),
        base_start=_day(request, "base_from"),
        base_end=_day(request, "base_to"),
    )


def _provenance(request, code: str, summary_request: Request, *, frozen=None, back: str = ""):
    """The page behind one figure: the metric's definition and version, the parameters, the figure
    computed now, and the rows it counts (paged; a district's or a dimension's key if asked), as
    their app describes them: never a reporter's identity."""
    metrics = Metric.objects.select_related("parent")
    # A frozen version names the metrics it was approved with, retired since or not.
    metric = get_object_or_404(metrics if frozen is not None else metrics.current(), code=code)
    language = _language(request)
    unit, dimension, key = (request.GET.get(name, "") for name in ("unit", "dimension", "key"))
    context = {"metric": metric, "parameters": summary_request, "frozen": frozen, "back": back, "errors": []}
    if frozen is not None:
        context["frozen_text"] = value_text(frozen.value, frozen.unit, language)
    if metric.retired_at is not None:
        context["errors"] = [_("This metric is retired: it is no longer computed. The version keeps its figure.")]
        return render(request, "reporting/figure_detail.html", context)
    try:
        figure = next((item for item in compute(summary_request, only=code).figures if item.code == code), None)
        context["figure"] = figure
        if figure is not None:
            context["figure_text"] = value_text(figure.value, figure.unit, language)
            context["base_text"] = value_text(figure.base, figure.unit, language)
            context["districts"] = [
                (p.key, p.label, value_text(p.value, figure.unit, language)) for p in figure.by_district
            ]
            context["unit_label"] = next((p.label for p in figure.by_district if p.key == unit), unit)
        if metric.computed:
            group, _metric = group_of(code)
            rows = rows_counted(summary_request, code, district_kato=unit, dimension=dimension, key=key)[1]
            page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
            described = (
                group.describe_rows(page.object_list) if group.describe_rows else list(page.object_list.values("pk"))
            )
            columns = [
                (name, group.columns.get(name, name)) for name in (described[0] if described else {}) if name != "link"
            ]
            query = request.GET.copy()
            query.pop("page", None)
            scope = query.copy()
            for name in ("unit", "dimension", "key"):
                scope.pop(name, None)
            context.update(
                page=page,
                described=[(row.get("link", ""), [(label, row[name]) for name, label in columns]) for row in described],
                columns=[label for _name, label in columns],
                query=query.urlencode(),
                scope_query=scope.urlencode(),
                unit=unit,
                dimension=dimension,
                key=key,
                group=group,
            )
    except SummaryError as error:
        context["errors"] = _errors(error)
        return render(request, "reporting/figure_detail.html", context, status=400)
    return render(request, "reporting/figure_detail.html", context)


@login_required
def figure_detail(request, code: str):
    """GET /reporting/figures/<code>/?from=&to=...: a figure of the builder's live summary."""
    _require_reader(request.user)
    try:
        summary_request = _asked_request(request)
    except (SummaryError, ValidationError) as error:
        return render(request, "reporting/figure_detail.html", {"errors": _errors(error)}, status=400)
    return _provenance(request, code, summary_request)


@login_required
def version_figure(request, pk: int, number: int, code: str):
    """GET /reporting/summaries/<id>/v<n>/figures/<code>/: a figure of a version, computed as of its
    day (a frozen version shows the figure it froze beside it)."""
    version = _visible_version(request.user, pk, number)
    frozen = None
    if version.frozen:
        frozen = next((f for f in selectors.frozen_figures(version, _language(request)) if f.code == code), None)
        if frozen is None:
            raise Http404
    summary_request = selectors.request_of(version.summary, version.as_of)
    return _provenance(request, code, summary_request, frozen=frozen, back=_version_url(version))
