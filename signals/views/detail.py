"""A report's staff page (/signals/<reference>/): the report, its timeline with the reports
merged into it, and the work panels of the body and the prosecutor. The POST views of
signals.views.reports and signals.views.work render it again, with their refused form.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import get_in_scope_or_404
from accounts.audit import audit_record
from accounts.models import AuditEvent, Organisation, User
from signals import policy, selectors, services
from signals.models import (
    Answer,
    AnswerTemplate,
    Category,
    ExtensionRequest,
    Forward,
    Report,
    ReportEvent,
    ReportSupporter,
)
from signals.policy import AWAITING_ANSWER, may_decide, may_see_reporter
from signals.work_forms import (
    AnswerForm,
    AssignForm,
    ExtensionForm,
    ForwardForm,
    MergeForm,
    ReasonForm,
    RegistrationForm,
)

Status = Report.Status
BODY_FORMS = frozenset({"assign", "forward", "extension", "answer"})


def require_staff(user) -> None:
    if not policy.may_work_on_reports(user):
        raise PermissionDenied


def visible_report(request, reference: str) -> Report:
    """The report if the user's role works on reports and they may see it (404 otherwise, the
    attempt audited)."""
    require_staff(request.user)
    visible = Report.objects.for_user(request.user).select_related(
        "category", "district", "body", "region", "entered_by"
    )
    return get_in_scope_or_404(request, visible, reference=reference)


@login_required
def report_detail(request, reference):
    report = visible_report(request, reference)
    return render_detail(request, report)


def render_detail(request, report: Report, *, forms: dict | None = None):
    """The report's page; `forms` are work forms bound to a refused POST (signals.views.work),
    shown again as they were typed, with the service's message."""

    user = request.user
    contact = None
    if may_see_reporter(user):
        contact = getattr(report, "contact", None) if _has_contact(report) else None
        if contact is not None:
            audit_record(
                action=AuditEvent.Action.PERSONAL_DATA_VIEW,
                actor=user,
                target=f"report:{report.reference}",
                details={"what": "reporter contact"},
                request=request,
            )
    # The timeline holds the events of the reports merged into this one too.
    events = timeline(report)
    context = {
        "report": report,
        "attributes": _attribute_rows(report),
        "photos": report.photos.all(),
        "events": events,
        "contact": contact,
        "same_reporter_reports": selectors.same_reporter_reports(report, contact, user) if contact else [],
        "shows_identity": may_see_reporter(user),
        "can_reroute": policy.may_reroute(user, report),
    }
    # Accepting and returning an answer have their own panel (with the answer beside them).
    context["transitions"] = [
        (value, label) for value, label in _allowed_statuses(user, report) if value not in policy.ANSWER_DECISIONS
    ]
    context["transition_values"] = [value for value, _label in context["transitions"]]
    if context["can_reroute"]:
        context["categories"] = Category.objects.filter(is_active=True)
        context["bodies"] = bodies_for(report)
    context.update(work_context(request, report, forms or {}))
    return render(request, "signals/report_detail.html", context)


def _status_label(status: str) -> str:
    return Report.Status(status).label if status in Report.Status.values else status


def _has_contact(report: Report) -> bool:
    try:
        report.contact  # noqa: B018
    except Report.contact.RelatedObjectDoesNotExist:
        return False
    return True


def _attribute_rows(report: Report) -> list[dict]:
    """The extra fields with their questions (and choice names) in the reader's language."""
    definitions = {attribute.code: attribute for attribute in report.category.attributes.all()}
    rows = []
    for code, value in (report.attributes or {}).items():
        attribute = definitions.get(code)
        question = services.attribute_label(attribute) if attribute else code
        if attribute and attribute.values:
            names = {item["key"]: _choice_name(item) for item in attribute.values}
            values = value if isinstance(value, list) else [value]
            value = ", ".join(names.get(str(v), str(v)) for v in values)
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        rows.append({"question": question or code, "value": value})
    return rows


def _choice_name(item: dict) -> str:
    from signals.forms import _value_name

    return _value_name(item)


def bodies_for(report: Report):
    bodies = Organisation.objects.filter(kind=Organisation.Kind.BODY, is_active=True)
    if report.district_id:
        district_ids = {report.district_id}
        if report.district.parent_id:
            district_ids.add(report.district.parent_id)
        bodies = bodies.filter(districts__in=district_ids)
    else:
        bodies = bodies.filter(region_id=report.region_id)
    return bodies.distinct().order_by("type", "code")


def _allowed_statuses(user, report: Report) -> list[tuple[str, str]]:
    """The status buttons for this user; answering (with its text) belongs to the answer pages."""
    allowed = set(policy.actions_for(user, report)) - {Report.Status.ANSWERED}
    return [(status, Report.Status(status).label) for status in Report.Status.values if status in allowed]


def decidable_report(request, reference) -> Report:
    """A report the user may see and decide on (PermissionDenied when they only see it)."""
    report = visible_report(request, reference)
    if not policy.may_decide(request.user, report):
        raise PermissionDenied
    return report


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


def officers(report: Report):
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
                "assign_form": forms.get("assign") or AssignForm(officers=officers(report)),
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
                "return_form": forms.get("return") or (ReasonForm() if report.status in policy.RETURNABLE else None),
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
