"""Demo reports: two years (January 2024 to December 2025) of offence reports, built in bulk.

`create_demo_reports(command)` is a step of the `demo` command (declared in signals/apps.py).
`bulk_build_reports()` is the builder it uses, also used by `bench/intake.py` to fill a database
with 100,000 stored reports.

The builder does not call `report_submit` once per row: it plans every report in Python (district,
category, channel, status, the times of each step, the deadline by the real working calendar),
then writes reports, contacts and events with `bulk_create` in batches. Everything comes from one
`random.Random(seed)`, so a run with the same seed and reference data builds the same reports.
Nothing here is real: descriptions come from a few templates per kind of offence, reporters are
"Demo Reporter N", phone numbers and links are made up, and tracking tokens are thrown away (only
random hashes are stored, so no demo report can be tracked).

- texts.py: what reports, answers and decisions say (themes, templates, reasons);
- places.py: where reports are put (districts, points, streets);
- timeline.py: one report's life up to its final status, as the services would have written it;
- builder.py: the bulk builder (what each report is, the writing in batches);
- acts.py: the events of reports named by another app's demo rows (supervision's acts).
"""

from __future__ import annotations

from django.utils import timezone

from accounts.models import Region
from signals.models import Category, ReportEvent

from .acts import ActNote, note_demo_acts
from .builder import (
    BATCH_SIZE,
    DEMO_END,
    DEMO_REPORTS_PER_REGION,
    DEMO_SEED,
    DEMO_START,
    BuildResult,
    bulk_build_reports,
)
from .texts import THEME_BY_NAME, THEMES, Theme, _fill, theme_of
from .timeline import DEMO_MARK

__all__ = [
    "ActNote",
    "BATCH_SIZE",
    "DEMO_END",
    "DEMO_MARK",
    "DEMO_REPORTS_PER_REGION",
    "DEMO_SEED",
    "DEMO_START",
    "THEMES",
    "THEME_BY_NAME",
    "BuildResult",
    "Theme",
    "_fill",
    "bulk_build_reports",
    "create_demo_reports",
    "demo_reports_exist",
    "note_demo_acts",
    "theme_of",
]

Kind = ReportEvent.Kind


def demo_reports_exist(region: Region | None = None) -> bool:
    events = ReportEvent.objects.filter(kind=Kind.SUBMITTED, **{f"data__{DEMO_MARK}": True})
    if region is not None:
        events = events.filter(report__region=region)
    return events.exists()


def create_demo_reports(command) -> None:
    """Demo step: two years of reports in every region that has districts and categories."""
    if not Category.objects.filter(is_active=True).exists():
        command.stderr.write(command.style.WARNING("Skipped demo reports: no categories (run load_reference)."))
        return
    for region in Region.objects.filter(districts__isnull=False).distinct():
        if demo_reports_exist(region):
            command.stdout.write(f"Demo reports of {region.short_code} exist: skipped.")
            continue
        started = timezone.now()
        result = bulk_build_reports(region=region, count=DEMO_REPORTS_PER_REGION, seed=DEMO_SEED)
        seconds = (timezone.now() - started).total_seconds()
        command.stdout.write(
            f"Demo reports of {region.short_code}: {result.reports} reports, {result.events} events, "
            f"{result.contacts} contacts, {result.answers} answers, {result.forwards} forwards, "
            f"{result.extensions} extensions, {result.supporters} supporters in {seconds:.1f} s."
        )
