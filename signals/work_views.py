"""The body's workspace and the prosecutor's oversight, as pages.

/signals/queue/ is the body's queue (its reports waiting for an answer, by deadline);
/signals/oversight/ the prosecutor's oversight page (signals.oversight). On a report's page
(signals.views.report_detail, which takes its work panels from `work_context`) the body assigns,
forwards, asks for more time, records the registration number and answers; the prosecutor accepts
or returns the answer, decides forwards and extensions, and merges duplicates. Every action is a
small POST view calling one service: a refusal re-renders the page with the form as it was typed
and the service's message; PermissionDenied is a 403; a report outside the user's scope a 404.
The body never sees who reported (reporters' and supporters' contacts are for prosecutors only).
"""

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_in_scope_or_404
from accounts.audit import audit_record
from accounts.models import AuditEvent, District, Organisation, Region, User
from accounts.scoping import work_district_ids
from signals import oversight as oversight_selectors
from signals import policy, selectors, services
from signals.models import Answer, AnswerTemplate, ExtensionRequest, Forward, Report, ReportEvent, ReportSupporter
from signals.policy import AWAITING_ANSWER, may_answer, may_decide, may_see_reporter
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

Status = Report.Status
QUEUE_PAGE_SIZE = 50
QUEUE_FILTERS = ("all", "me", "none")
BODY_FORMS = frozenset({"assign", "forward", "extension", "answer"})


def _require_staff(user) -> None:
    if not policy.may_work_on_reports(user):
        raise PermissionDenied


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


# --- the report page's work panels -------------------------------------------------------------


def answer_templates(report: Report):
    """The active templates for the report's body (its own, or its type's), for its category or any."""
    if report.body_id is None:
        return AnswerTemplate.objects.none()
    return (
        AnswerTemplate.objects.filter(is_active=True)
        .filter(Q(organisation_id=report.body_id) | Q(organisation__isnull=True, body_type=report.body.type))
        .filter(Q(category_id=report.category_id) | Q(category__isnull=True))
    )


def _chosen_template(request, report: Report) -> AnswerTemplate | None:
    value = request.GET.get("template", "")
    if not value.isdigit():
        return None
    return answer_templates(report).filter(pk=int(value)).first()


def _officers(report: Report):
    return policy.body_staff(report.body_id).order_by("last_name", "first_name", "username")


def _forward_bodies(report: Report):
    return (
        Organisation.objects.filter(kind=Organisation.Kind.BODY, is_active=True)
        .filter(Q(region_id=report.region_id) | Q(region__isnull=True))
        .exclude(pk=report.body_id)
        .order_by("type", "code")
    )


def _forward_groups(report: Report) -> list[tuple[str, list]]:
    """The bodies a report may be forwarded to: those serving its district first, then the rest."""
    bodies = list(_forward_bodies(report))
    serving = set()
    if report.district_id:
        district_ids = {report.district_id} | ({report.district.parent_id} if report.district.parent_id else set())
        serving = set(
            Organisation.objects.filter(districts__in=district_ids, kind=Organisation.Kind.BODY).values_list(
                "id", flat=True
            )
        )
    groups = [
        (_("Serving the report's district"), [b for b in bodies if b.pk in serving]),
        (_("Other bodies of the region"), [b for b in bodies if b.pk not in serving]),
    ]
    return [(label, members) for label, members in groups if members]


def forward_choices():
    return [("uphold", _("Uphold the forward")), ("reverse", _("Send it back to the first body"))]


def extension_choices():
    return [("grant", _("Grant")), ("refuse", _("Refuse"))]


def act_url(report: Report) -> str:
    """The supervision app's "new act of response" page for this report; empty until it exists."""
    try:
        return reverse("supervision:act_new") + "?" + urlencode({"report": report.reference})
    except NoReverseMatch:
        return ""


def _answers(report: Report) -> list[Answer]:
    answers = list(report.answers.select_related("body", "author", "decided_by").prefetch_related("photos"))
    for answer in answers:
        answer.measure_labels = [Answer.Measure(m).label for m in answer.measures if m in Answer.Measure.values]
    return answers


def _supporters(request, report: Report) -> dict:
    """How many others follow the report; their contacts for prosecutors only (audited)."""
    supporters = list(ReportSupporter.objects.filter(report=report).select_related("merged_from"))
    context = {"supporters_count": len(supporters)}
    if not may_see_reporter(request.user):
        return context
    context["supporters"] = supporters
    if any(s.name or s.phone or s.email for s in supporters):
        audit_record(
            action=AuditEvent.Action.PERSONAL_DATA_VIEW,
            actor=request.user,
            target=f"report:{report.reference}",
            details={"what": "supporter contacts"},
            request=request,
        )
    return context


