from django_tasks import task

from .services import reminders


@task()
def remind_directives_task() -> int:
    """The directives' reminders and overdue notices, each sent once (hourly, idempotent)."""
    return reminders.directives_remind() + reminders.directives_notice_overdue()
