from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.roles import BOARD_READERS
from lib.plugins import DemoBuilder, NavEntry, PeriodicJob, PluginApp


class BoardConfig(PluginApp, AppConfig):
    name = "board"
    verbose_name = _("Board")

    navigation = (
        # The meetings, and the directives' executions each reader follows (their office's, or the region's).
        NavEntry("board", _("Board"), "board:meetings", BOARD_READERS, order=300),
        NavEntry("directives", _("Directives"), "board:directives", BOARD_READERS, order=301),
        # Each office's executions over a period: assigned, on time, late, open, overdue, carried over.
        NavEntry("board_dashboard", _("Directives by office"), "board:dashboard", BOARD_READERS, order=303),
        NavEntry("board_projects", _("Projects and working groups"), "board:projects", BOARD_READERS, order=302),
    )

    # The directives due soon and overdue, each reminded once (the job is idempotent).
    periodic_jobs = (PeriodicJob("board-directive-reminders", "board.tasks.remind_directives_task", seconds=3600),)
    # Meetings, directives in every state, projects and working groups of 2024, 2025 and the live
    # months, calibrated to the board's two documents (after the accounts' demo users).
    demo_builders = (DemoBuilder("board.demo.create_demo_board", refresh="board.demo.refresh_demo_board"),)
    # The results summary's figures and sentences of the board (board.metrics).
    metric_groups = (
        "board.metrics.DIRECTIVES",
        "board.metrics.EXECUTIONS",
        "board.metrics.EXECUTED",
        "board.metrics.OPEN",
        "board.metrics.CARRIED_DIRECTIVES",
        "board.metrics.CARRIED_EXECUTIONS",
        "board.project_metrics.PROJECTS",
        "board.project_metrics.WORKING_GROUPS",
    )
    summary_sentences = ("board.metrics.SENTENCES",)
