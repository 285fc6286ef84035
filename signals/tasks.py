"""Background work of offence reports (enqueued by signals.services with lib.tasks.enqueue_on_commit)."""

from django_tasks import task


@task()
def notify_body(report_id: int, body_id: int, kind: str) -> int:
    """Tell the members of a body that a report was routed (or re-routed) to it; returns mails sent."""
    from .services import report_notify_body

    return report_notify_body(report_id=report_id, body_id=body_id, kind=kind)


@task()
def mail_reporters(report_id: int, status: str) -> int:
    """Tell the reporters who left an address that their report's status changed."""
    from .notices import mail_reporters as send

    return send(report_id=report_id, status=status)


@task()
def sweep_deadlines_task() -> dict:
    """The deadline sweep (SCHEDULED_JOBS "sweep-deadlines"): idempotent, its UPDATE claims the rows."""
    from .sweep import sweep_deadlines

    result = sweep_deadlines()
    return {"marked": result.marked, "escalated": result.escalated, "notifications": result.notifications}


@task()
def send_oversight_digests_task() -> int:
    """The district prosecutors' daily digest (SCHEDULED_JOBS "oversight-digest", hourly): sends
    from settings.DIGEST_HOUR on, once a day per prosecutor; returns the mails sent."""
    from .digest import send_oversight_digests

    return send_oversight_digests()


@task()
def refresh_oversight_statistics_task() -> int:
    """The oversight page's ranking and repeat places, computed ahead for every prosecutor's office
    (SCHEDULED_JOBS "oversight-statistics"); returns the number of scopes computed."""
    from .oversight import refresh_statistics

    return refresh_statistics()
