"""Pages of the acts of prosecutorial response.

/supervision/acts/ (the list, scoped by SupervisoryAct.objects.for_user), /supervision/acts/new/
(record an act; ?report=<reference> starts from a report: its body is the addressee and the
summary is drafted from the overdue or returned answer), /supervision/acts/<id>/ (the detail: the
letter is numbered by a POST, then downloaded as DOCX or PDF; the outcome is recorded there).
Body officers, citizens and partners get 403; an act outside the reader's scope answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import get_in_scope_or_404
from accounts.models import Organisation
from lib.forms import written_through
from signals.models import Answer, Report

from . import letters, services
from .forms import ActAmountForm, ActForm, ActResultsForm, OutcomeForm
from .models import ASSESSED_HEADINGS, BENEFICIARY_FIELDS, ActAmount, SupervisoryAct
from .pages import PAGE_SIZE, choice, require_reader, whole_number
from .scoping import may_manage, records_acts

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _visible_act(request, act_id: int) -> SupervisoryAct:
    require_reader(request.user)
    return get_in_scope_or_404(
        request,
        SupervisoryAct.objects.for_user(request.user).select_related(
            "issuing_office", "addressee", "created_by", "beneficiaries_counted_by"
        ),
        pk=act_id,
    )


def _managed_act(request, act_id: int) -> SupervisoryAct:
    act = _visible_act(request, act_id)
    if not may_manage(request.user, act):
        raise PermissionDenied
    return act


# --- the list ----------------------------------------------------------------------------------


@login_required
@require_GET
def act_list(request):
    user = request.user
    require_reader(user)
    visible = SupervisoryAct.objects.for_user(user)
    offices = list(Organisation.objects.filter(id__in=visible.values("issuing_office")).order_by("code"))
    selected_type = choice(request.GET.get("type", ""), SupervisoryAct.Type.values)
    selected_outcome = choice(request.GET.get("outcome", ""), SupervisoryAct.Outcome.values)
    office_id = whole_number(request.GET.get("office"))
    selected_office = office_id if any(office.id == office_id for office in offices) else None
    acts = visible.select_related("issuing_office", "addressee").annotate(report_count=Count("reports"))
    if selected_type:
        acts = acts.filter(type=selected_type)
    if selected_outcome:
        acts = acts.filter(outcome=selected_outcome)
    if selected_office:
        acts = acts.filter(issuing_office_id=selected_office)
    page = Paginator(acts.order_by("-date", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "query": query.urlencode(),
        "types": SupervisoryAct.Type.choices,
        "outcomes": SupervisoryAct.Outcome.choices,
        "offices": offices,
        "selected_type": selected_type,
        "selected_outcome": selected_outcome,
        "selected_office": selected_office,
        "can_record": records_acts(user) and _own_office(user) is not None,
    }
    if request.headers.get("HX-Request"):
        return render(request, "supervision/act_list_partial.html", context)
    return render(request, "supervision/act_list.html", context)


# --- a new act ---------------------------------------------------------------------------------


def _own_office(user) -> Organisation | None:
    office = user.organisation if user.organisation_id else None
    if office is None or office.kind != Organisation.Kind.PROSECUTOR_OFFICE or office.region_id is None:
        return None
    return office


def _bodies(user, also_id: int | None = None):
    bodies = Organisation.objects.for_user(user).filter(kind=Organisation.Kind.BODY, is_active=True)
    if also_id:
        bodies = bodies | Organisation.objects.filter(pk=also_id, kind=Organisation.Kind.BODY)
    return bodies.distinct().order_by("type", "code")


def _letter_language(request) -> str:
    language = (getattr(request, "LANGUAGE_CODE", "") or translation.get_language() or "")[:2]
    return language if language in SupervisoryAct.Language.values else SupervisoryAct.Language.RU


def _draft_summary(report: Report, language: str) -> str:
    """A first draft from the report, in the letter's language: the prosecutor completes it."""
    returned = (
        report.answers.filter(decision=Answer.Decision.RETURNED).order_by("-decided_at", "-id").first()
        if report.status in (Report.Status.RETURNED, Report.Status.REOPENED)
        else None
    )
    values = {
        "reference": report.reference,
        "date": timezone.localdate(report.submitted_at).strftime("%d.%m.%Y"),
        "category": report.category.localized("name", language),
        "deadline": timezone.localdate(report.deadline_at).strftime("%d.%m.%Y") if report.deadline_at else "—",
    }
    with translation.override(language):
        if returned is not None:
            text = (
                _(
                    "The answer of the body to report %(reference)s of %(date)s (%(category)s) was found unlawful "
                    "or incomplete and returned for re-work."
                )
                % values
            )
            if returned.return_reason:
                text += " " + returned.return_reason
        elif report.overdue:
            text = (
                _(
                    "Report %(reference)s of %(date)s (%(category)s) was sent to the body; its answer was due "
                    "by %(deadline)s and has not been given."
                )
                % values
            )
        else:
            text = _("Report %(reference)s of %(date)s (%(category)s).") % values
        return (
            text
            + "\n\n"
            + _(
                "I demand that the violations be eliminated, their causes and conditions be removed, and the "
                "question of holding the officials at fault accountable be considered."
            )
        )


