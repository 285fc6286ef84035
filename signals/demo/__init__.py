"""Demo reports: two years (January 2024 to December 2025, the reference documents' years) of
offence reports, and the months since up to the day the demo is built, built in bulk: the queues
hold reports inside their deadlines and the oversight's 90-day statistics have answers to read.

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

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Max
from django.utils import timezone

from accounts.models import Region
from accounts.zones import local_date
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
    "demo_periods",
    "demo_reports_exist",
    "note_demo_acts",
    "refresh_demo_reports",
    "theme_of",
]

Kind = ReportEvent.Kind
# Reports a month after DEMO_END: about two thirds of the pace of the end of 2025, enough for
# full queues and 90-day figures while `make run`'s fill stays fast (measured on a shared 2-core
# machine: 15 s for 2024-2025, 0.6 s a month after); at most RECENT_MONTHS_MAX months of them (a demo built years later
# has them spread thinner).
DEMO_REPORTS_PER_MONTH = 250
RECENT_MONTHS_MAX = 18


@dataclass(frozen=True)
class DemoPeriod:
    start: date
    end: date
    count: int
    seed: int


def demo_periods(now: datetime, region=None) -> list[DemoPeriod]:
    """2024-2025 as always (the same submissions whatever the day), then the months up to `now`'s
    day. Every report lives up to `now`: the old ones answered and closed since, the recent ones in
    the queues with deadlines still ahead or just passed."""
    periods = [DemoPeriod(DEMO_START, DEMO_END, DEMO_REPORTS_PER_REGION, DEMO_SEED)]
    since = _period_after(DEMO_END, now, region)
    return periods + [since] if since else periods


def _period_after(last_day: date, now: datetime, region=None) -> DemoPeriod | None:
    """The days after `last_day` up to `now`'s (the region's local day), at DEMO_REPORTS_PER_MONTH
    (None: no such day). The seed is the first day's, so the same days give the same reports."""
    today = local_date(now, region)
    if today <= last_day:
        return None
    start = last_day + timedelta(days=1)
    months = min((today - last_day).days / 30.44, RECENT_MONTHS_MAX)
    return DemoPeriod(start, today, max(round(months * DEMO_REPORTS_PER_MONTH), 1), DEMO_SEED + start.toordinal())


def demo_reports_exist(region: Region | None = None) -> bool:
    events = ReportEvent.objects.filter(kind=Kind.SUBMITTED, **{f"data__{DEMO_MARK}": True})
    if region is not None:
        events = events.filter(report__region=region)
    return events.exists()


def create_demo_reports(command, now: datetime | None = None) -> None:
    """Demo step: two years of reports and the months since in every region that has districts and
    categories (demo_periods)."""
    if not Category.objects.filter(is_active=True).exists():
        command.stderr.write(command.style.WARNING("Skipped demo reports: no categories (run load_reference)."))
        return
    now = now or timezone.now()
    for region in Region.objects.filter(districts__isnull=False).distinct():
        if demo_reports_exist(region):
            command.stdout.write(f"Demo reports of {region.short_code} exist: skipped.")
            continue
        for period in demo_periods(now, region):
            _build_period(command, region, period, now)


def refresh_demo_reports(command, now: datetime | None = None) -> None:
    """The demo made on an earlier day, brought up to today (`demo --if-empty` on a database that
    has users): in each region with demo reports, the days after its latest demo report's, up to
    `now`'s. The reports made before stay as they were (the ones left waiting are now late, as if
    the bodies had not answered since). A region without demo reports is left alone."""
    now = now or timezone.now()
    for region in Region.objects.filter(districts__isnull=False).distinct():
        latest = _demo_submissions(region).aggregate(last=Max("report__submitted_at"))["last"]
        period = _period_after(local_date(latest, region), now, region) if latest else None
        if period is not None:
            _build_period(command, region, period, now)


def _demo_submissions(region: Region):
    return ReportEvent.objects.filter(kind=Kind.SUBMITTED, report__region=region, **{f"data__{DEMO_MARK}": True})


def _build_period(command, region: Region, period: DemoPeriod, now: datetime) -> None:
    started = timezone.now()
    result = bulk_build_reports(
        region=region,
        count=period.count,
        seed=period.seed,
        start=period.start,
        end=period.end,
        now=now,
        live_until_now=True,
    )
    seconds = (timezone.now() - started).total_seconds()
    command.stdout.write(
        f"Demo reports of {region.short_code}, {period.start} to {period.end}: {result.reports} reports, "
        f"{result.events} events, {result.contacts} contacts, {result.answers} answers, {result.forwards} "
        f"forwards, {result.extensions} extensions, {result.supporters} supporters, {result.photos} photos in "
        f"{seconds:.1f} s."
    )
