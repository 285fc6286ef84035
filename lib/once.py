"""Work done once though the task doing it may run twice: a claim in the shared cache.

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

The claims are `cache.add`, atomic in every cache backend Tartip uses (the database, Redis), as
lib.scheduling claims its slots.
"""

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

DONE = "done"
# A done mail stays marked longer than any second run of its task comes (a lease and a sweep).
KEEP_SECONDS = 2 * 24 * 3600


@dataclass(frozen=True)
class Done:
    """What a run did (`count`), and when to run again for the work another run held (None: none)."""

    count: int
    retry_at: datetime | None = None


def claim(key: str) -> bool:
    """True when this run is to do the work `key` names (the value is the time of the claim)."""
    return cache.add(key, time.time(), timeout=settings.TASK_LEASE_SECONDS)


def done(key: str, keep_seconds: int = KEEP_SECONDS) -> None:
    cache.set(key, DONE, timeout=keep_seconds)


def release(keys: Iterable[str]) -> None:
    keys = list(keys)
    if keys:
        cache.delete_many(keys)


def held_until(keys: Iterable[str]) -> datetime | None:
    """When the last claim held on `keys` expires; None when all are done. A key that is gone has
    just expired: it may be claimed now."""
    keys = list(keys)
    if not keys:
        return None
    values = cache.get_many(keys)
    if len(values) < len(keys):
        return timezone.now()
    claimed = [value for value in values.values() if value != DONE]
    if not claimed:
        return None
    # A little after the expiry: the cache drops an entry once strictly past its time.
    return datetime.fromtimestamp(max(claimed) + settings.TASK_LEASE_SECONDS + 1, tz=UTC)
