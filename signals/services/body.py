"""The body's work on a report: assign an officer, forward it to another body, ask for more time,
record the registration number, answer.
"""

from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Role, User
from accounts.zones import report_zone

from .. import notices
from ..deadlines import compute_deadline
from ..models import Answer, ExtensionRequest, Forward, Report, ReportEvent, ReportPhoto
from ..policy import answered_on_time, is_late, may_register, may_trigger, transition_for
from .events import (
    clean_text,
    copy_back,
    locked_report,
    notify_body_on_commit,
    record_event,
    require_awaiting_answer,
    require_body_staff,
    user_or_none,
)
from .prosecutor import report_transition

Status = Report.Status
Kind = ReportEvent.Kind


@transaction.atomic
def report_assign(*, report: Report, assignee: User | None, actor) -> Report:
    """Give the report to an officer of the body (None: to nobody in particular)."""
    locked = locked_report(report)
    require_body_staff(actor, locked)
    require_awaiting_answer(locked)
    if assignee is not None and (
        not assignee.is_active or assignee.organisation_id != locked.body_id or assignee.role != Role.BODY_OFFICER
    ):
        raise ValidationError({"assignee": [_("Choose an officer of the body.")]})
    if assignee is not None and assignee.pk == locked.assignee_id:
        raise ValidationError({"assignee": [_("The report is already assigned to this officer.")]})
    locked.assignee = assignee
    locked.save(update_fields=["assignee"])
    record_event(locked, Kind.ASSIGNED, actor, timezone.now(), assignee=assignee.pk if assignee else None)
    copy_back(locked, report, ["assignee"])
    return report


@transaction.atomic
def report_forward(*, report: Report, to_body: Organisation, reason: str, actor) -> Forward:
    """The body passes the report to another body, with a reason: at once, with a fresh deadline.
    The overseeing prosecutor sees every forward and may send it back (forward_decide)."""
    locked = locked_report(report)
    require_body_staff(actor, locked)
    require_awaiting_answer(locked)
    reason = clean_text(reason, "reason", 2000, _("Say why the report belongs to the other body."))
    if to_body is None or to_body.pk == locked.body_id:
        raise ValidationError({"to_body": [_("Choose another body: the report is already with this one.")]})
    if (
        not to_body.is_active
        or to_body.kind != Organisation.Kind.BODY
        or (to_body.region_id is not None and to_body.region_id != locked.region_id)
    ):
        raise ValidationError({"to_body": [_("Choose an active body of the report's region.")]})
    now = timezone.now()
    from_body = locked.body
    forward = Forward.objects.create(
        report=locked,
        from_body=from_body,
        to_body=to_body,
        reason=reason,
        previous_deadline=locked.deadline_at,
        by=user_or_none(actor),
        at=now,
    )
    old_status = locked.status
    locked.body, locked.status, locked.routed_at, locked.assignee = to_body, Status.ROUTED, now, None
    locked.deadline_at = compute_deadline(locked.category, now, zone=report_zone(locked))
    locked.overdue = False
    fields = ["body", "status", "routed_at", "assignee", "deadline_at", "overdue"]
    locked.save(update_fields=fields)
    record_event(
        locked,
        Kind.FORWARDED,
        actor,
        now,
        from_status=old_status,
        from_body=from_body.pk,
        to_body=to_body.pk,
        reason=reason,
        forward=forward.pk,
    )
    notify_body_on_commit(locked, to_body, Kind.FORWARDED)
    notices.forwarded(locked, forward)
    copy_back(locked, report, fields)
    return forward


EXTENSION_MAX_DAYS = 30


