"""The prosecutor's decisions on a report: re-categorise, re-route, move it along the workflow
(signals.policy), accept or return the body's answer, decide forwards and extensions, note an
act of response.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.zones import report_zone

from .. import notices
from ..categories import get_category
from ..deadlines import compute_deadline, extend_deadline
from ..models import Answer, ExtensionRequest, Forward, Report, ReportEvent
from ..policy import (
    ANSWER_CHANGES,
    ANSWER_DECISIONS,
    AWAITING_ANSWER,
    CLOSING_STATUSES,
    is_late,
    may_trigger,
    transition_for,
)
from ..routing import find_body
from .events import (
    after_status_change,
    answer_changed_on_commit,
    copy_back,
    locked_report,
    notify_body_on_commit,
    recategorised_on_commit,
    record_event,
    require_prosecutor,
    require_reroutable,
    user_or_none,
)

Status = Report.Status
Kind = ReportEvent.Kind


@transaction.atomic
def report_recategorise(*, report: Report, category, actor, reason: str = "") -> Report:
    """Put the report in another category: routes it again and restarts its deadline from now."""
    require_prosecutor(actor, report)
    locked = locked_report(report)
    require_reroutable(locked)
    category = get_category(category)
    if category is None or not category.is_active:
        raise ValidationError({"category": [_("Choose a category in use.")]})
    if category.pk == locked.category_id:
        raise ValidationError({"category": [_("The report is already in this category.")]})
    now = timezone.now()
    old_category, old_body_id, old_status = locked.category, locked.body_id, locked.status
    body = find_body(region=locked.region, category=category, district=locked.district)
    locked.category = category
    locked.sensitive = category.sensitive
    locked.deadline_at = compute_deadline(category, now, zone=report_zone(locked))
    locked.overdue = False
    if body is None:
        # No body for the new category: back to the prosecutor's triage.
        locked.body, locked.status = None, Status.NEW
    elif body.pk != old_body_id or locked.status == Status.NEW:
        locked.body, locked.status, locked.routed_at = body, Status.ROUTED, now
    fields = ["category", "sensitive", "deadline_at", "overdue", "body", "status", "routed_at"]
    locked.save(update_fields=fields)
    record_event(
        locked,
        Kind.RECATEGORISED,
        actor,
        now,
        from_status=old_status,
        from_category=old_category.code,
        to_category=category.code,
        from_body=old_body_id,
        to_body=locked.body_id,
        deadline=locked.deadline_at.isoformat(),
        reason=reason.strip(),
    )
    if locked.body_id and locked.body_id != old_body_id:
        notify_body_on_commit(locked, locked.body, Kind.RECATEGORISED)
    recategorised_on_commit(locked)
    copy_back(locked, report, fields)
    return report


@transaction.atomic
def report_reroute(*, report: Report, body: Organisation, actor, reason: str = "") -> Report:
    """Send the report to another body (or, from the triage, to a body): deadline from now."""
    require_prosecutor(actor, report)
    locked = locked_report(report)
    require_reroutable(locked)
    if (
        body is None
        or not body.is_active
        or body.kind == Organisation.Kind.PARTNER
        or (body.region_id is not None and body.region_id != locked.region_id)
    ):
        raise ValidationError({"body": [_("Choose an active body of the report's region.")]})
    if body.pk == locked.body_id:
        raise ValidationError({"body": [_("The report is already with this body.")]})
    now = timezone.now()
    old_body_id, old_status = locked.body_id, locked.status
    locked.body, locked.status, locked.routed_at = body, Status.ROUTED, now
    locked.deadline_at = compute_deadline(locked.category, now, zone=report_zone(locked))
    locked.overdue = False
    fields = ["body", "status", "routed_at", "deadline_at", "overdue"]
    locked.save(update_fields=fields)
    record_event(
        locked,
        Kind.REROUTED if old_body_id else Kind.ROUTED,
        actor,
        now,
        from_status=old_status,
        from_body=old_body_id,
        to_body=body.pk,
        deadline=locked.deadline_at.isoformat(),
        reason=reason.strip(),
    )
    notify_body_on_commit(locked, body, Kind.REROUTED if old_body_id else Kind.ROUTED)
    copy_back(locked, report, fields)
    return report


@transaction.atomic
def report_transition(
    *,
    report: Report,
    to_status: str,
    actor,
    reason: str = "",
    duplicate_of: Report | None = None,
    answer: Answer | None = None,
) -> Report:
    """Move the report along the workflow (signals/policy.py); refuses what the table forbids.

    Returning or resolving an answered report decides its pending answer; a returned report gets
    a fresh deadline. Answering takes the Answer written by answer_give."""
    locked = locked_report(report)
    transition = transition_for(locked.status, to_status)
    if not may_trigger(actor, locked, transition):
        raise PermissionDenied(_("You may not change this report's status."))
    reason = (reason or "").strip()
    now = timezone.now()
    from_status = locked.status
    fields = ["status"]
    data = {"action": transition.action}
    if reason:
        data["reason"] = reason
    if to_status == Status.ROUTED:
        if locked.body_id is None:
            raise ValidationError({"body": [_("Choose the body first: re-route the report to it.")]})
        locked.routed_at = now
        fields.append("routed_at")
    elif to_status == Status.REJECTED:
        if not reason:
            raise ValidationError({"reason": [_("Say why the report is rejected.")]})
        locked.rejection_reason = reason
        fields.append("rejection_reason")
    elif to_status == Status.DUPLICATE:
        if duplicate_of is None or duplicate_of.pk == locked.pk or duplicate_of.region_id != locked.region_id:
            raise ValidationError({"duplicate_of": [_("Name the report this one repeats.")]})
        locked.duplicate_of = duplicate_of
        fields.append("duplicate_of")
        data["duplicate_of"] = duplicate_of.reference
    elif to_status == Status.ANSWERED:
        if answer is None:
            raise ValidationError(_("Answer with the answer form: say what was done and the result."))
        locked.answered_at = now
        locked.overdue = is_late(locked.deadline_at, now)
        locked.public_answer = answer.public_text
        locked.answer_result = answer.result
        fields += ["answered_at", "overdue", "public_answer", "answer_result"]
        data["answer"] = answer.pk
    elif to_status == Status.RETURNED:
        if not reason:
            raise ValidationError({"reason": [_("Say what the body must do again.")]})
        locked.deadline_at = compute_deadline(locked.category, now, zone=report_zone(locked))
        locked.overdue = False
        locked.answer_result = ""  # the returned answer no longer stands
        fields += ["deadline_at", "overdue", "answer_result"]
        data["deadline"] = locked.deadline_at.isoformat()
    if from_status == Status.ANSWERED and to_status in ANSWER_DECISIONS:
        _decide_answer(locked, to_status, reason, actor, now)
    if to_status in CLOSING_STATUSES:
        locked.closed_at = now
        fields.append("closed_at")
    locked.status = to_status
    locked.save(update_fields=fields)
    record_event(locked, Kind.STATUS, actor, now, from_status=from_status, **data)
    after_status_change(locked, from_status, to_status, actor)
    if to_status in ANSWER_CHANGES:
        # The answer given, or the one the decision concerns (a return after the reporter reopened
        # the report concerns its last answer, accepted before).
        answer_changed_on_commit(answer.pk if answer is not None else _last_answer_id(locked))
    copy_back(locked, report, fields)
    return report


def _last_answer_id(report: Report) -> int | None:
    return Answer.objects.filter(report=report).order_by("-at", "-id").values_list("pk", flat=True).first()


def _decide_answer(report: Report, to_status: str, reason: str, actor, now: datetime) -> None:
    decision = Answer.Decision.RETURNED if to_status == Status.RETURNED else Answer.Decision.ACCEPTED
    Answer.objects.filter(report=report, decision=Answer.Decision.PENDING).update(
        decision=decision,
        decided_by=user_or_none(actor),
        decided_at=now,
        return_reason=reason if decision == Answer.Decision.RETURNED else "",
    )


@transaction.atomic
def forward_decide(*, forward: Forward, uphold: bool, actor, note: str = "") -> Forward:
    """The prosecutor upholds a forward, or sends the report back to the first body with the
    deadline it had there (forwarding buys no time)."""
    forward = Forward.objects.select_for_update().get(pk=forward.pk)
    locked = locked_report(forward.report)
    require_prosecutor(actor, locked)
    if forward.decision != Forward.Decision.PENDING:
        raise ValidationError(_("This forward has already been reviewed."))
    now = timezone.now()
    note = (note or "").strip()
    if not uphold:
        if locked.body_id != forward.to_body_id or locked.status not in AWAITING_ANSWER:
            raise ValidationError(_("The report has moved on since this forward: re-route it from its page instead."))
        if not note:
            raise ValidationError({"note": [_("Say why the report goes back to the first body.")]})
        locked.body, locked.status, locked.routed_at, locked.assignee = forward.from_body, Status.ROUTED, now, None
        locked.deadline_at = forward.previous_deadline or compute_deadline(
            locked.category, now, zone=report_zone(locked)
        )
        locked.overdue = is_late(locked.deadline_at, now)
        locked.save(update_fields=["body", "status", "routed_at", "assignee", "deadline_at", "overdue"])
        notify_body_on_commit(locked, forward.from_body, Kind.FORWARD_DECIDED)
    forward.decision = Forward.Decision.UPHELD if uphold else Forward.Decision.REVERSED
    forward.decided_by, forward.decided_at, forward.decision_note = user_or_none(actor), now, note
    forward.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])
    record_event(locked, Kind.FORWARD_DECIDED, actor, now, forward=forward.pk, decision=forward.decision, note=note)
    return forward


@transaction.atomic
def extension_decide(*, extension: ExtensionRequest, grant: bool, actor, note: str = "") -> ExtensionRequest:
    """The district prosecutor grants (the deadline moves by the working days asked) or refuses."""
    extension = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
    locked = locked_report(extension.report)
    require_prosecutor(actor, locked)
    if extension.decision != ExtensionRequest.Decision.PENDING:
        raise ValidationError(_("This extension has already been decided."))
    note = (note or "").strip()
    if not grant and not note:
        raise ValidationError({"note": [_("Say why the extension is refused.")]})
    now = timezone.now()
    extension.decision = ExtensionRequest.Decision.GRANTED if grant else ExtensionRequest.Decision.REFUSED
    extension.decided_by, extension.decided_at, extension.decision_note = user_or_none(actor), now, note
    if grant and locked.status in AWAITING_ANSWER and locked.deadline_at:
        locked.deadline_at = extend_deadline(locked.deadline_at, extension.days, zone=report_zone(locked))
        locked.overdue = is_late(locked.deadline_at, now)
        locked.save(update_fields=["deadline_at", "overdue"])
        extension.deadline_after = locked.deadline_at
    extension.save(update_fields=["decision", "decided_by", "decided_at", "decision_note", "deadline_after"])
    record_event(
        locked,
        Kind.EXTENSION_DECIDED,
        actor,
        now,
        extension=extension.pk,
        decision=extension.decision,
        deadline=locked.deadline_at.isoformat() if locked.deadline_at else None,
        note=note,
    )
    notices.extension_decided(locked, extension)
    return extension


def answer_accept(*, report: Report, actor) -> Report:
    """The prosecutor accepts the answer: the report is resolved."""
    return report_transition(report=report, to_status=Status.RESOLVED, actor=actor)


def answer_return(*, report: Report, reason: str, actor) -> Report:
    """The prosecutor returns the answer for re-work, saying what to do: a fresh deadline runs."""
    return report_transition(report=report, to_status=Status.RETURNED, actor=actor, reason=reason)


@transaction.atomic
def report_note_act(*, report: Report, act_id: int, act_type: str, actor) -> ReportEvent:
    """An act of prosecutorial response (supervision.services.act_record) names this report. The
    report is read locked, so the event's snapshots (status, body, deadline) are the report's own."""
    require_prosecutor(actor, report)
    locked = locked_report(report)
    return record_event(locked, Kind.ACT, actor, timezone.now(), act=act_id, type=str(act_type))