@login_required
def act_new(request):
    user = request.user
    require_reader(user)
    office = _own_office(user)
    if not records_acts(user) or office is None:
        raise PermissionDenied
    visible_reports = Report.objects.for_user(user)
    report = None
    reference = request.GET.get("report", "").strip().upper()
    if reference:
        report = get_in_scope_or_404(request, visible_reports.select_related("category", "body"), reference=reference)
    bodies = _bodies(user, report.body_id if report else None)
    if request.method == "POST":
        form = ActForm(request.POST, bodies=bodies, reports=visible_reports)
        if form.is_valid():
            data = form.cleaned_data
            try:
                act = services.act_record(
                    actor=user,
                    type=data["type"],
                    date=data["date"],
                    issuing_office=office,
                    addressee=data["addressee"],
                    addressee_title=data["addressee_title"],
                    legal_basis=data["legal_basis"],
                    summary=data["summary"],
                    reports=data["reports"],
                    language=data["language"],
                )
            except ValidationError as error:
                form.add_service_errors(error)
            except PermissionDenied as error:
                form.add_error(None, str(error) or _("You may not record this act."))
            else:
                messages.success(
                    request, _("The act is recorded. Produce its letter when the text is final: that takes the number.")
                )
                return redirect("supervision:act_detail", act_id=act.pk)
    else:
        language = _letter_language(request)
        initial = {"type": SupervisoryAct.Type.SUBMISSION, "date": timezone.localdate(), "language": language}
        if report is not None:
            initial.update(
                {"addressee": report.body_id, "reports": report.reference, "summary": _draft_summary(report, language)}
            )
        form = ActForm(initial=initial, bodies=bodies, reports=visible_reports)
    return render(request, "supervision/act_form.html", {"form": form, "office": office, "report": report})


# --- the detail ----------------------------------------------------------------------------------


def _detail_context(
    request, act: SupervisoryAct, *, outcome_form=None, change_form=None, results_form=None, amount_form=None
) -> dict:
    user = request.user
    manage = may_manage(user, act)
    linked = list(act.reports.select_related("category").order_by("submitted_at", "id"))
    visible_ids = set(
        Report.objects.for_user(user).filter(pk__in=[report.pk for report in linked]).values_list("pk", flat=True)
    )
    numbered = bool(act.outgoing_number)
    pending = act.outcome == SupervisoryAct.Outcome.PENDING
    context = {
        "act": act,
        "reports": [report for report in linked if report.pk in visible_ids],
        "hidden_reports": len(linked) - len(visible_ids),
        "events": list(act.events.select_related("actor")),
        "manage": manage,
        "numbered": numbered,
        "letter_problems": services.letter_problems(act) if not numbered else [],
        "pending": pending,
        **_results_context(user, act),
    }
    if manage:
        context["results_form"] = results_form or _results_form(act)
        context["amount_form"] = amount_form or ActAmountForm(
            prefix="amount", initial={"on": timezone.localdate(), "heading": ActAmount.Heading.DAMAGE}
        )
    if manage and pending:
        context["outcome_form"] = outcome_form or OutcomeForm()
    if manage and not numbered:
        context["change_form"] = change_form or ActForm(
            initial={
                "type": act.type,
                "date": act.date,
                "language": act.language,
                "addressee": act.addressee_id,
                "addressee_title": act.addressee_title,
                "legal_basis": act.legal_basis,
                "summary": act.summary,
            },
            bodies=_bodies(user, act.addressee_id),
            with_reports=False,
            prefix="change",
        )
    return context


@login_required
@require_GET
def act_detail(request, act_id):
    act = _visible_act(request, act_id)
    return render(request, "supervision/act_detail.html", _detail_context(request, act))


@login_required
@require_POST
def act_change(request, act_id):
    act = _managed_act(request, act_id)
    form = ActForm(request.POST, bodies=_bodies(request.user, act.addressee_id), with_reports=False, prefix="change")
    if written_through(form, lambda data: services.act_change(act=act, actor=request.user, **data)):
        messages.success(request, _("The act is corrected."))
        return redirect("supervision:act_detail", act_id=act.pk)
    return render(request, "supervision/act_detail.html", _detail_context(request, act, change_form=form))


