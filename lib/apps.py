from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lib.plugins import PeriodicJob, PluginApp


class LibConfig(PluginApp, AppConfig):
    name = "lib"
    verbose_name = _("Shared helpers")

    periodic_jobs = (
        # Proves a worker takes tasks (/healthz reads the heartbeat it leaves).
        PeriodicJob("worker-heartbeat", "lib.tasks.worker_heartbeat", seconds=30),
        # Puts back in the queue the tasks of a worker that died (TASK_LEASE_SECONDS after their
        # start); its UPDATE claims the rows, a second run puts nothing back.
        PeriodicJob("requeue-stale-tasks", "lib.tasks.requeue_stale_tasks_task", seconds=60),
    )

    def ready(self):
        super().ready()
        from lib import checks  # noqa: F401  (registers them)
