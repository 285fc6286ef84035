"""The demo outreach log, a step of the `demo` command: each month's work by project, kind and
district, the nine months of 2025 calibrated to the reference document's figures."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.db.models import Max
from django.utils import timezone

from accounts.models import Organisation, Region
from accounts.zones import region_zone

from ..models import Outreach
from .indicators import CHUNK, DEMO_SEED

# The reference document's figures for 1 January - 30 September 2025 (as of 16 October 2025):
# "more than 25,000 brochures distributed, over 1,000 publications made on social media, 1,500
# meetings organized with the population, and 127 informational billboards installed"; the
# meetings with activists, volunteers and students it names without a number get plausible ones.
NINE_MONTHS_2025 = {
    Outreach.Kind.BROCHURES: 25_640,
    Outreach.Kind.PUBLICATIONS: 1_068,
    Outreach.Kind.MEETINGS: 1_500,
    Outreach.Kind.BILLBOARDS: 127,
    Outreach.Kind.ACTIVISTS: 86,
    Outreach.Kind.STUDENTS: 214,
}
# A month's share of those outside the calibrated months (2024 a little lower, as work grew).
OTHER_MONTH = {kind: total / 9 for kind, total in NINE_MONTHS_2025.items()}
PROJECTS = (
    Outreach.Project.WITHOUT_FRAUD,
    Outreach.Project.WITHOUT_FRAUD,
    Outreach.Project.LAW_AND_ORDER,
    Outreach.Project.CHILDREN,
    Outreach.Project.CRIME_PREVENTION,
)


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` in `parts` random whole parts (some may be 0)."""
    cuts = sorted(rng.randint(0, total) for _ in range(parts - 1))
    return [high - low for low, high in zip([0, *cuts], [*cuts, total], strict=True)]


def _months(start: date, end: date):
    month = date(start.year, start.month, 1)
    while month <= end:
        yield month
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def build_demo_outreach(*, region: Region, now: datetime | None = None, after: date | None = None) -> int:
    """The region's outreach log from January 2024 (or the month after `after`) up to today: the
    first nine months of 2025 exactly as the reference document counts them, every entry logged a
    few days after its work (so that the summary as of 16 October 2025 has them all)."""
    now = now or timezone.now()
    today = timezone.localtime(now, region_zone(region)).date()
    rng = random.Random(DEMO_SEED + 7 + (after.toordinal() if after else 0))
    offices = {
        district: office
        for office in Organisation.objects.filter(region=region, kind=Organisation.Kind.PROSECUTOR_OFFICE)
        .exclude(type=Organisation.Type.REGIONAL_OFFICE)
        .prefetch_related("districts")
        for district in office.districts.all()
    }
    regional = Organisation.objects.filter(region=region, type=Organisation.Type.REGIONAL_OFFICE).first()
    districts = list(offices)
    if not districts or regional is None:
        return 0
    start = date(2024, 1, 1) if after is None else after + timedelta(days=1)
    entries = []
    for month in _months(start, today):
        calibrated = date(2025, 1, 1) <= month <= date(2025, 9, 1)
        last_day = min(today, (date(month.year + (month.month == 12), month.month % 12 + 1, 1) - timedelta(days=1)))
        for kind in Outreach.Kind.values:
            if calibrated:
                total = _split(NINE_MONTHS_2025[kind], 9, random.Random(DEMO_SEED + Outreach.Kind.values.index(kind)))[
                    month.month - 1
                ]
            else:
                total = round(OTHER_MONTH[kind] * (0.8 if month.year == 2024 else 1.0) * rng.uniform(0.8, 1.2))
            pieces = max(1, min(total, 6))
            for count in _split(total, pieces, rng):
                if count == 0:
                    continue
                district = rng.choice(districts)
                day = month + timedelta(days=rng.randrange((last_day - month).days + 1))
                logged = min(
                    now,
                    timezone.make_aware(
                        datetime.combine(day + timedelta(days=rng.randint(0, 5)), datetime.min.time()),
                        region_zone(region),
                    )
                    + timedelta(hours=18),
                )
                if calibrated:  # logged by 16 October 2025 at the latest
                    logged = min(logged, timezone.make_aware(datetime(2025, 10, 15, 18), region_zone(region)))
                entries.append(
                    Outreach(
                        region=region,
                        district=district,
                        project=rng.choice(PROJECTS),
                        kind=kind,
                        count=count,
                        day=day,
                        organiser=offices[district],
                        recorded_at=logged,
                    )
                )
    Outreach.objects.bulk_create(entries, batch_size=CHUNK)
    return len(entries)


def create_demo_outreach(command) -> None:
    for region in Region.objects.filter(districts__isnull=False).distinct():
        if Outreach.objects.filter(region=region).exists():
            command.stdout.write(f"Outreach log of {region.short_code} exists: skipped.")
            continue
        command.stdout.write(f"Demo outreach entries of {region.short_code}: {build_demo_outreach(region=region)}.")


def refresh_demo_outreach(command) -> None:
    """The months since the log's last entry, up to today."""
    for region in Region.objects.filter(districts__isnull=False).distinct():
        last = Outreach.objects.filter(region=region).aggregate(last=Max("day"))["last"]
        if last is not None:
            build_demo_outreach(region=region, after=last)
