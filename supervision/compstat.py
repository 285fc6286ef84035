"""CompStat: the registered offences of the last 7 and 28 days, the year to date and the last 365
days, each beside the same window one year earlier, by district and gravity.

Windows end on a local day D (default: the region's today) and are read as of the end of D: an
offence counts when its registration date lies in the window, the import that gave it was done by
then (`recorded_at`) and no later import of its period had replaced it yet (`replaced_at`). The
base windows are the same dates one year earlier (lib.change.a_year_earlier), read as of the end of
D one year earlier: the figures the office had that day, as the results summary reads its base
(so the summary's page behind a cell's link shows the same base). A base spanning 29 February has
a day more than its window; its percent change is given all the same, as the summary gives it.

A district in scope counts in its highest ancestor within the scope (a city's districts in the
city), as the results summary's breakdown does, so a cell and the summary's figure behind its link
agree. Each cell carries the change in percent and DESIGN.md's small-base test (Poisson z, |z| < 2:
within normal variation, so 3 -> 5 raises no alarm).

One statement, whatever the number of districts: the rows of the two years grouped by district and
gravity, each window counted by a filtered COUNT (current and base).
"""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.lookups import cached_districts
from accounts.models import District, Region
from accounts.zones import local_today, region_zone
from lib.change import a_year_earlier, percent_change, poisson_z, within_normal_variation
from lib.periods import day_bounds

from .models import CRIME_CATEGORIES, CrimeRecord, Gravity

RISE, FALL, NORMAL = "rise", "fall", "normal"

# The lines of each district, in the order of the board's documents: the registered crimes (the
# four categories together), each category from the gravest, then the misdemeanours and the rows
# of unknown gravity, apart. Each names the results summary's metric behind it
# (supervision.crime_metrics), which its cells link to.
CRIMES, MISDEMEANOURS, UNKNOWN = "crimes", "misdemeanours", "unknown"
LINES: tuple[tuple[str, str, Promise], ...] = (
    (CRIMES, "crime.registered", _("Registered crimes")),
    (Gravity.PARTICULARLY_GRAVE.value, "crime.registered.particularly_grave", _("Particularly grave crimes")),
    (Gravity.GRAVE.value, "crime.registered.grave", _("Grave crimes")),
    (Gravity.MEDIUM.value, "crime.registered.medium", _("Crimes of medium gravity")),
    (Gravity.MINOR.value, "crime.registered.minor", _("Crimes of minor gravity")),
    (MISDEMEANOURS, "crime.misdemeanours", _("Criminal misdemeanours")),
    (UNKNOWN, "crime.gravity_unknown", _("Offences of unknown gravity")),
)


@dataclass(frozen=True)
class Window:
    """A window of local days ending on the "as of" day, and the same dates a year earlier."""

    key: str
    label: Promise
    start: date
    end: date  # included
    base_start: date
    base_end: date  # included

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def windows(as_of: date) -> tuple[Window, ...]:
    """The four windows ending on `as_of`: 7 days, 28 days, the year to date, 365 days."""

    def window(key, label, start):
        return Window(key, label, start, as_of, a_year_earlier(start), a_year_earlier(as_of))

    return (
        window("7d", _("Last 7 days"), as_of - timedelta(days=6)),
        window("28d", _("Last 28 days"), as_of - timedelta(days=27)),
        window("ytd", _("Year to date"), as_of.replace(month=1, day=1)),
        window("365d", _("Last 365 days"), as_of - timedelta(days=364)),
    )


@dataclass(frozen=True)
class Cell:
    """One window of one line: the count, its base a year earlier, and how far it moved."""

    window: Window
    current: int
    base: int
    change_percent: Decimal | None  # None: no base to compare with ("n/a")
    z: float | None

    @property
    def trend(self) -> str:
        """NORMAL within normal variation (|z| < 2), else RISE or FALL."""
        if within_normal_variation(self.z) is not False:
            return NORMAL
        return RISE if self.z > 0 else FALL

    @property
    def within_normal_variation(self) -> bool:
        return self.trend == NORMAL


def cell(window: Window, current: int, base: int) -> Cell:
    return Cell(window, current, base, percent_change(current, base), poisson_z(current, base))


@dataclass(frozen=True)
class Line:
    key: str  # CRIMES, a gravity of CRIME_CATEGORIES, MISDEMEANOURS or UNKNOWN
    metric: str  # the results summary's metric code
    label: Promise
    cells: tuple[Cell, ...]  # one per window, in windows()' order


@dataclass(frozen=True)
class Unit:
    """A district (with its city districts, for a city) or the total (`district` None)."""

    district: District | None
    lines: tuple[Line, ...]

    @property
    def is_total(self) -> bool:
        return self.district is None


