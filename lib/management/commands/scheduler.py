from apscheduler.schedulers.blocking import BlockingScheduler
from django.conf import settings
from django.core.management.base import BaseCommand

from lib.plugins import periodic_jobs
from lib.scheduling import run_job, scheduler_heartbeat

HEARTBEAT_SECONDS = 15


class Command(BaseCommand):
    help = "Enqueue the apps' periodic jobs (declared in their apps.py) as tasks for the worker; runs until stopped."

    def handle(self, *args, **options):
        scheduler = BlockingScheduler(timezone=settings.TIME_ZONE)
        scheduler.add_job(scheduler_heartbeat, "interval", seconds=HEARTBEAT_SECONDS, id="scheduler-heartbeat")
        jobs = periodic_jobs()
        for name, job in jobs.items():
            scheduler.add_job(run_job, "interval", seconds=job.seconds, args=[name], id=name)
        scheduler_heartbeat()
        for name in jobs:
            run_job(name)  # run every job once at start, then on its interval
        self.stdout.write(f"Scheduler started with {len(jobs)} job(s).")
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            scheduler.shutdown(wait=False)
