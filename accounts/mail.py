"""Mail of notifications: the `accounts.tasks.mail_notifications` task's work.

Apart from accounts.notifications, which enqueues that task: notifications -> tasks -> mail, and
no way back.

Each mail is sent once though the task runs twice (its worker killed, the task put back in the
queue by lib.tasks.requeue_stale_tasks; or two workers at once):

1. A conditional UPDATE claims the notifications not mailed and not claimed, or claimed more than
   settings.TASK_LEASE_SECONDS ago (a run that died holding them): `mail_claimed_at = now`. The
   run's `now` is its token: the rows carrying it are the ones this run claimed.
2. Each mail is sent on its own and marked `mailed_at` right after (lib.mail.send_each), so a run
   killed mid-way leaves unmarked only the one in flight; a failed send releases the claims left.
3. Rows another run still holds are tried again once that claim expires (lib.tasks.finish): that
   run may have died after the task was put back, and nothing else would send them.
"""

from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Max, Q
from django.utils import timezone

from lib.mail import send_each
from lib.once import Done

from .models import Notification

# A claim is free once strictly older than the lease: a retry comes a little after that.
EXPIRY_MARGIN = timedelta(seconds=1)


def mail_notifications(notification_ids: list[int]) -> Done:
    """Mail the notifications whose users have an address, each once; `count` is the mails sent."""
    now = timezone.now()
    pending = list(
        Notification.objects.filter(pk__in=notification_ids, mailed_at__isnull=True)
        .exclude(user__email="")
        .values_list("pk", flat=True)
    )
    if not pending:
        return Done(0)
    claim(pending, now)
    rows = Notification.objects.filter(pk__in=pending, mail_claimed_at=now).select_related("user").order_by("pk")
    count = send_each([(row.pk, _message(row)) for row in rows], sent=_mark_mailed, release=partial(_release, now))
    return Done(count, retry_at=held_until(pending, now))


def claim(pks: list[int], now: datetime) -> int:
    """The claim: one UPDATE whose condition a concurrent run's UPDATE makes false, so each row is
    claimed by one run (SQLite writes one at a time; PostgreSQL re-checks the condition on a row
    another transaction changed)."""
    free = Q(mail_claimed_at__isnull=True) | Q(mail_claimed_at__lt=now - _lease())
    return Notification.objects.filter(free, pk__in=pks, mailed_at__isnull=True).update(mail_claimed_at=now)


def held_until(pks: list[int], now: datetime) -> datetime | None:
    """When the claims of other runs on the rows still unmailed expire (None: nothing left)."""
    held = Notification.objects.filter(pk__in=pks, mailed_at__isnull=True).exclude(mail_claimed_at=now)
    latest = held.aggregate(latest=Max("mail_claimed_at"))["latest"]
    return latest + _lease() + EXPIRY_MARGIN if latest is not None else None


def _message(row: Notification) -> EmailMessage:
    link = settings.SITE_URL + row.url if row.url.startswith("/") else row.url
    body = "\n\n".join(part for part in (row.text, link) if part)
    return EmailMessage(subject=row.subject, body=body, to=[row.user.email])


def _mark_mailed(pk: int) -> None:
    Notification.objects.filter(pk=pk).update(mailed_at=timezone.now())


def _release(now: datetime, pks: list[int]) -> None:
    Notification.objects.filter(pk__in=pks, mail_claimed_at=now).update(mail_claimed_at=None)


def _lease() -> timedelta:
    return timedelta(seconds=settings.TASK_LEASE_SECONDS)
