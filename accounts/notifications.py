"""Notifications to staff: an entry in each user's in-app list, and a mail through Django's email
backend (console in `make run`) sent by a task once the transaction commits (accounts.tasks,
accounts.mail).

Callers decide the content; for reports of sensitive categories they pass no content at all,
only the subject line with the reference and the link (`sensitive=True` drops any text).
"""

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone, translation

from lib.tasks import enqueue_on_commit

from .models import Notification, User
from .tasks import mail_notifications


def notify(*, users: Iterable[User], subject, text="", url: str = "", sensitive: bool = False) -> list[Notification]:
    """One notification per distinct active user; `subject` and `text` may be lazy strings (each
    is rendered in the user's own language). Returns the rows written."""
    now = timezone.now()
    rows = []
    seen = set()
    for user in users:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        with translation.override(user.language or settings.LANGUAGE_CODE):
            rows.append(
                Notification(
                    user=user,
                    at=now,
                    subject=str(subject)[:300],
                    text="" if sensitive else str(text),
                    url=url,
                )
            )
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    enqueue_on_commit(mail_notifications, [row.pk for row in created])
    return created


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
