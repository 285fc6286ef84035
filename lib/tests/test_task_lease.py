"""The lease on tasks: a task still RUNNING longer than TASK_LEASE_SECONDS after its start (its
worker died) is put back in the queue by one conditional UPDATE, once whatever the number of
sweeps; after MAX_ATTEMPTS starts it is given up; the scheduler runs the sweep every minute, and
`manage.py requeue_stale_tasks` by hand. (signals/tests/test_worker_death.py kills a real worker.)"""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lib.once import Done
from lib.plugins import periodic_jobs
from lib.tasks import MAX_ATTEMPTS, finish, requeue_stale_tasks, requeue_stale_tasks_task, worker_heartbeat
from lib.tests.race import race

READY, RUNNING, SUCCESSFUL, FAILED = "READY", "RUNNING", "SUCCESSFUL", "FAILED"


def running(*, seconds_ago: float, attempts: int = 1, status: str = RUNNING) -> DBTaskResult:
    """A task a worker took `seconds_ago` (its `attempts`-th start)."""
    row = DBTaskResult.objects.get(pk=worker_heartbeat.enqueue().id)
    DBTaskResult.objects.filter(pk=row.pk).update(
        status=status,
        started_at=timezone.now() - timedelta(seconds=seconds_ago),
        worker_ids=[f"worker-{attempt}" for attempt in range(attempts)],
    )
    return DBTaskResult.objects.get(pk=row.pk)


@pytest.mark.django_db
def test_it_puts_a_task_running_longer_than_the_lease_back_in_the_queue(settings):
    settings.TASK_LEASE_SECONDS = 600
    stale, fresh = running(seconds_ago=601), running(seconds_ago=599)
    assert requeue_stale_tasks().requeued == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.status, stale.started_at, stale.worker_ids) == (READY, None, ["worker-0"])  # its attempts kept
    assert fresh.status == RUNNING
    assert DBTaskResult.objects.ready().filter(pk=stale.pk).exists()  # a worker takes it again


@pytest.mark.django_db
def test_it_puts_each_task_back_once_and_leaves_a_finished_one():
    stale = running(seconds_ago=3600)
    done = running(seconds_ago=3600, status=SUCCESSFUL)  # its worker finished before the sweep
    assert requeue_stale_tasks(lease_seconds=60).requeued == 1
    assert requeue_stale_tasks(lease_seconds=60).requeued == 0  # a second sweep finds it READY
    assert DBTaskResult.objects.get(pk=stale.pk).status == READY
    assert DBTaskResult.objects.get(pk=done.pk).status == SUCCESSFUL


@pytest.mark.django_db
def test_it_gives_up_a_task_started_too_many_times():
    tired = running(seconds_ago=3600, attempts=MAX_ATTEMPTS)
    result = requeue_stale_tasks(lease_seconds=60)
    assert (result.requeued, result.failed) == (0, 1)
    tired.refresh_from_db()
    assert tired.status == FAILED and tired.finished_at is not None
    (error,) = tired.task_result.errors
    assert error.exception_class_path == "lib.tasks.LeaseExpired"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite runs one writer at a time: no race to lose")
def test_two_sweeps_at_once_put_each_task_back_once():
    """The first sweep holds its UPDATE's row locks until it commits; the second, started meanwhile,
    waits on them and then finds the rows READY: PostgreSQL re-checks its condition."""
    stale = [running(seconds_ago=3600).pk for _ in range(5)]
    assert race(lambda: requeue_stale_tasks(lease_seconds=60).requeued) == {"first": 5, "second": 0}
    assert set(DBTaskResult.objects.filter(pk__in=stale).values_list("status", flat=True)) == {READY}


@pytest.mark.django_db
def test_the_scheduler_runs_the_sweep_every_minute_and_the_task_sweeps():
    job = periodic_jobs()["requeue-stale-tasks"]
    assert (job.task, job.seconds) == ("lib.tasks.requeue_stale_tasks_task", 60)
    running(seconds_ago=24 * 3600)
    assert requeue_stale_tasks_task.call() == 1


@pytest.mark.django_db
def test_the_command_takes_the_lease_from_the_setting_or_its_option(settings):
    settings.TASK_LEASE_SECONDS = 7200
    running(seconds_ago=3600)
    out = StringIO()
    call_command("requeue_stale_tasks", stdout=out)
    assert "Put 0 task(s) running for more than 7200 s back in the queue" in out.getvalue()
    call_command("requeue_stale_tasks", "--lease", "1800", stdout=out)
    assert "Put 1 task(s) running for more than 1800 s back in the queue" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("requeue_stale_tasks", "--lease", "0")


@pytest.mark.django_db
def test_finish_enqueues_the_task_again_for_work_another_run_holds():
    later = timezone.now() + timedelta(minutes=10)
    assert finish(worker_heartbeat, Done(3)) == 3
    assert not DBTaskResult.objects.exists()
    assert finish(worker_heartbeat, Done(2, retry_at=later)) == 2
    (again,) = DBTaskResult.objects.all()
    assert (again.task_path, again.run_after, again.status) == ("lib.tasks.worker_heartbeat", later, READY)
    assert not DBTaskResult.objects.ready().exists()  # not before the claim expires


@pytest.mark.django_db
def test_finish_never_enqueues_the_task_again_for_at_once():
    """A claim whose expiry reads as past (another machine's clock) must not make the task spin."""
    before = timezone.now()
    finish(worker_heartbeat, Done(0, retry_at=before - timedelta(hours=1)))
    (again,) = DBTaskResult.objects.all()
    assert again.run_after >= before + timedelta(seconds=1)
