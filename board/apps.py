from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lib.plugins import PeriodicJob, PluginApp


class BoardConfig(PluginApp, AppConfig):
    name = "board"
    verbose_name = _("Board")

    # The directives due soon and overdue, each reminded once (the job is idempotent).
    periodic_jobs = (PeriodicJob("board-directive-reminders", "board.tasks.remind_directives_task", seconds=3600),)
    # The results summary's figures and sentences of the board (board.metrics).
    metric_groups = (
        "board.metrics.DIRECTIVES",
        "board.metrics.EXECUTIONS",
        "board.metrics.EXECUTED",
        "board.metrics.OPEN",
        "board.metrics.CARRIED_DIRECTIVES",
        "board.metrics.CARRIED_EXECUTIONS",
        "board.metrics.PROJECTS",
        "board.metrics.WORKING_GROUPS",
    )
    summary_sentences = ("board.metrics.SENTENCES",)
