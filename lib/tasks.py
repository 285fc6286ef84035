from django.db import DEFAULT_DB_ALIAS, router, transaction
from django_tasks import task

from lib.health import beat


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
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    return isinstance(task.get_backend(), DatabaseBackend) and router.db_for_write(DBTaskResult) == DEFAULT_DB_ALIAS
