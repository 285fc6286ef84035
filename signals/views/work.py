"""The body's workspace and the prosecutor's oversight, as pages.

/signals/queue/ is the body's queue (its reports waiting for an answer, by deadline);
/signals/oversight/ the prosecutor's oversight page (signals.oversight). On a report's page
(signals.views.detail.report_detail, which takes its work panels from `work_context`) the body assigns,
forwards, asks for more time, records the registration number and answers; the prosecutor accepts
or returns the answer, decides forwards and extensions, and merges duplicates. Every action is a
small POST view calling one service: a refusal re-renders the page with the form as it was typed
and the service's message; PermissionDenied is a 403; a report outside the user's scope a 404.
The body never sees who reported (reporters' and supporters' contacts are for prosecutors only).
"""

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_in_scope_or_404
from accounts.models import District, Organisation, Region
from accounts.scoping import work_district_ids
from signals import oversight as oversight_selectors
from signals import policy, services
from signals.models import ExtensionRequest, Forward, Report
from signals.policy import AWAITING_ANSWER, may_answer, may_decide
from signals.views.detail import (
    decidable_report,
    extension_choices,
    forward_choices,
    officers,
    render_detail,
    require_staff,
    visible_report,
)
from signals.work_forms import (
    AnswerForm,
    AssignForm,
    DecisionForm,
    ExtensionForm,
    ForwardForm,
    MergeForm,
    ReasonForm,
    RegistrationForm,
)

QUEUE_PAGE_SIZE = 50
QUEUE_FILTERS = ("all", "me", "none")

# --- the body's queue ----------------------------------------------------------------------------


