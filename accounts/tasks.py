"""Background work of accounts."""

from django_tasks import task


@task()
def mail_notifications(notification_ids: list[int]) -> int:
    from .notifications import mail_notifications as send

    return send(notification_ids)
