"""The demo's crime statistics: registered offences of 2024, 2025 and the live months, at a real
region's size (some 35,000 rows a year at the default scale), one import a day (each day's rows
imported the next morning, as a daily extract of the statistics would be).

Calibrated to the board's documents (../reference/), through the summary as the board reads it:
1 January - 30 September 2025 against the same months of 2024, as of 16 October 2025, gives
registered crimes -3.8 %, particularly grave -61.0 %, medium gravity -8.6 %, minor -1.6 % (grave:
+3.5 %); the year 2025 against 2024, as of 27 December 2025 (the rows registered by 26 December,
imported by then), gives -7.0 %. Each count below is a multiple of the scale, so any scale keeps
the percentages exact.

The rows are invented: their articles and parts name no offence of the Criminal Code, and their
gravity is the row's own (the statistics' category), never the gravity table's (which Tartip
fills only from a source). The districts' shares follow their populations where known.
"""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction

from accounts.models import District, Region
from accounts.zones import local_today, region_zone
from lib.inserts import insert_rows

from .models import CrimeImport, CrimeRecord, Gravity

DEMO_CRIME_SCALE = 2
DEMO_SEED = 20240101
FIRST_DAY = date(2024, 1, 1)
# What each stretch of days registers, per gravity, in units of the scale: (first day, last day).
MIS, MINOR, MEDIUM, GRAVE, PARTICULARLY = (
    Gravity.MISDEMEANOUR,
    Gravity.MINOR,
    Gravity.MEDIUM,
    Gravity.GRAVE,
    Gravity.PARTICULARLY_GRAVE,
)
STRETCHES = (
    ((date(2024, 1, 1), date(2024, 9, 30)), {PARTICULARLY: 100, GRAVE: 1400, MEDIUM: 3000, MINOR: 4500, MIS: 4200}),
    ((date(2024, 10, 1), date(2024, 12, 26)), {PARTICULARLY: 30, GRAVE: 450, MEDIUM: 970, MINOR: 1450, MIS: 1350}),
    ((date(2024, 12, 27), date(2024, 12, 31)), {PARTICULARLY: 2, GRAVE: 25, MEDIUM: 55, MINOR: 88, MIS: 80}),
    ((date(2025, 1, 1), date(2025, 9, 30)), {PARTICULARLY: 39, GRAVE: 1449, MEDIUM: 2742, MINOR: 4428, MIS: 4000}),
    ((date(2025, 10, 1), date(2025, 12, 26)), {PARTICULARLY: 12, GRAVE: 380, MEDIUM: 800, MINOR: 1217, MIS: 1250}),
    ((date(2025, 12, 27), date(2025, 12, 31)), {PARTICULARLY: 2, GRAVE: 24, MEDIUM: 52, MINOR: 82, MIS: 75}),
)
# After 2025, each day registers about 2025's daily mean (the live months), with its own noise.
LIVE_PER_DAY = {PARTICULARLY: 0.15, GRAVE: 5.2, MEDIUM: 10.2, MINOR: 16.3, MIS: 14.8}
# Invented article numbers per gravity (module doc): "D" marks them as the demo's.
ARTICLES = {
    MIS: ("D101", "D102", "D103"),
    MINOR: ("D201", "D202", "D203", "D204"),
    MEDIUM: ("D301", "D302", "D303"),
    GRAVE: ("D401", "D402"),
    PARTICULARLY: ("D501", "D502"),
}
SOLVED_SHARE, BY_MINOR_SHARE, AGAINST_MINOR_SHARE = 0.62, 0.03, 0.04
# Weekdays register a little more than weekends.
WEEKDAY_WEIGHTS = (1.08, 1.06, 1.05, 1.04, 1.07, 0.88, 0.82)
COLUMNS = (
    "region_id",
    "crime_import_id",
    "row",
    "district_id",
    "registered_on",
    "article",
    "part",
    "gravity",
    "solved",
    "by_minor",
    "against_minor",
    "number",
    "recorded_at",
)


def create_demo_crime(command) -> None:
    for region in Region.objects.filter(districts__isnull=False).distinct():
        if CrimeRecord.objects.filter(region=region).exists():
            command.stdout.write(f"Crime statistics of {region.short_code} exist: skipped.")
            continue
        count = build_demo_crime(region=region)
        command.stdout.write(f"Demo crime statistics of {region.short_code}: {count} registered offences.")


