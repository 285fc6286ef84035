import pytest
from django.core.cache import cache
from django.core.management import call_command
from django_tasks import default_task_backend, task_backends
from django_tasks_db import DatabaseBackend as LibraryDatabaseBackend
from django_tasks_db.models import DBTaskResult

from lib.health import HEARTBEAT_KEYS
from lib.tasks import DatabaseBackend, enqueue_all_on_commit, worker_heartbeat

pytestmark = pytest.mark.django_db(transaction=True)

COMPARED = ["args_kwargs", "priority", "task_path", "queue_name", "run_after", "backend_name", "status", "worker_ids"]


def test_tartip_uses_its_database_backend():
    assert isinstance(task_backends["default"], DatabaseBackend)


def test_the_task_row_is_the_one_the_library_writes():
    """lib.tasks.DatabaseBackend writes the row itself: an upgrade of django_tasks_db that
    changes the row it writes must fail here."""
    deferred = worker_heartbeat.using(priority=7, run_after=None)
    ours = default_task_backend.enqueue(deferred, (), {})
    theirs = LibraryDatabaseBackend._task_to_db_task(default_task_backend, deferred, (), {})
    ours_stored, theirs_stored = DBTaskResult.objects.get(pk=ours.id), DBTaskResult.objects.get(pk=theirs.pk)
    assert [getattr(ours_stored, f) for f in COMPARED] == [getattr(theirs_stored, f) for f in COMPARED]
    assert ours_stored.enqueued_at is not None


def test_a_worker_runs_a_task_enqueued_by_it():
    cache.delete(HEARTBEAT_KEYS["worker"])
    result = worker_heartbeat.enqueue()
    call_command("db_worker", "--batch", "--no-reload", verbosity=0)
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"
    assert cache.get(HEARTBEAT_KEYS["worker"]) is not None


def test_tasks_enqueued_together_are_one_insert_of_the_rows_each_would_write(django_assert_num_queries):
    deferred = worker_heartbeat.using(priority=3)
    alone = DBTaskResult.objects.get(pk=default_task_backend.enqueue(deferred, (), {}).id)
    with django_assert_num_queries(1):
        enqueue_all_on_commit([(deferred, ()), (worker_heartbeat, ())])
    together = list(DBTaskResult.objects.exclude(pk=alone.pk).order_by("priority"))
    assert [row.priority for row in together] == [0, 3]
    assert [getattr(together[1], f) for f in COMPARED] == [getattr(alone, f) for f in COMPARED]
    call_command("db_worker", "--batch", "--no-reload", verbosity=0)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
