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
