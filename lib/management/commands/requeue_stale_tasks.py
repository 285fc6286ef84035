from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lib.tasks import MAX_ATTEMPTS, requeue_stale_tasks


class Command(BaseCommand):
    help = (
        "Put back in the queue the tasks still running longer than the lease after they started (their worker "
        "died); a task started too many times is marked failed instead. The scheduler runs it every minute; "
        "running it again puts nothing back twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--lease",
            type=int,
            help="seconds a task may run before it is taken for dead (default: TASK_LEASE_SECONDS)",
        )

    def handle(self, *args, **options):
        lease = options["lease"] if options["lease"] is not None else settings.TASK_LEASE_SECONDS
        if lease < 1:
            raise CommandError("--lease must be at least 1 second.")
        result = requeue_stale_tasks(lease_seconds=lease)
        self.stdout.write(
            self.style.SUCCESS(
                f"Put {result.requeued} task(s) running for more than {lease} s back in the queue; "
                f"{result.failed} given up after {MAX_ATTEMPTS} starts."
            )
        )
