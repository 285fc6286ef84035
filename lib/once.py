"""Work done once though the task doing it may run twice: a claim in the database.

A task runs twice when its worker is killed mid-task and the task is put back in the queue
(lib.tasks.requeue_stale_tasks), or when it is enqueued twice. Work that leaves no row of its own
to mark, a mail, is claimed under a key naming it (the digest of a day for a user, the mail of a
status change to an address):

- `claim(key)`: this run is to do it: nobody did it and nobody is doing it. The claim is a lease of
  settings.TASK_LEASE_SECONDS: a run that dies holding it (its worker killed) leaves it to expire,
  and a later run claims it then.
- `done(key)`: it is done; nobody claims it again for `keep_seconds`.
- `release(keys)`: it failed; the next run may try at once.
- `held_until(keys)`: when the claims other runs hold on `keys` expire, so that a run which found
  work held (perhaps by a dead run) tries again then (lib.tasks.finish).

A claim is a row of lib.models.WorkClaim: the unique key makes a new claim atomic, and a
conditional UPDATE takes over an expired one, so two runs never both get the same work.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from lib.models import WorkClaim

# A done mail stays marked longer than any second run of its task comes (a lease and a sweep).
KEEP_SECONDS = 2 * 24 * 3600


@dataclass(frozen=True)
class Done:
    """What a run did (`count`), and when to run again for the work another run held (None: none)."""

    count: int
    retry_at: datetime | None = None


def _lease() -> timedelta:
    return timedelta(seconds=settings.TASK_LEASE_SECONDS)


def _claimable(now: datetime) -> Q:
    """A claim whose holder died (lease run out, never done), or a done one past its keeping."""
    return Q(done_at__isnull=True, claimed_at__lte=now - _lease()) | Q(keep_until__lt=now)


def claim(key: str) -> bool:
    """True when this run is to do the work `key` names."""
    now = timezone.now()
    taken_over = WorkClaim.objects.filter(_claimable(now), key=key).update(
        claimed_at=now, done_at=None, keep_until=None
    )
    if taken_over:
        return True
    try:
        with transaction.atomic():  # a savepoint: a refused INSERT must not spoil the caller's transaction
            WorkClaim.objects.create(key=key, claimed_at=now)
    except IntegrityError:
        return False  # another run holds it, or did it
    return True


def done(key: str, keep_seconds: int = KEEP_SECONDS) -> None:
    now = timezone.now()
    WorkClaim.objects.filter(key=key).update(done_at=now, keep_until=now + timedelta(seconds=keep_seconds))


def release(keys: Iterable[str]) -> None:
    keys = list(keys)
    if keys:
        WorkClaim.objects.filter(key__in=keys, done_at__isnull=True).delete()


def held_until(keys: Iterable[str]) -> datetime | None:
    """When the last claim held on `keys` expires; None when all are done. Work nobody holds (no
    claim, or an expired one) may be claimed now."""
    keys = list(keys)
    if not keys:
        return None
    now = timezone.now()
    claims = WorkClaim.objects.filter(key__in=keys)
    if claims.count() < len(keys) or claims.filter(_claimable(now)).exists():
        return now
    latest = claims.filter(done_at__isnull=True).order_by("-claimed_at").values_list("claimed_at", flat=True).first()
    return None if latest is None else latest + _lease() + timedelta(seconds=1)


def forget_old(now: datetime | None = None) -> int:
    """Remove the done claims kept long enough (the lease's sweep calls it)."""
    deleted, _ = WorkClaim.objects.filter(keep_until__lt=now or timezone.now()).delete()
    return deleted
