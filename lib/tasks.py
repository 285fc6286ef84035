from django_tasks import task

from lib.health import beat


@task()
def worker_heartbeat() -> None:
    """Proves a worker is taking tasks: the scheduler enqueues it, a worker runs it."""
    beat("worker")
