from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lib.plugins import PeriodicJob, PluginApp


class BoardConfig(PluginApp, AppConfig):
    name = "board"
    verbose_name = _("Board")

    # The directives due soon and overdue, each reminded once (the job is idempotent).
    periodic_jobs = (PeriodicJob("board-directive-reminders", "board.tasks.remind_directives_task", seconds=3600),)