@login_required
def queue(request):
    """The reports routed to the officer's body and waiting for its answer, the nearest deadline
    (so the overdue ones) first. Three queries whatever the page size: the tab counts, the
    paginator's count, the page."""
    user = request.user
    if not policy.has_queue(user):
        raise PermissionDenied
    now = timezone.now()
    selected = request.GET.get("assigned", "all")
    if selected not in QUEUE_FILTERS:
        selected = "all"
    waiting = Report.objects.for_user(user).filter(status__in=AWAITING_ANSWER)
    counts = waiting.aggregate(
        all=Count("id"),
        me=Count("id", filter=Q(assignee=user)),
        none=Count("id", filter=Q(assignee__isnull=True)),
        overdue=Count("id", filter=policy.late_at(now)),
    )
    reports = waiting
    if selected == "me":
        reports = reports.filter(assignee=user)
    elif selected == "none":
        reports = reports.filter(assignee__isnull=True)
    reports = reports.select_related("category", "district", "assignee").order_by(
        F("deadline_at").asc(nulls_last=True), "id"
    )
    page = Paginator(reports, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    for report in page.object_list:
        report.late = policy.is_overdue(report, now)
    tabs = [
        ("all", _("All"), counts["all"]),
        ("me", _("Assigned to me"), counts["me"]),
        ("none", _("Unassigned"), counts["none"]),
    ]
    context = {
        "page": page,
        "now": now,
        "tabs": tabs,
        "selected": selected,
        "overdue_count": counts["overdue"],
        "query": urlencode({"assigned": selected}) if selected != "all" else "",
    }
    return render(request, "signals/work/queue.html", context)


# --- the actions on a report -----------------------------------------------------------------------


def _refused(request, reference: str, key: str, form):
    """The report's page again, with the refused form as it was typed and its errors."""

    # What concerns the whole action (a status that does not allow it...) goes at the top of the
    # page; what concerns a field stays on the form, shown again as it was typed.
    general = form.non_field_errors()
    for message in general:
        messages.error(request, message)
    if not general:
        messages.error(request, _("Nothing was changed: see the message in the form."))
    report = visible_report(request, reference)
    return render_detail(request, report, forms={key: form})


def _perform(request, report: Report, *, key: str, form, action, success: str, then=None):
    """Validate the form, call the service; a refusal re-renders the page with the form."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, success)
            return redirect(then or reverse("signals:detail", args=[report.reference]))
    return _refused(request, report.reference, key, form)


def _body_report(request, reference: str) -> Report:
    report = visible_report(request, reference)
    if not may_answer(request.user, report):
        raise PermissionDenied
    return report


@login_required
@require_POST
def assign(request, reference):
    report = _body_report(request, reference)
    form = AssignForm(request.POST, officers=officers(report))
    return _perform(
        request,
        report,
        key="assign",
        form=form,
        action=lambda data: services.report_assign(report=report, assignee=data["assignee"], actor=request.user),
        success=_("The report is assigned."),
    )


@login_required
@require_POST
def forward(request, reference):
    report = _body_report(request, reference)
    form = ForwardForm(request.POST)
    # After a forward the report belongs to the other body: its page is no longer this user's.
    return _perform(
        request,
        report,
        key="forward",
        form=form,
        action=lambda data: services.report_forward(
            report=report, to_body=data["to_body"], reason=data["reason"], actor=request.user
        ),
        success=_("The report is forwarded; the other body and the prosecutor are notified."),
        then=reverse("signals:queue") if policy.has_queue(request.user) else None,
    )


@login_required
@require_POST
def extension(request, reference):
    report = _body_report(request, reference)
    form = ExtensionForm(request.POST)
    return _perform(
        request,
        report,
        key="extension",
        form=form,
        action=lambda data: services.extension_request(
            report=report, days=data["days"], reason=data["reason"], actor=request.user
        ),
        success=_("More time is asked; the prosecutor decides."),
    )


@login_required
@require_POST
def register(request, reference):
    report = visible_report(request, reference)
    if not policy.may_register(request.user, report):
        raise PermissionDenied
    form = RegistrationForm(request.POST)
    return _perform(
        request,
        report,
        key="register",
        form=form,
        action=lambda data: services.report_register(
            report=report,
            registration=data["registration"],
            number=data["registration_number"],
            actor=request.user,
        ),
        success=_("The registration number is recorded."),
    )


@login_required
@require_POST
def answer(request, reference):
    report = _body_report(request, reference)
    form = AnswerForm(request.POST, request.FILES)
    return _perform(
        request,
        report,
        key="answer",
        form=form,
        action=lambda data: services.answer_give(
            report=report,
            result=data["result"],
            measures=data["measures"],
            text=data["text"],
            public_text=data["public_text"],
            photos=data["photos"],
            actor=request.user,
        ),
        success=_("The answer is sent; the prosecutor will review it."),
    )


@login_required
@require_POST
def accept(request, reference):
    report = decidable_report(request, reference)
    try:
        services.answer_accept(report=report, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The answer is accepted: the report is resolved."))
    return redirect("signals:detail", reference=report.reference)


@login_required
@require_POST
def return_answer(request, reference):
    report = decidable_report(request, reference)
    form = ReasonForm(request.POST)
    return _perform(
        request,
        report,
        key="return",
        form=form,
        action=lambda data: services.answer_return(report=report, reason=data["reason"], actor=request.user),
        success=_("The answer is returned to the body with a fresh deadline."),
    )


@login_required
@require_POST
def merge(request, reference):
    report = decidable_report(request, reference)
    form = MergeForm(request.POST)
    targets = Report.objects.for_user(request.user)

    def action(data):
        target = targets.filter(reference=data["into"]).first()
        if target is None:
            raise ValidationError({"into": [_("No report with this reference is within your remit.")]})
        services.report_merge(duplicate=report, into=target, actor=request.user, reason=data["reason"])
        action.target = target

    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("%(duplicate)s is merged into this report.") % {"duplicate": report.reference},
            )
            return redirect("signals:detail", reference=action.target.reference)
    return _refused(request, report.reference, "merge", form)


# --- the prosecutor's decisions on forwards and extensions ------------------------------------------


def _next_url(request, report: Report) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("signals:detail", args=[report.reference])


def _decide(request, row, choices, call, success: str):
    report = row.report
    if not may_decide(request.user, report):
        raise PermissionDenied
    form = DecisionForm(request.POST, choices=choices)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect(_next_url(request, report))
    try:
        call(form.cleaned_data["decision"], form.cleaned_data["note"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success % {"reference": report.reference})
    return redirect(_next_url(request, report))


@login_required
@require_POST
def forward_decide(request, pk):
    require_staff(request.user)
    visible = Forward.objects.filter(report__in=Report.objects.for_user(request.user)).select_related("report")
    row = get_in_scope_or_404(request, visible, pk=pk)
    return _decide(
        request,
        row,
        forward_choices(),
        lambda decision, note: services.forward_decide(
            forward=row, uphold=decision == "uphold", note=note, actor=request.user
        ),
        _("The forward of %(reference)s is reviewed."),
    )


@login_required
@require_POST
def extension_decide(request, pk):
    require_staff(request.user)
    visible = ExtensionRequest.objects.filter(report__in=Report.objects.for_user(request.user)).select_related("report")
    row = get_in_scope_or_404(request, visible, pk=pk)
    return _decide(
        request,
        row,
        extension_choices(),
        lambda decision, note: services.extension_decide(
            extension=row, grant=decision == "grant", note=note, actor=request.user
        ),
        _("The extension for %(reference)s is decided."),
    )


# --- the oversight page ------------------------------------------------------------------------------


def _region_of(user) -> Region | None:
    if user.organisation_id and user.organisation.region_id:
        return user.organisation.region
    if user.is_superuser:
        return Region.objects.order_by("pk").first()
    return None


# The page number of each list of the oversight page: ?page= pages the overdue answers (the
# longest list), ?returned_page= and so on the others.
OVERSIGHT_PAGE_PARAMS = {name: "page" if name == "overdue" else f"{name}_page" for name in oversight_selectors.LISTS}
# htmx asks for one list (the element it replaces); the overdue answers have their own template.
OVERDUE_TARGET = "overdue-results"


def _oversight_bodies(region: Region, district_ids):
    """The bodies the body filter offers: the region's (a district prosecutor: those serving their
    districts, and those serving the whole region, which serve no district in particular). One
    query; the filter only narrows the user's scope, so a body named by hand reveals nothing."""
    bodies = Organisation.objects.filter(region=region, kind=Organisation.Kind.BODY)
    if district_ids is not None:
        bodies = bodies.filter(Q(districts__in=district_ids) | Q(districts__isnull=True)).distinct()
    return sorted(bodies, key=lambda body: body.name)  # `name` is the active language's