def work_context(request, report: Report, forms: dict) -> dict:
    """The work panels of the report page for this user; `forms` holds a refused form, bound."""
    user = request.user
    now = timezone.now()
    body_staff = policy.acts_as_body(user, report)
    prosecutor = may_decide(user, report)
    context = {
        "answers": _answers(report),
        "acts_as_body": body_staff,
        "acts_as_prosecutor": prosecutor,
        "max_photos": settings.REPORT_PHOTO_MAX_COUNT,
        **_supporters(request, report),
    }
    # A refused form is shown again even if its panel would not be (the status has moved on).
    if body_staff and (report.status in AWAITING_ANSWER or forms.keys() & BODY_FORMS):
        pending = report.extensions.filter(decision=ExtensionRequest.Decision.PENDING).first()
        templates = list(answer_templates(report))
        chosen = _chosen_template(request, report)
        context.update(
            {
                "assign_form": forms.get("assign") or AssignForm(officers=_officers(report)),
                "forward_form": forms.get("forward") or ForwardForm(),
                "forward_groups": _forward_groups(report),
                "extension_form": forms.get("extension") or ExtensionForm(),
                "pending_extension": pending,
                "deadline_passed": policy.is_late(report.deadline_at, now),
                "answer_templates": templates,
                "chosen_template": chosen,
                "answer_form": forms.get("answer") or AnswerForm(initial=AnswerForm.initial_from(chosen)),
            }
        )
    if (body_staff or prosecutor) and (report.status not in policy.FINAL_STATUSES or "register" in forms):
        context["register_form"] = forms.get("register") or RegistrationForm(
            initial={"registration": report.registration or Report.Registration.KUI}
        )
    if prosecutor:
        forwards = list(
            report.forwards.filter(decision=Forward.Decision.PENDING).select_related("from_body", "to_body", "by")
        )
        extensions = list(report.extensions.filter(decision=ExtensionRequest.Decision.PENDING).select_related("body"))
        context.update(
            {
                "can_accept": report.status == Status.ANSWERED,
                "return_form": forms.get("return")
                or (ReasonForm() if report.status in (Status.ANSWERED, Status.REOPENED) else None),
                "pending_forwards": forwards,
                "forward_choices": forward_choices(),
                "pending_extensions": extensions,
                "extension_choices": extension_choices(),
                "merge_form": forms.get("merge") or (MergeForm() if report.status in policy.MERGEABLE else None),
                "act_url": act_url(report),
            }
        )
    return context


# --- the timeline of the report and of the reports merged into it --------------------------------


def _status_label(status: str) -> str:
    return Report.Status(status).label if status in Report.Status.values else status


def _event_detail(event: ReportEvent, bodies: dict, users: dict) -> str:
    """One line saying what the event's data holds (never a reporter's contact)."""
    kind, data = ReportEvent.Kind, event.data or {}
    if event.kind == kind.ASSIGNED:
        assignee = users.get(data.get("assignee"))
        if assignee is None:
            return _("Not assigned to anyone in particular.")
        return _("Assigned to %(name)s.") % {"name": assignee.get_full_name() or assignee.username}
    if event.kind == kind.FORWARDED:
        source = bodies.get(data.get("from_body"))
        return _("From %(body)s.") % {"body": source.name} if source else ""
    if event.kind == kind.FORWARD_DECIDED:
        decision = data.get("decision")
        return str(Forward.Decision(decision).label).capitalize() if decision in Forward.Decision.values else ""
    if event.kind == kind.EXTENSION_REQUESTED:
        return _("%(days)s more working days asked.") % {"days": data.get("days", "?")}
    if event.kind == kind.EXTENSION_DECIDED:
        decision = data.get("decision")
        label = ExtensionRequest.Decision(decision).label if decision in ExtensionRequest.Decision.values else ""
        return str(label).capitalize()
    if event.kind == kind.REGISTERED:
        registration = data.get("registration")
        register = Report.Registration(registration).label if registration in Report.Registration.values else ""
        return f"{register}: {data.get('number', '')}"
    if event.kind == kind.MERGED and data.get("merged"):
        return _("Report %(reference)s was merged into this one.") % {"reference": data["merged"]}
    if event.kind == kind.STATUS and data.get("duplicate_of"):
        return _("Merged into %(reference)s.") % {"reference": data["duplicate_of"]}
    if event.kind == kind.RATED and data.get("rating"):
        return _("Rating: %(rating)s of 5.") % {"rating": data["rating"]}
    if event.kind == kind.ME_TOO:
        return _("Someone else reported the same.")
    return ""


