from django.db import transaction
from django_tasks import task

from lib.tasks import enqueue_on_commit

from . import services


@task()
def read_crime_import(import_id: int) -> int:
    """A crime statistics file read to its end and made its period's rows; the rows imported."""
    return services.crime_import_read(import_id=import_id).rows_ok


@task()
def remind_late_submitters_task() -> int:
    """The offices late with last month's figures reminded, once a month each (hourly, idempotent)."""
    return services.submissions_remind()


def crime_import_start(*, actor, upload, period_start, period_end):
    """The file kept and its reading enqueued, in one transaction (the worker reads it)."""
    with transaction.atomic():
        crime_import = services.crime_import_upload(
            actor=actor, upload=upload, period_start=period_start, period_end=period_end
        )
        enqueue_on_commit(read_crime_import, crime_import.pk)
    return crime_import