def _list_queries(request) -> dict[str, str]:
    """For each list's pagination: the query string of the page without that list's page number."""
    queries = {}
    for name, param in OVERSIGHT_PAGE_PARAMS.items():
        query = request.GET.copy()
        query.pop(param, None)
        queries[name] = query.urlencode()
    return queries


@login_required
def oversight(request):
    """The district prosecutor's oversight of the bodies: their districts (region-wide roles: the
    region, narrowed to a district if they choose), narrowed to one body if they choose. The analyst
    reads it without deciding. Filter values outside the user's scope are ignored. To htmx it
    answers with the lists alone (the overdue answers alone when it asks for them)."""
    user = request.user
    region = _region_of(user)
    if not policy.may_oversee(user) or region is None:
        raise PermissionDenied
    now = timezone.now()
    district_ids = remit = work_district_ids(user)
    districts = list(District.objects.for_user(user).for_choices().filter(region=region).order_by("kato"))
    selected = next((d for d in districts if str(d.pk) == request.GET.get("district", "")), None)
    if selected is not None:
        district_ids = {selected.pk} | {d.pk for d in districts if d.parent_id == selected.pk}
    bodies = _oversight_bodies(region, remit)
    selected_body = next((b for b in bodies if str(b.pk) == request.GET.get("body", "")), None)
    pages = {name: request.GET.get(param, 1) for name, param in OVERSIGHT_PAGE_PARAMS.items()}
    scope = {"region": region, "district_ids": district_ids, "now": now}
    body_id = selected_body.pk if selected_body else None
    context = {
        "region": region,
        "districts": districts if len(districts) > 1 else [],
        "selected_district": selected,
        "bodies": bodies,
        "selected_body": selected_body,
        "queries": _list_queries(request),
        "page_params": OVERSIGHT_PAGE_PARAMS,
        "now": now,
    }
    # htmx restoring a page missing from its history cache asks for the whole page.
    partial = request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request")
    if partial and request.headers.get("HX-Target") == OVERDUE_TARGET:
        overdue = oversight_selectors.overdue_answers(**scope, body_id=body_id, page=pages["overdue"])
        return _varying(render(request, "signals/work/_oversight_overdue.html", {**context, "overdue": overdue}))
    context |= {
        "can_decide": policy.is_prosecutor(user),
        "forward_choices": forward_choices(),
        "extension_choices": extension_choices(),
        "ranking_days": oversight_selectors.RANKING_DAYS,
        "repeat_days": oversight_selectors.REPEAT_DAYS,
        "repeat_min": oversight_selectors.REPEAT_MIN_REPORTS,
        "since": now - timedelta(days=oversight_selectors.RANKING_DAYS),
        **oversight_selectors.oversight_page(**scope, body_id=body_id, pages=pages),
    }
    template = "signals/work/_oversight_lists.html" if partial else "signals/work/oversight.html"
    return _varying(render(request, template, {**context, "partial": partial}))


def _varying(response):
    # One URL, a whole page or a part of it: a cache must not give one for the other.
    patch_vary_headers(response, ("HX-Request", "HX-Target", "HX-History-Restore-Request"))
    return response
