"""Mail of notifications: the `accounts.tasks.mail_notifications` task's work.

Apart from accounts.notifications, which enqueues that task: notifications -> tasks -> mail, and
no way back.
"""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from .models import Notification


def mail_notifications(notification_ids: list[int]) -> int:
    """Mail the notifications whose users have an address; returns the number of mails."""
    messages = []
    for row in Notification.objects.filter(pk__in=notification_ids).select_related("user"):
        if not row.user.email:
            continue
        link = settings.SITE_URL + row.url if row.url.startswith("/") else row.url
        body = "\n\n".join(part for part in (row.text, link) if part)
        messages.append(EmailMessage(subject=row.subject, body=body, to=[row.user.email]))
    if messages:
        get_connection().send_messages(messages)
    return len(messages)