def timeline(report: Report) -> list[ReportEvent]:
    """The events of the report and of the reports merged into it, in time order; each with
    `from_label`, `to_label`, `detail`, `note` and `merged_reference` (the merged report's, if not
    this one's)."""
    family = selectors.report_family_ids(report)
    events = list(
        ReportEvent.objects.filter(report_id__in=family).select_related("actor", "body", "report").order_by("at", "id")
    )

    def referenced(kind, key) -> list[int]:
        values = {e.data.get(key) for e in events if e.kind == kind and isinstance(e.data, dict)}
        return [value for value in values if isinstance(value, int)]

    bodies = Organisation.objects.in_bulk(referenced(ReportEvent.Kind.FORWARDED, "from_body"))
    users = User.objects.in_bulk(referenced(ReportEvent.Kind.ASSIGNED, "assignee"))
    for event in events:
        event.from_label = _status_label(event.from_status)
        event.to_label = _status_label(event.to_status)
        event.detail = _event_detail(event, bodies, users)
        data = event.data if isinstance(event.data, dict) else {}
        event.note = data.get("reason") or data.get("note") or data.get("text") or ""
        event.merged_reference = event.report.reference if event.report_id != report.pk else ""
    return events


# --- the actions on a report -----------------------------------------------------------------------


def _scoped_report(request, reference: str) -> Report:
    """The report if the user may see it (404 otherwise, the attempt audited)."""
    _require_staff(request.user)
    visible = Report.objects.for_user(request.user).select_related("category", "district", "body", "region")
    return get_in_scope_or_404(request, visible, reference=reference)


def _refused(request, reference: str, key: str, form):
    """The report's page again, with the refused form as it was typed and its errors."""
    from signals.views import render_detail

    # What concerns the whole action (a status that does not allow it...) goes at the top of the
    # page; what concerns a field stays on the form, shown again as it was typed.
    general = form.non_field_errors()
    for message in general:
        messages.error(request, message)
    if not general:
        messages.error(request, _("Nothing was changed: see the message in the form."))
    report = _scoped_report(request, reference)
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
    report = _scoped_report(request, reference)
    if not may_answer(request.user, report):
        raise PermissionDenied
    return report


def _prosecutor_report(request, reference: str) -> Report:
    report = _scoped_report(request, reference)
    if not may_decide(request.user, report):
        raise PermissionDenied
    return report


@login_required
@require_POST
def assign(request, reference):
    report = _body_report(request, reference)
    form = AssignForm(request.POST, officers=_officers(report))
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
    report = _scoped_report(request, reference)
    if not (may_answer(request.user, report) or may_decide(request.user, report)):
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
    report = _prosecutor_report(request, reference)
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
    report = _prosecutor_report(request, reference)
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
    report = _prosecutor_report(request, reference)
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
    _require_staff(request.user)
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
    _require_staff(request.user)
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


@login_required
def oversight(request):
    """The district prosecutor's oversight of the bodies: their districts (region-wide roles: the
    region, narrowed to a district if they choose). The analyst reads it without deciding."""
    user = request.user
    region = _region_of(user)
    if not policy.may_oversee(user) or region is None:
        raise PermissionDenied
    now = timezone.now()
    district_ids = work_district_ids(user)
    districts = list(District.objects.for_user(user).for_choices().filter(region=region).order_by("kato"))
    selected = next((d for d in districts if str(d.pk) == request.GET.get("district", "")), None)
    if selected is not None:
        district_ids = {selected.pk} | {d.pk for d in districts if d.parent_id == selected.pk}
    context = {
        "region": region,
        "districts": districts if len(districts) > 1 else [],
        "selected_district": selected,
        "can_decide": policy.is_prosecutor(user),
        "forward_choices": forward_choices(),
        "extension_choices": extension_choices(),
        "ranking_days": oversight_selectors.RANKING_DAYS,
        "repeat_days": oversight_selectors.REPEAT_DAYS,
        "repeat_min": oversight_selectors.REPEAT_MIN_REPORTS,
        "now": now,
        "since": now - timedelta(days=oversight_selectors.RANKING_DAYS),
        **oversight_selectors.oversight_page(region=region, district_ids=district_ids, now=now),
    }
    return render(request, "signals/work/oversight.html", context)
