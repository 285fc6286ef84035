from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.zones import sole_region_zone
from signals.sweep import sweep_deadlines


def parse_moment(value: str) -> datetime:
    """An ISO 8601 date and time (a date alone means its midnight); without an offset it is read
    in the zone of the only region when there is one, else settings.TIME_ZONE (accounts.zones)."""
    try:
        moment = parse_datetime(value.strip())
    except ValueError:
        moment = None
    if moment is None:
        raise CommandError(
            f"--at {value!r} is not an ISO 8601 date and time: write e.g. 2025-03-01T09:00 "
            "(local time) or 2025-03-01T09:00+05:00."
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, sole_region_zone())
    return moment


class Command(BaseCommand):
    help = (
        "Mark the reports whose answer deadline has passed as overdue (one set-based update), notify "
        "each body and district prosecutor once in a digest, and escalate the long overdue ones to "
        "the regional office. Running it again marks nothing more."
    )

    def add_arguments(self, parser):
        parser.add_argument("--at", help="sweep as of this ISO 8601 time instead of now, e.g. 2025-03-01T09:00")
        parser.add_argument("--dry-run", action="store_true", help="count what would be marked; change nothing")

    def handle(self, *args, **options):
        now = parse_moment(options["at"]) if options["at"] is not None else timezone.now()
        result = sweep_deadlines(now=now, dry_run=options["dry_run"])
        moment = timezone.localtime(now, sole_region_zone()).isoformat(timespec="seconds")
        if result.dry_run:
            self.stdout.write(
                f"Dry run as of {moment}: would mark {result.marked} report(s) overdue "
                f"and escalate {result.escalated}; nothing was changed."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Swept as of {moment}: marked {result.marked} report(s) overdue, "
                f"escalated {result.escalated} to the regional office, "
                f"{result.notifications} notification(s) sent."
            )
        )
