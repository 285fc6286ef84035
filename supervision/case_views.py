"""Pages of the criminal cases under the office's control.

/supervision/cases/ (the list, scoped by CriminalCase.objects.for_user, filtered by stage,
investigating body, district, flag and ERDR number; htmx asks for the table alone),
/supervision/cases/new/ (take a case under the user's office's control), /supervision/cases/<id>/
(the case, its flags and its timeline of dated events; for the prosecutors of its office, the forms
of its changes: stage, appellate petition, persons, amounts, each posting to its own address).

Readers are the act readers (supervision.scoping.reads_acts): body officers, citizens and partners
get 403; a case outside the reader's scope answers 404, as the acts do. A change is for a prosecutor
of the controlling office only (supervision.scoping.may_keep): anybody else gets 403. Bad input
comes back on its form with the service's reason, the values as typed, and nothing is saved.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import get_in_scope_or_404
from accounts.models import District
from accounts.zones import local_today, region_id_zone

from . import services
from .case_forms import CaseAmountsForm, CaseAppealForm, CaseForm, CasePersonsForm, CaseStageForm
from .models import CriminalCase, DropperArticle, InvestigatingBody, Stage
from .pages import PAGE_SIZE, choice, office_districts, own_office, require_reader, whole_number
from .scoping import may_keep
from .services.cases import FLAGS, NEXT_STAGES

# The list's flag filter: the case's flags, a dropper case (either article), initiated by the office.
DROPPER = "dropper"
INITIATED = "initiated"


def _flag_filters() -> list[tuple[str, str]]:
    return [
        *((name, CriminalCase._meta.get_field(name).verbose_name) for name in FLAGS),
        (DROPPER, _("dropper case")),
        (INITIATED, _("initiated by the prosecutor's office")),
    ]


def _visible_case(request, pk: int) -> CriminalCase:
    require_reader(request.user)
    return get_in_scope_or_404(
        request,
        CriminalCase.objects.for_user(request.user).select_related("office", "district", "created_by"),
        pk=pk,
    )


def _kept_case(request, pk: int) -> CriminalCase:
    """A case to change: 403 unless the user is a prosecutor of its office (404 if none)."""
    require_reader(request.user)
    case = get_object_or_404(CriminalCase.objects.select_related("office", "district"), pk=pk)
    if not may_keep(request.user, case):
        raise PermissionDenied  # written to the audit log by the 403 handler
    return case


# --- the list ----------------------------------------------------------------------------------


@login_required
@require_GET
def case_list(request):
    user = request.user
    require_reader(user)
    visible = CriminalCase.objects.for_user(user)
    districts = list(District.objects.for_choices().filter(pk__in=visible.values("district_id")).order_by("kato"))
    flags = _flag_filters()
    selected = {
        "stage": choice(request.GET.get("stage", ""), Stage.values),
        "body": choice(request.GET.get("body", ""), InvestigatingBody.values),
        "flag": choice(request.GET.get("flag", ""), [value for value, _label in flags]),
    }
    district_id = whole_number(request.GET.get("district"))
    selected["district"] = district_id if any(district.pk == district_id for district in districts) else None
    number = "".join(character for character in request.GET.get("number", "") if character.isdigit())[:15]
    cases = visible
    if selected["stage"]:
        cases = cases.filter(stage=selected["stage"])
    if selected["body"]:
        cases = cases.filter(investigating_body=selected["body"])
    if selected["district"]:
        cases = cases.filter(district_id=selected["district"])
    if selected["flag"] == DROPPER:
        cases = cases.exclude(dropper_article=DropperArticle.NONE)
    elif selected["flag"] == INITIATED:
        cases = cases.filter(initiated_by_prosecutor=True)
    elif selected["flag"]:
        cases = cases.filter(**{selected["flag"]: True})
    if number:
        cases = cases.filter(erdr_number__startswith=number)
    cases = cases.select_related("district", "office").order_by("-registered_on", "-id")
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "query": query.urlencode(),
        "stages": Stage.choices,
        "bodies": InvestigatingBody.choices,
        "flags": flags,
        "districts": districts,
        "selected": selected,
        "number": number,
        "stage_counts": _stage_counts(visible),
        "can_record": own_office(user) is not None,
    }
    if request.headers.get("HX-Request"):
        return render(request, "supervision/case_list_partial.html", context)
    return render(request, "supervision/case_list.html", context)


def _stage_counts(visible) -> list[tuple[str, str, int]]:
    counts = dict(visible.values_list("stage").annotate(n=Count("id")).order_by())
    return [(value, label, counts.get(value, 0)) for value, label in Stage.choices]


# --- a case taken under control ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request):
    user = request.user
    require_reader(user)
    office = own_office(user)
    if office is None:
        raise PermissionDenied
    districts = office_districts(office)
    if request.method == "POST":
        form = CaseForm(request.POST, districts=districts)
        if form.is_valid():
            try:
                case = services.case_record(actor=user, office=office, **form.service_values())
            except ValidationError as error:
                form.add_service_errors(error)
            except PermissionDenied as error:
                form.add_error(None, str(error) or _("You may not take this case under control."))
            else:
                messages.success(request, _("The case is taken under control."))
                return redirect("supervision:case_detail", pk=case.pk)
    else:
        only = districts[:2]
        initial = {"registered_on": local_today(region_id_zone(office.region_id)), "charged": 0, "in_custody": 0}
        if len(only) == 1:
            initial["district"] = only[0].pk
        form = CaseForm(initial=initial, districts=districts)
    return render(request, "supervision/case_form.html", {"form": form, "office": office})


# --- the detail --------------------------------------------------------------------------------------


def _flags(case: CriminalCase) -> list[str]:
    flags = [CriminalCase._meta.get_field(name).verbose_name for name in FLAGS if getattr(case, name)]
    if case.dropper_article:
        flags.append(_("dropper case, %(article)s") % {"article": case.get_dropper_article_display()})
    return flags


# The next stages offered, forward first: a case in court goes to its verdict sooner than back.
FORWARD = (Stage.COURT, Stage.VERDICT, Stage.APPEAL, Stage.PRETRIAL, Stage.CLOSED)


def _next_stages(case: CriminalCase) -> list[str]:
    allowed = NEXT_STAGES.get(case.stage, set())
    return [value for value in FORWARD if value in allowed]


def _case_context(request, case: CriminalCase, **forms) -> dict:
    keep = may_keep(request.user, case)
    context = {
        "case": case,
        "flags": _flags(case),
        "events": list(case.events.select_related("actor")),
        "keep": keep,
    }
    if not keep:
        return context
    today = local_today(region_id_zone(case.region_id))
    stages = _next_stages(case)
    # A form posted back with its errors is shown whatever the case's stage, so the refusal is read.
    if stages or "stage_form" in forms:
        context["stage_form"] = forms.get("stage_form") or CaseStageForm(
            prefix="stage", stages=stages, initial={"on": today, "stage": stages[0]}
        )
    if case.stage in (Stage.VERDICT, Stage.APPEAL) or "appeal_form" in forms:
        context["appeal_form"] = forms.get("appeal_form") or CaseAppealForm(prefix="appeal", initial={"on": today})
    context["persons_form"] = forms.get("persons_form") or CasePersonsForm(
        prefix="persons", initial={"on": today, "charged": case.charged, "in_custody": case.in_custody}
    )
    context["amounts_form"] = forms.get("amounts_form") or CaseAmountsForm(
        prefix="amounts", initial={"on": today, "damage": case.damage}
    )
    return context


@login_required
@require_GET
def case_detail(request, pk):
    case = _visible_case(request, pk)
    return render(request, "supervision/case_detail.html", _case_context(request, case))


def _change(request, case, form, name: str, write, done: str):
    """Post a change form: the service's refusal back on the form, else the case's page again."""
    if form.is_valid():
        values = form.service_values() if hasattr(form, "service_values") else form.cleaned_data
        try:
            write(case=case, actor=request.user, **values)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, done)
            return redirect("supervision:case_detail", pk=case.pk)
    return render(request, "supervision/case_detail.html", _case_context(request, case, **{name: form}))


@login_required
@require_POST
def case_stage(request, pk):
    case = _kept_case(request, pk)
    form = CaseStageForm(request.POST, prefix="stage", stages=_next_stages(case))
    return _change(request, case, form, "stage_form", services.case_stage, _("The case's stage is changed."))


@login_required
@require_POST
def case_appeal(request, pk):
    case = _kept_case(request, pk)
    form = CaseAppealForm(request.POST, prefix="appeal")
    return _change(
        request, case, form, "appeal_form", services.case_appeal, _("The appellate petition's decision is recorded.")
    )


@login_required
@require_POST
def case_persons(request, pk):
    case = _kept_case(request, pk)
    form = CasePersonsForm(request.POST, prefix="persons")
    return _change(
        request,
        case,
        form,
        "persons_form",
        services.case_persons,
        _("The persons charged and in custody are recorded."),
    )


@login_required
@require_POST
def case_amounts(request, pk):
    case = _kept_case(request, pk)
    form = CaseAmountsForm(request.POST, prefix="amounts")
    return _change(request, case, form, "amounts_form", services.case_amounts, _("The amounts are recorded."))