@login_required
@require_POST
def act_letter(request, act_id):
    act = _managed_act(request, act_id)
    had_number = bool(act.outgoing_number)
    try:
        services.act_letter(act=act, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if had_number:
            messages.info(request, _("The letter already has number %(number)s.") % {"number": act.outgoing_number})
        else:
            messages.success(
                request, _("The letter is produced with number %(number)s.") % {"number": act.outgoing_number}
            )
    return redirect("supervision:act_detail", act_id=act.pk)


@login_required
@require_POST
def act_outcome(request, act_id):
    act = _managed_act(request, act_id)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.act_outcome(
                act=act,
                outcome=data["outcome"],
                outcome_at=data["outcome_at"],
                note=data["outcome_note"],
                officials_disciplined=data["officials_disciplined"],
                officials_administrative=data["officials_administrative"] or 0,
                officials_criminal=data["officials_criminal"] or 0,
                actor=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The outcome is recorded."))
            return redirect("supervision:act_detail", act_id=act.pk)
    return render(request, "supervision/act_detail.html", _detail_context(request, act, outcome_form=form))


# --- what the act achieved: its results and dated amounts ------------------------------------------


def _results_context(user, act: SupervisoryAct) -> dict:
    """The act's results and amounts as every reader sees them: assessed against recovered,
    reimbursed against the state budget's share."""
    amounts = list(act.amounts.select_related("actor"))
    totals = dict.fromkeys(ActAmount.Heading.values, 0)
    for entry in amounts:
        totals[entry.heading] += entry.amount
    counted_by = act.beneficiaries_counted_by
    return {
        "beneficiaries": [
            (SupervisoryAct._meta.get_field(field).verbose_name, getattr(act, field)) for field in BENEFICIARY_FIELDS
        ],
        "counted_by": counted_by,
        "counted_by_visible": counted_by is not None
        and SupervisoryAct.objects.for_user(user).filter(pk=counted_by.pk).exists(),
        "amounts": amounts,
        "totals": totals,
        "assessed": sum(totals[heading] for heading in ASSESSED_HEADINGS),
        "preliminary": any(entry.preliminary for entry in amounts),
    }


def _results_form(act: SupervisoryAct, data=None) -> ActResultsForm:
    counted_by = act.beneficiaries_counted_by
    initial = {
        "area": act.area,
        "business_matter": act.business_matter,
        "violations": act.violations,
        "counted_by": (counted_by.outgoing_number or str(counted_by.pk)) if counted_by else "",
        **{field: getattr(act, field) for field in BENEFICIARY_FIELDS},
    }
    acts = SupervisoryAct.objects.filter(region_id=act.region_id)
    return ActResultsForm(data, prefix="results", initial=initial, acts=acts)


@login_required
@require_POST
def act_results(request, act_id):
    act = _managed_act(request, act_id)
    form = _results_form(act, request.POST)
    if form.is_valid():
        try:
            services.act_results(act=act, actor=request.user, **form.service_values())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The act's results are recorded."))
            return redirect("supervision:act_detail", act_id=act.pk)
    return render(request, "supervision/act_detail.html", _detail_context(request, act, results_form=form))


@login_required
@require_POST
def act_amount(request, act_id):
    act = _managed_act(request, act_id)
    form = ActAmountForm(request.POST, prefix="amount")
    if written_through(form, lambda data: services.act_amount(act=act, actor=request.user, **data)):
        messages.success(request, _("The amount is recorded."))
        return redirect("supervision:act_detail", act_id=act.pk)
    return render(request, "supervision/act_detail.html", _detail_context(request, act, amount_form=form))


# --- the letter's files ------------------------------------------------------------------------------


def _letter_response(act: SupervisoryAct, content: bytes, content_type: str, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{letters.letter_filename(act, extension)}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


def _numbered_act(request, act_id: int) -> SupervisoryAct:
    act = _visible_act(request, act_id)
    if not act.outgoing_number:
        raise Http404  # the letter exists once it is produced (POST), which takes the number
    return act


@login_required
@require_GET
def letter_docx(request, act_id):
    act = _numbered_act(request, act_id)
    return _letter_response(act, letters.letter_docx(act), DOCX_TYPE, "docx")


@login_required
@require_GET
def letter_pdf(request, act_id):
    act = _numbered_act(request, act_id)
    return _letter_response(act, letters.letter_pdf(act), "application/pdf", "pdf")
