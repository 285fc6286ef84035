"""Background work of the results summary, declared in reporting/apps.py."""

from django_tasks import task

from . import cells


@task()
def refresh_summary_cells_task() -> None:
    """The flows' counts kept by day brought up to the records ("summary-cells"), so that a summary
    finds little to count again. Runs twice harmlessly: the feed's mark is locked while it works."""
    cells.refresh()