def refresh_demo_crime(command) -> None:
    """The days since the latest demo import, up to yesterday (today's rows come tomorrow)."""
    for region in Region.objects.filter(districts__isnull=False).distinct():
        last = CrimeImport.objects.filter(region=region).order_by("-period_end").values_list("period_end", flat=True)
        if last:
            build_demo_crime(region=region, after=last[0])


def _spread(total: int, days: list[date]) -> dict[date, int]:
    """`total` over the days by their weights, exactly (the largest remainders get the rest)."""
    weights = [WEEKDAY_WEIGHTS[day.weekday()] for day in days]
    shares = [total * weight / sum(weights) for weight in weights]
    counts = [int(share) for share in shares]
    for index in sorted(range(len(days)), key=lambda i: shares[i] - counts[i], reverse=True)[: total - sum(counts)]:
        counts[index] += 1
    return dict(zip(days, counts, strict=True))


def _daily_counts(last_day: date, scale: int) -> dict[date, dict[str, int]]:
    counts: dict[date, dict[str, int]] = {}
    for (first, last), per_gravity in STRETCHES:
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        for gravity, units in per_gravity.items():
            for day, count in _spread(units * scale, days).items():
                counts.setdefault(day, {})[gravity] = count
    day = STRETCHES[-1][0][1] + timedelta(days=1)
    while day <= last_day:
        rng = random.Random(f"{DEMO_SEED}-{day.isoformat()}")
        weight = WEEKDAY_WEIGHTS[day.weekday()]
        counts[day] = {
            gravity: max(0, round(rng.gauss(mean * scale * weight, (mean * scale) ** 0.5)))
            for gravity, mean in LIVE_PER_DAY.items()
        }
        day += timedelta(days=1)
    return counts


def _district_weights(region: Region) -> tuple[list[int], list[float]]:
    """The districts offences are registered in (a city's districts rather than the city, when it
    has them), weighted by population (an unknown one as the smallest known)."""
    districts = list(District.objects.filter(region=region).prefetch_related("children"))
    leaves = [district for district in districts if not district.children.all()]
    known = [district.population for district in leaves if district.population]
    smallest = min(known) if known else 1
    return [district.pk for district in leaves], [float(district.population or smallest) for district in leaves]


def build_demo_crime(*, region: Region, scale: int = DEMO_CRIME_SCALE, after: date | None = None) -> int:
    """The demo's registered offences from `after` (excluded; default: from 1 January 2024) to
    yesterday, one import a day; the number of rows written."""
    zone = region_zone(region)
    yesterday = local_today(region) - timedelta(days=1)
    district_ids, weights = _district_weights(region)
    written = 0
    for day, per_gravity in sorted(_daily_counts(yesterday, scale).items()):
        if day > yesterday or (after is not None and day <= after) or day < FIRST_DAY:
            continue
        written += _import_day(region, zone, day, per_gravity, district_ids, weights)
    return written


def _import_day(region, zone, day: date, per_gravity: dict, district_ids, weights) -> int:
    rng = random.Random(f"{DEMO_SEED}-rows-{day.isoformat()}")
    # Imported the next morning: a figure as of a day counts that day's rows the day after.
    recorded_at = datetime.combine(day + timedelta(days=1), time(6, 0), tzinfo=zone)
    rows = []
    with transaction.atomic():
        crime_import = CrimeImport.objects.create(
            region=region,
            period_start=day,
            period_end=day,
            file_name="",
            original_name=f"demo-{day.isoformat()}.csv",
            file_type="csv",
            status=CrimeImport.Status.DONE,
            uploaded_at=recorded_at,
            done_at=recorded_at,
        )
        number = 1
        for gravity, count in per_gravity.items():
            for _ in range(count):
                number += 1
                rows.append(
                    (
                        region.pk,
                        crime_import.pk,
                        number,
                        rng.choices(district_ids, weights)[0],
                        day,
                        rng.choice(ARTICLES[gravity]),
                        str(rng.randint(1, 3)),
                        gravity,
                        gravity != MIS and rng.random() < SOLVED_SHARE,
                        rng.random() < BY_MINOR_SHARE,
                        rng.random() < AGAINST_MINOR_SHARE,
                        "",
                        recorded_at,
                    )
                )
        insert_rows(CrimeRecord, COLUMNS, rows)
        CrimeImport.objects.filter(pk=crime_import.pk).update(
            rows_total=len(rows), rows_read=len(rows), rows_ok=len(rows)
        )
    return len(rows)
