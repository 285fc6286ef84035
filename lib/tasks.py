from django.db import DEFAULT_DB_ALIAS, router, transaction
from django_tasks import task
from django_tasks_db import DatabaseBackend as LibraryDatabaseBackend
from django_tasks_db.compat import normalize_json

from lib.health import beat
from lib.inserts import insert_new


class DatabaseBackend(LibraryDatabaseBackend):
    """django_tasks_db's backend (settings.TASKS), writing the task row with lib.inserts.

    The library's `objects.create()` compiles the same INSERT for every enqueued task, about 4 % of
    an API submission's CPU (the enqueue as a whole is about an eighth). The row is the one the
    library writes (lib/tests/test_tasks.py compares them, so an upgrade that changes it fails
    there)."""

    def _task_to_db_task(self, task, args, kwargs):
        from django_tasks_db.models import DBTaskResult

        row = DBTaskResult(
            id=self._get_id(),
            args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after,
            backend_name=self.alias,
        )
        insert_new([row])
        return row


@task()
def worker_heartbeat() -> None:
    """Proves a worker is taking tasks: the scheduler enqueues it, a worker runs it."""
    beat("worker")


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


def _stored_with_the_data(task) -> bool:
    from django_tasks_db.models import DBTaskResult

    return (
        isinstance(task.get_backend(), LibraryDatabaseBackend) and router.db_for_write(DBTaskResult) == DEFAULT_DB_ALIAS
    )