@dataclass
class CompStat:
    region: Region
    as_of: date
    base_as_of: date
    windows: tuple[Window, ...]
    total: Unit
    districts: list[Unit] = field(default_factory=list)
    # None: the whole region; else the districts counted (with a city's city districts).
    district_ids: frozenset[int] | None = None

    @property
    def whole_region(self) -> bool:
        return self.district_ids is None


def _end_of(day: date, zone) -> datetime:
    """The last moment of the local `day` (the "as of" moment of a day, as the summary reads it)."""
    return day_bounds(day, zone)[1] - timedelta(microseconds=1)


def _standing(moment) -> Q:
    """The rows counted as of `moment`: imported by then and not replaced yet."""
    return Q(recorded_at__lte=moment) & (Q(replaced_at__isnull=True) | Q(replaced_at__gt=moment))


def _units(region: Region, district_ids: frozenset[int] | None) -> dict[int, District]:
    """Each district in scope -> the unit it counts in: its highest ancestor within the scope."""
    districts = {pk: d for pk, d in cached_districts()["pk"].items() if d.region_id == region.pk}
    in_scope = set(districts) if district_ids is None else set(district_ids) & set(districts)
    unit_of = {}
    for pk in in_scope:
        top = districts[pk]
        while top.parent_id in in_scope:
            top = districts[top.parent_id]
        unit_of[pk] = top
    return unit_of


def _line_keys(gravity: str | None) -> tuple[str, ...]:
    if gravity is None:
        return (UNKNOWN,)
    if gravity == Gravity.MISDEMEANOUR:
        return (MISDEMEANOURS,)
    if gravity in CRIME_CATEGORIES:
        return (CRIMES, gravity)
    return ()


def crime_compstat(
    region: Region, *, as_of: date | None = None, district_ids: Collection[int] | None = None
) -> CompStat:
    """The CompStat table of `region` (or of the districts of `district_ids`: the caller scopes them
    and brings a city's city districts) as of the local day `as_of` (default: the region's today)."""
    zone = region_zone(region)
    as_of = as_of or local_today(region)
    base_as_of = a_year_earlier(as_of)
    moment, base_moment = _end_of(as_of, zone), _end_of(base_as_of, zone)
    scope = None if district_ids is None else frozenset(district_ids)
    spans = windows(as_of)

    counts = {}
    for window in spans:
        counts[f"c_{window.key}"] = Count(
            "pk", filter=Q(registered_on__gte=window.start, registered_on__lte=window.end) & _standing(moment)
        )
        counts[f"b_{window.key}"] = Count(
            "pk",
            filter=Q(registered_on__gte=window.base_start, registered_on__lte=window.base_end) & _standing(base_moment),
        )
    rows = CrimeRecord.objects.filter(
        region=region,
        registered_on__gte=min(min(w.start, w.base_start) for w in spans),
        registered_on__lte=as_of,
        recorded_at__lte=moment,
    ).filter(Q(replaced_at__isnull=True) | Q(replaced_at__gt=base_moment))
    if scope is not None:
        rows = rows.filter(district_id__in=scope)

    unit_of = _units(region, scope)
    # (unit id or None for the total, line key) -> [current, base] per window
    totals: dict[tuple[int | None, str], list[list[int]]] = {}

    def add(unit_id, key, values):
        pairs = totals.setdefault((unit_id, key), [[0, 0] for _window in spans])
        for pair, (current, base) in zip(pairs, values, strict=True):
            pair[0] += current
            pair[1] += base

    for row in rows.values("district_id", "gravity").annotate(**counts).order_by():
        unit = unit_of.get(row["district_id"])
        if unit is None:  # a district of another region, or outside the scope
            continue
        values = [(row[f"c_{w.key}"], row[f"b_{w.key}"]) for w in spans]
        for key in _line_keys(row["gravity"]):
            add(unit.pk, key, values)
            add(None, key, values)

    def unit_lines(unit_id) -> tuple[Line, ...]:
        return tuple(
            Line(
                key,
                metric,
                label,
                tuple(
                    cell(window, current, base)
                    for window, (current, base) in zip(
                        spans, totals.get((unit_id, key), [(0, 0)] * len(spans)), strict=True
                    )
                ),
            )
            for key, metric, label in LINES
        )

    units = sorted({unit.pk: unit for unit in unit_of.values()}.values(), key=lambda d: d.kato)
    return CompStat(
        region=region,
        as_of=as_of,
        base_as_of=base_as_of,
        windows=spans,
        total=Unit(None, unit_lines(None)),
        districts=[Unit(district, unit_lines(district.pk)) for district in units],
        district_ids=scope,
    )
