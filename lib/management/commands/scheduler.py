from apscheduler.schedulers.blocking import BlockingScheduler
from django.conf import settings
from django.core.management.base import BaseCommand

from lib.scheduling import run_job, scheduler_heartbeat

HEARTBEAT_SECONDS = 15


class Command(BaseCommand):
    help = "Enqueue the periodic tasks (SCHEDULED_JOBS) as tasks for the worker; runs until stopped."

    def handle(self, *args, **options):
        scheduler = BlockingScheduler(timezone=settings.TIME_ZONE)
        scheduler.add_job(scheduler_heartbeat, "interval", seconds=HEARTBEAT_SECONDS, id="scheduler-heartbeat")
        for name, job in settings.SCHEDULED_JOBS.items():
            scheduler.add_job(run_job, "interval", seconds=job["seconds"], args=[name], id=name)
        scheduler_heartbeat()
        for name in settings.SCHEDULED_JOBS:
            run_job(name)  # run every job once at start, then on its interval
        self.stdout.write(f"Scheduler started with {len(settings.SCHEDULED_JOBS)} job(s).")
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            scheduler.shutdown(wait=False)
