"""Background work of accounts."""

from django_tasks import task

from .mail import mail_notifications as send


@task()
def mail_notifications(notification_ids: list[int]) -> int:
    return send(notification_ids)