@transaction.atomic
def extension_request(*, report: Report, days: int, reason: str, actor) -> ExtensionRequest:
    """The body asks for `days` more working days, before the deadline passes."""
    locked = locked_report(report)
    require_body_staff(actor, locked)
    require_awaiting_answer(locked)
    now = timezone.now()
    if locked.deadline_at is None or is_late(locked.deadline_at, now):
        raise ValidationError(_("The deadline has passed: an extension must be asked before it."))
    if not isinstance(days, int) or not 1 <= days <= EXTENSION_MAX_DAYS:
        raise ValidationError({"days": [_("Ask for 1 to %(max)d working days.") % {"max": EXTENSION_MAX_DAYS}]})
    reason = clean_text(reason, "reason", 2000, _("Say why more time is needed."))
    if ExtensionRequest.objects.filter(report=locked, decision=ExtensionRequest.Decision.PENDING).exists():
        raise ValidationError(_("An extension asked earlier is still waiting for the prosecutor."))
    extension = ExtensionRequest.objects.create(
        report=locked,
        body=locked.body,
        days=days,
        reason=reason,
        by=user_or_none(actor),
        at=now,
        deadline_before=locked.deadline_at,
    )
    record_event(locked, Kind.EXTENSION_REQUESTED, actor, now, extension=extension.pk, days=days, reason=reason)
    notices.extension_requested(locked, extension)
    return extension


REGISTRATION_NUMBER_MAX = 40


@transaction.atomic
def report_register(*, report: Report, registration: str, number: str, actor) -> Report:
    """Record the number under which the body registered the report as an offence (КУИ or ЕРДР)."""
    locked = locked_report(report)
    if not may_register(actor, locked):
        raise PermissionDenied(_("Only the body the report is with, or its prosecutor, may do this."))
    if registration not in Report.Registration.values:
        raise ValidationError({"registration": [_("Choose the register: KUI or ERDR.")]})
    number = clean_text(number, "registration_number", REGISTRATION_NUMBER_MAX, _("Give the registration number."))
    if (locked.registration, locked.registration_number) == (registration, number):
        raise ValidationError({"registration_number": [_("This number is already recorded.")]})
    now = timezone.now()
    locked.registration, locked.registration_number, locked.registered_at = registration, number, now
    fields = ["registration", "registration_number", "registered_at"]
    locked.save(update_fields=fields)
    record_event(locked, Kind.REGISTERED, actor, now, registration=registration, number=number)
    copy_back(locked, report, fields)
    return report


def clean_measures(measures) -> list[str]:
    chosen = [m for m in (measures or []) if m]
    unknown = [m for m in chosen if m not in Answer.Measure.values]
    if unknown:
        raise ValidationError({"measures": [_("Unknown measure: %(names)s.") % {"names": ", ".join(unknown)}]})
    return sorted(set(chosen), key=Answer.Measure.values.index)


def answer_give(
    *,
    report: Report,
    result: str,
    text: str,
    actor,
    measures: Sequence[str] = (),
    public_text: str = "",
    photos: Sequence = (),
) -> Answer:
    """The body's answer: what was done and the result. The report becomes answered and waits
    for the prosecutor, who accepts it (resolved) or returns it."""
    with transaction.atomic():
        locked = locked_report(report)
        require_body_staff(actor, locked)
        transition = transition_for(locked.status, Status.ANSWERED)
        if not may_trigger(actor, locked, transition):
            raise PermissionDenied(_("You may not change this report's status."))
        if result not in Answer.Result.values:
            raise ValidationError({"result": [_("Choose the result.")]})
        text = clean_text(text, "text", 4000, _("Say what was done."))
        public_text = (public_text or "").strip()
        if len(public_text) > 2000:
            raise ValidationError({"public_text": [_("At most %(limit)d characters.") % {"limit": 2000}]})
        photos = list(photos or ())
        if len(photos) > settings.REPORT_PHOTO_MAX_COUNT:
            raise ValidationError(
                {"photos": [_("Attach at most %(max)d photos.") % {"max": settings.REPORT_PHOTO_MAX_COUNT}]}
            )
        now = timezone.now()
        answer = Answer.objects.create(
            report=locked,
            body=locked.body,
            author=user_or_none(actor),
            at=now,
            result=result,
            measures=clean_measures(measures),
            text=text,
            public_text=public_text,
            on_time=answered_on_time(locked.deadline_at, now),
        )
        for photo in photos:
            ReportPhoto.objects.create(report=locked, image=photo, source=ReportPhoto.Source.ANSWER, answer=answer)
        report_transition(report=report, to_status=Status.ANSWERED, actor=actor, answer=answer)
        return answer
