"""Notifications to staff: an entry in each user's in-app list, and a mail through Django's email
backend (console in `make run`) sent by a task once the transaction commits (accounts.tasks,
accounts.mail).

Callers decide the content; for reports of sensitive categories they pass no content at all,
only the subject line with the reference and the link (`sensitive=True` drops any text).
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from lib.tasks import enqueue_on_commit

from .models import Notification, User
from .tasks import mail_notifications


def notify(
    *, users: Iterable[User], subject, text="", url: str = "", sensitive: bool = False, key: str = ""
) -> list[Notification]:
    """One notification per distinct active user; `subject` and `text` may be lazy strings (each
    is rendered in the user's own language). Returns the rows written.

    `key` names what the notifications are about (a report's routing, say), for a caller that may
    run twice (a task): a user already notified under that key is left out. The rows and their mail
    task are written in one transaction, so a run that dies between them leaves neither."""
    rows = _rows(users, subject=subject, text="" if sensitive else text, url=url, key=key)
    if not rows:
        return []
    # savepoint=False: inside the caller's transaction (a service's) no savepoint is paid for.
    with transaction.atomic(savepoint=False):
        created = _insert(rows, key) if key else Notification.objects.bulk_create(rows)
        if created:
            enqueue_on_commit(mail_notifications, [row.pk for row in created])
    return created


def _rows(users: Iterable[User], *, subject, text, url: str, key: str) -> list[Notification]:
    now = timezone.now()
    rows = []
    seen = set()
    for user in users:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        with translation.override(user.language or settings.LANGUAGE_CODE):
            rows.append(Notification(user=user, at=now, subject=str(subject)[:300], text=str(text), url=url, key=key))
    return rows


def _insert(rows: list[Notification], key: str) -> list[Notification]:
    """The rows of users not yet notified under `key` (the unique constraint on user and key has
    the last word: a concurrent run that committed first makes the insert fail, and the second try
    leaves out whom it notified)."""
    try:
        with transaction.atomic():
            return Notification.objects.bulk_create(_not_yet_notified(rows, key))
    except IntegrityError:
        return Notification.objects.bulk_create(_not_yet_notified(rows, key))


def _not_yet_notified(rows: list[Notification], key: str) -> list[Notification]:
    notified = set(
        Notification.objects.filter(key=key, user__in=[row.user_id for row in rows]).values_list("user_id", flat=True)
    )
    return [row for row in rows if row.user_id not in notified]


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
