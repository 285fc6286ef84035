"""Bring the results summary's counts kept by day (reporting.cells) up to the records, or build
them again whole with --build (after a bulk load that wrote its facts in one long transaction)."""

import time

from django.core.management.base import BaseCommand

from reporting import cells
from reporting.models import Cell


class Command(BaseCommand):
    help = "Bring the summary's counts kept by day up to the records (--build: build them again whole)."

    def add_arguments(self, parser):
        parser.add_argument("--build", action="store_true", help="Build the cells again whole.")

    def handle(self, *args, **options):
        started = time.perf_counter()
        (cells.build if options["build"] else cells.refresh)()
        self.stdout.write(
            f"{Cell.objects.count()} cells in {time.perf_counter() - started:.1f} s"
            + (" (built whole)" if options["build"] else "")
        )
