import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, router, transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.signals import task_enqueued
from django_tasks_db import DatabaseBackend as LibraryDatabaseBackend
from django_tasks_db.compat import TaskResultStatus, normalize_json

from lib.health import beat
from lib.inserts import insert_new
from lib.once import Done, forget_old

logger = logging.getLogger(__name__)

# A task put back in the queue this many times (its worker died each time, or it ran past the
# lease) is marked failed instead: a task that kills its worker must not come back for ever.
MAX_ATTEMPTS = 3
RETRY_AT_THE_EARLIEST = timedelta(seconds=1)


class DatabaseBackend(LibraryDatabaseBackend):
    """django_tasks_db's backend (settings.TASKS), writing the task row with lib.inserts.

    The library's `objects.create()` compiles the same INSERT for every enqueued task, about 4 % of
    an API submission's CPU (the enqueue as a whole is about an eighth). The row is the one the
    library writes (lib/tests/test_tasks.py compares them, so an upgrade that changes it fails
    there)."""

    def _row(self, task, args, kwargs):
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult(
            id=self._get_id(),
            args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after,
            backend_name=self.alias,
        )

    def _task_to_db_task(self, task, args, kwargs):
        row = self._row(task, args, kwargs)
        insert_new([row])
        return row

    def enqueue_all(self, calls: list[tuple]) -> None:
        """Each (task, args) enqueued as `enqueue` does it, their rows in one INSERT."""
        for enqueued, _args in calls:
            self.validate_task(enqueued)
        rows = [self._row(enqueued, args, {}) for enqueued, args in calls]
        insert_new(rows)
        for row in rows:
            task_enqueued.send(type(self), task_result=row.task_result)


@task()
def worker_heartbeat() -> None:
    """Proves a worker is taking tasks: the scheduler enqueues it, a worker runs it."""
    beat("worker")


# --- the lease: tasks survive a worker's death ------------------------------------------------


class LeaseExpired(Exception):
    """Recorded on a task given up by requeue_stale_tasks after MAX_ATTEMPTS."""


@dataclass(frozen=True)
class Requeued:
    requeued: int
    failed: int


def requeue_stale_tasks(*, lease_seconds: int | None = None, now: datetime | None = None) -> Requeued:
    """Put back in the queue the tasks still RUNNING `lease_seconds` (settings.TASK_LEASE_SECONDS)
    after they started: their worker died (django_tasks_db keeps no lease, such a row would stay
    RUNNING for ever). The UPDATE is the claim: it changes only rows still RUNNING with that old a
    start, so two sweeps at once put each task back once, and a worker finishing meanwhile wins.
    The row keeps its `worker_ids` (the library appends one per attempt): a task started
    MAX_ATTEMPTS times is marked FAILED instead. Every task body is safe to run twice."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    lease = settings.TASK_LEASE_SECONDS if lease_seconds is None else lease_seconds
    stale = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=now - timedelta(seconds=lease))
    given_up = [pk for pk, workers in stale.values_list("pk", "worker_ids") if len(workers) >= MAX_ATTEMPTS]
    failed = stale.filter(pk__in=given_up).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        return_value=None,
        exception_class_path=f"{LeaseExpired.__module__}.{LeaseExpired.__qualname__}",
        traceback=f"Still running {lease} seconds after each of {MAX_ATTEMPTS} starts: given up.",
    )
    requeued = stale.exclude(pk__in=given_up).update(status=TaskResultStatus.READY, started_at=None)
    if requeued or failed:
        logger.warning("requeued %d stale task(s), gave up %d", requeued, failed)
    return Requeued(requeued=requeued, failed=failed)


@task()
def requeue_stale_tasks_task() -> int:
    """The lease's sweep ("requeue-stale-tasks", lib/apps.py); returns the tasks put back. It also
    forgets the work claims kept long enough (lib.once)."""
    forget_old()
    return requeue_stale_tasks().requeued


def finish(task, done: Done, *args) -> int:
    """A task's return value: the count of `done`. When another run held part of the work (a claim
    not yet expired: that run may have died, its task put back early), `task(*args)` is enqueued
    again for when the claim expires; what was done by then, it leaves. Never sooner than a second
    from now: a claim whose time reads as past (clocks apart) must not make the task spin."""
    if done.retry_at is not None:
        task.using(run_after=max(done.retry_at, timezone.now() + RETRY_AT_THE_EARLIEST)).enqueue(*args)
    return done.count


def enqueue_on_commit(task, *args) -> None:
    """Enqueue `task(*args)` so that a worker runs it only once the current transaction commits
    (tasks take the ids of rows written in it).

    With the database backend (django_tasks_db, Tartip's) the task row is written inside the
    transaction: workers see it at the same commit as the rows it reads, it is rolled back with
    them, and a submission commits once instead of twice. Any other backend is called after the
    commit (transaction.on_commit)."""
    if _stored_with_the_data(task):
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))


def enqueue_all_on_commit(calls: list[tuple]) -> None:
    """`enqueue_on_commit` for several (task, args) at once: with the database backend their rows
    are one INSERT, so a hot path's statements do not grow with the tasks the apps add to it."""
    batched = [
        (each, args)
        for each, args in calls
        if _stored_with_the_data(each) and isinstance(each.get_backend(), DatabaseBackend)
    ]
    for each, args in calls:
        if (each, args) not in batched:
            enqueue_on_commit(each, *args)
    by_backend: dict = {}
    for each, args in batched:
        by_backend.setdefault(each.get_backend(), []).append((each, args))
    for backend, batch in by_backend.items():
        backend.enqueue_all(batch)


def _stored_with_the_data(task) -> bool:
    from django_tasks_db.models import DBTaskResult

    return (
        isinstance(task.get_backend(), LibraryDatabaseBackend) and router.db_for_write(DBTaskResult) == DEFAULT_DB_ALIAS
    )
