"""Background work of accounts."""

from django_tasks import task

from lib.tasks import finish

from .audit import write_checkpoint
from .mail import mail_notifications as send


@task()
def mail_notifications(notification_ids: list[int]) -> int:
    """Mail each notification once (accounts.mail claims them); returns the mails sent."""
    return finish(mail_notifications, send(notification_ids), notification_ids)


@task()
def write_audit_checkpoint() -> bool:
    """The signed head of the audit chain, kept apart from the table (accounts.audit)."""
    return write_checkpoint() is not None
