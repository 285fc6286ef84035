"""What every write of a report shares: the locked row, the checks of who acts, the one way an
event is written, and what follows a status change (the staff's notices, the reporters' mail).
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from lib.plugins import answer_tasks, recategorise_tasks, report_tasks
from lib.tasks import enqueue_all_on_commit, enqueue_on_commit

from .. import notices, tasks
from ..models import Report, ReportEvent
from ..policy import AWAITING_ANSWER, REROUTABLE, may_answer, may_decide, reporter_hears_of

Status = Report.Status
Kind = ReportEvent.Kind


def user_or_none(user) -> User | None:
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def require_prosecutor(actor, report: Report) -> None:
    if not may_decide(actor, report):
        raise PermissionDenied(_("Only a prosecutor overseeing this report's district may do this."))


def locked_report(report: Report) -> Report:
    # of=("self",): lock the report row only. PostgreSQL refuses FOR UPDATE on the nullable side
    # of the outer join that select_related makes for the district.
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("region", "district", "category")
        .get(pk=report.pk)
    )


def copy_back(source: Report, target: Report, fields: list[str]) -> None:
    """Keep the caller's instance in step with the saved row."""
    for name in fields:
        setattr(target, name, getattr(source, name))


def require_reroutable(report: Report) -> None:
    if report.status not in REROUTABLE:
        raise ValidationError(
            _("A report with status “%(status)s” can no longer be re-categorised or re-routed.")
            % {"status": Status(report.status).label}
        )


def notify_body_on_commit(report: Report, body: Organisation, kind: str) -> None:
    enqueue_on_commit(tasks.notify_body, report.pk, body.pk, str(kind))


def submitted_on_commit(report: Report, body: Organisation | None) -> None:
    """A new report's tasks: the body's notice, and the other apps' work on every report
    (lib.plugins' report_tasks), in one INSERT of task rows."""
    calls = [(tasks.notify_body, (report.pk, body.pk, str(Kind.ROUTED)))] if body is not None else []
    calls += [(task, (report.pk,)) for task in report_tasks()]
    enqueue_all_on_commit(calls)


def answer_changed_on_commit(answer_id: int | None) -> None:
    """The other apps' work on an answer given, accepted or returned (lib.plugins' answer_tasks),
    in one INSERT of task rows; nothing when no app declares any or there is no answer."""
    if answer_id is not None and answer_tasks():
        enqueue_all_on_commit([(task, (answer_id,)) for task in answer_tasks()])


def recategorised_on_commit(report: Report) -> None:
    """The other apps' work on a report put in another category (lib.plugins' recategorise_tasks)."""
    if recategorise_tasks():
        enqueue_all_on_commit([(task, (report.pk,)) for task in recategorise_tasks()])


def after_status_change(report: Report, from_status: str, to_status: str, actor) -> None:
    notices.status_changed(report, from_status, to_status)
    if reporter_hears_of(to_status):
        enqueue_on_commit(tasks.mail_reporters, report.pk, to_status)


# --- the body's work on a report --------------------------------------------------------------


def require_body_staff(actor, report: Report) -> None:
    if not may_answer(actor, report):
        raise PermissionDenied(_("Only the staff of the body the report is with may do this."))


def require_awaiting_answer(report: Report) -> None:
    if report.status not in AWAITING_ANSWER:
        raise ValidationError(
            _("A report with status “%(status)s” is not waiting for the body's answer.")
            % {"status": Status(report.status).label}
        )


def record_event(report: Report, kind: str, actor, now: datetime, *, from_status: str = "", **data) -> ReportEvent:
    """The one way a change of a report is written down: after the change, so the event carries
    the report's new status, body and deadline; `from_status` is the status it left (none:
    unchanged). The event becomes the report's state from `now`: the one before it, open until
    now, is closed (its `until`, one UPDATE); signals.stocks reads the report at any moment."""
    ReportEvent.objects.filter(report_id=report.pk, until__isnull=True).update(until=now)
    return ReportEvent.objects.create(
        report=report,
        at=now,
        kind=kind,
        actor=user_or_none(actor),
        from_status=from_status or report.status,
        to_status=report.status,
        body=report.body,
        deadline_at=report.deadline_at,
        data=data,
    )


def clean_text(value: str, field: str, limit: int, message) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: [message]})
    if len(text) > limit:
        raise ValidationError({field: [_("At most %(limit)d characters.") % {"limit": limit}]})
    return text


def submission_events(report: Report, *, now: datetime, actor) -> list[ReportEvent]:
    """A new report's first events, unsaved (intake writes them with its prepared INSERT): it was
    received, then routed to its body or put in the prosecutor's triage. The second supersedes
    the first at once (same moment) and is the report's state now."""
    deadline = report.deadline_at
    received = ReportEvent(
        report=report,
        at=now,
        until=now,
        kind=Kind.SUBMITTED,
        actor=actor,
        to_status=Status.NEW,
        deadline_at=deadline,
        data={"channel": report.channel},
    )
    if report.body_id is None:
        return [
            received,
            ReportEvent(report=report, at=now, kind=Kind.TRIAGE, to_status=Status.NEW, deadline_at=deadline),
        ]
    routed = ReportEvent(
        report=report,
        at=now,
        kind=Kind.ROUTED,
        from_status=Status.NEW,
        to_status=Status.ROUTED,
        body=report.body,
        deadline_at=deadline,
    )
    return [received, routed]
