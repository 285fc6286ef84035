"""The flows' counts kept by day, so that a summary sums a few thousand cells instead of reading
every fact of the period and of its base (docs/metrics.md, "Counts kept by day").

A group of a fact app's `metrics.py` whose flow has a change feed (lib.metrics.Feed) and no
window-dependent field is **stored**: its facts are counted by region × local day of the
effective moment × local day of the recorded moment × district × dimension keys (× sensitivity),
the same grouping the live statement uses, and those day cells are summed again by month. A
window reads the months it covers whole (where every fact they hold was recorded by its "as of"
day) and the days of its other parts: the same figures as the live statement, from at most a
few hundred rows per district and key instead of one per fact.

The cells follow the records through the feed: `refresh()` (before every summary, and by the
periodic job "summary-cells") reads the log rows written since it last looked, and counts again,
whole, the days that hold a fact of a changed owner (a report re-categorised months later counts
again on its days, under its new category). Ids the log had not shown yet when a later one was
read (two writers' transactions committing out of order) are looked at again at each refresh
until they appear, for MISSED_FOR. A change of a group's definition (its metrics' versions, its
dimensions) builds the feed's cells again whole, and so does `build()` (`manage.py
summary_cells --build`, for bulk loads that write their facts in one long transaction).
"""

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Max, Q, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from accounts.models import Region
from accounts.zones import region_zone
from lib.metrics import Kind, MetricGroup, Window
from lib.periods import period_bounds
from lib.plugins import metric_groups

from .models import Cell, CellMark

SENSITIVE = "_sensitive"
EFFECTIVE_DAY = "_effective_day"
RECORDED_DAY = "_recorded_day"
MOMENT, RECORDED = "_moment", "_recorded"
# A log id not yet visible this long after a later one was read belonged to a rolled-back write.
MISSED_FOR = timedelta(hours=1)
# More log rows than this since the last refresh: building the feed's cells again costs less.
BACKLOG = 50_000
# Ids below the head looked at for writers still open when the counts are built whole; more
# missing ids than this pending at once: built whole instead (a bulk load's).
RECENT = 10_000
CHUNK = 2_000


def is_stored(group: MetricGroup) -> bool:
    return (
        (group.kind == Kind.FLOW or group.span is not None)
        and group.feed is not None
        and group.annotate is None
        and not group.effective_is_day
        and len(group.counted()) <= len(Cell.VALUES)
    )


def stored_groups() -> dict[str, list[MetricGroup]]:
    """The stored groups by the name of their feed."""
    feeds = defaultdict(list)
    for group in metric_groups():
        if is_stored(group):
            feeds[group.feed.name].append(group)
    return dict(feeds)


class LocalDate(TruncDate):
    """The local date of a moment in a zone. On PostgreSQL the zone's name is written into the
    statement: bound as a parameter (server-side binding), the same expression in SELECT and in
    GROUP BY reads as two, and PostgreSQL refuses the grouping."""

    ZONE_NAME = re.compile(r"[A-Za-z0-9_+\-/]+")

    def as_postgresql(self, compiler, connection):
        sql, params = compiler.compile(self.lhs)
        name = self.get_tzname()
        if not self.ZONE_NAME.fullmatch(name):
            raise ValueError(f"Not a time zone's name: {name!r}")
        return f"({sql} AT TIME ZONE '{name}')::date", params


# --- the one grouped statement -----------------------------------------------------------------


def _aggregate(metric):
    if metric.sums:
        return Sum(metric.sums, filter=metric.where)
    return Count("pk", filter=metric.where)


def grouped(group: MetricGroup, rows, leading: Iterable[str] = ()) -> Iterable[tuple]:
    """The group's rows counted by `leading` fields × district × dimension keys × sensitivity, in
    one statement: (leading values, district id, keys, sensitive, values), the values in the
    order of `group.counted()`."""
    leading = list(leading)
    dimensions = list(group.dimensions.values())
    fields = [*leading, group.district, *dimensions]
    if group.sensitive is not None:
        rows = rows.annotate(**{SENSITIVE: ExpressionWrapper(group.sensitive, output_field=BooleanField())})
        fields.append(SENSITIVE)
    aliases = [f"m{index}" for index, _metric in enumerate(group.counted())]
    counted = {alias: _aggregate(metric) for alias, metric in zip(aliases, group.counted(), strict=True)}
    for row in rows.order_by().values(*fields).annotate(**counted):
        yield (
            tuple(row[name] for name in leading),
            row[group.district],
            tuple(row[name] for name in dimensions),
            bool(row.get(SENSITIVE)),
            [row[alias] or 0 for alias in aliases],
        )


def row_of(group: MetricGroup, district, keys, sensitive: bool, values) -> dict:
    """A row of a group's counts as the summary reads it: the district, the dimensions' keys by
    name, the sensitivity, the counted metrics' values by code (`keys`, `values` in the group's
    order)."""
    return {
        "district": district,
        "keys": dict(zip(group.dimensions, keys, strict=True)),
        "sensitive": sensitive,
        "values": {metric.code: value for metric, value in zip(group.counted(), values, strict=True)},
    }


# --- reading --------------------------------------------------------------------------------


def _month(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _whole_months(first: date, end: date) -> list[date]:
    """The months lying wholly in [first, end)."""
    month = first if first.day == 1 else _next_month(first)
    months = []
    while _next_month(month) <= end:
        months.append(month)
        month = _next_month(month)
    return months


def _value(metric, total):
    """A summed column as the live statement gives it: a count an int, a sum a Decimal."""
    total = total or 0
    return int(total) if not metric.sums else Decimal(total)


def _wanted(first: date, end: date, as_of: date) -> Q:
    """The cells of the window [first, end) as of the day `as_of`: the months it covers whole,
    where every fact they hold was recorded by then, and the days of the rest. Only the parts the
    window has are asked (a condition that can hold for no row still costs its scan)."""
    months = _whole_months(first, end)
    if not months:
        return Q(grain=Cell.Grain.DAY, effective__gte=first, effective__lt=end, recorded__lte=as_of)
    after_months = _next_month(months[-1])
    # A month's cells recorded in a month that ended by the "as of" day hold only facts recorded
    # by then; the facts recorded in the "as of" day's own month are read by day.
    settled = _next_month(as_of) if _next_month(as_of) - timedelta(days=1) == as_of else _month(as_of)
    wanted = Q(grain=Cell.Grain.MONTH, effective__gte=months[0], effective__lt=after_months, recorded__lt=settled)
    days = [(first, months[0]), (after_months, end)]
    day_parts = [Q(effective__gte=low, effective__lt=high) for low, high in days if low < high]
    if settled <= as_of:
        day_parts.append(Q(effective__gte=months[0], effective__lt=after_months, recorded__gte=settled))
    for part in day_parts:
        wanted |= Q(grain=Cell.Grain.DAY, recorded__lte=as_of) & part
    return wanted


def _standing(as_of: date) -> Q:
    """A stock's cells up to the day `as_of`: the months ended by then, and its month's days."""
    month = _next_month(as_of) if _next_month(as_of) - timedelta(days=1) == as_of else _month(as_of)
    return Q(grain=Cell.Grain.MONTH, effective__lt=month) | Q(
        grain=Cell.Grain.DAY, effective__gte=month, effective__lte=as_of
    )


def read(group: MetricGroup, window: Window) -> list[dict]:
    """The group's counts in the window, as the live statement gives them (reporting.figures.evaluate),
    from its cells: one statement, summing them by district and keys."""
    if group.kind == Kind.STOCK:  # every row entered by the day's end, less those left by then
        wanted = _standing(window.as_of_day)
    else:
        wanted = _wanted(window.first_day, window.end_day, window.as_of_day)
    cells = Cell.objects.filter(wanted, group=group.name)
    if window.region_id is not None:
        cells = cells.filter(region_id=window.region_id)
    if window.district_ids is not None:
        cells = cells.filter(district_id__in=window.district_ids)
    counted = list(zip(group.counted(), Cell.VALUES, strict=False))
    metrics = [metric for metric, _column in counted]
    sums = (
        cells.order_by()
        .values("district_id", "keys", "sensitive")
        .annotate(**{f"total_{column}": Sum(column) for _metric, column in counted})
        .values_list("district_id", "keys", "sensitive", *(f"total_{column}" for _metric, column in counted))
    )
    return [
        row_of(
            group, district, json.loads(keys), sensitive, [_value(m, t) for m, t in zip(metrics, totals, strict=True)]
        )
        for district, keys, sensitive, *totals in sums
        # A stock's keys whose rows all left by then: the live statement has no row for them.
        if group.kind == Kind.FLOW or any(totals)
    ]


# --- keeping them -----------------------------------------------------------------------------


def signature(groups: list[MetricGroup], zones: dict) -> str:
    """What the cells of these groups were counted by (their definitions, the regions' zones, the
    codes their keys name): another builds them again."""
    feed = groups[0].feed
    described = [
        [
            group.name,
            group.kind,
            str(group.queryset().query),
            group.effective,
            group.recorded,
            group.region,
            group.district,
            group.owner,
            sorted(group.dimensions.items()),
            str(group.sensitive),
            [[m.code, m.version, m.sums, str(m.where)] for m in group.counted()],
            [str(group.span.member), str(group.span.enters()), group.span.leaves] if group.span else None,
        ]
        for group in sorted(groups, key=lambda group: group.name)
    ]
    zones = sorted((name, region_ids) for name, (_zone, region_ids) in zones.items())
    version = feed.keys_version() if feed.keys_version else ""
    return hashlib.sha256(json.dumps([described, zones, version]).encode()).hexdigest()


def _zones() -> dict[str, tuple]:
    """The regions' ids by their zone (the cells' days are each region's local days)."""
    zones = defaultdict(list)
    for region in Region.objects.all():
        zones[str(region_zone(region))].append(region)
    return {name: (region_zone(regions[0]), [region.pk for region in regions]) for name, regions in zones.items()}


def _cell(group: MetricGroup, grain: str, region_id, effective, recorded, district, keys, sensitive, values) -> Cell:
    cell = Cell(
        group=group.name,
        grain=grain,
        region_id=region_id,
        effective=effective,
        recorded=recorded,
        district_id=district,
        keys=keys if isinstance(keys, str) else json.dumps(list(keys), cls=DjangoJSONEncoder),
        sensitive=sensitive,
    )
    for column, value in zip(Cell.VALUES, values, strict=False):
        setattr(cell, column, value or 0)
    return cell


ENTERS, LEAVES = "_enters", "_leaves"


def _sides(group: MetricGroup, rows) -> list[tuple]:
    """What a group's day cells count, as (rows annotated with their moment MOMENT and
    RECORDED, sign): a flow's facts on their effective day; a stock's rows (lib.metrics.Span) +1
    on the day they entered it, -1 on the day they left, those that left on a later day only."""
    if group.kind == Kind.FLOW:
        return [(rows.annotate(**{MOMENT: F(group.effective), RECORDED: F(group.recorded)}), 1)]
    span = group.span
    rows = rows.filter(span.member).annotate(**{ENTERS: span.enters(), LEAVES: F(span.leaves)})
    return [
        (rows.annotate(**{MOMENT: F(ENTERS), RECORDED: F(ENTERS)}), 1),
        (rows.filter(**{f"{LEAVES}__isnull": False}).annotate(**{MOMENT: F(LEAVES), RECORDED: F(LEAVES)}), -1),
    ]


def _day_cells(group: MetricGroup, rows, zone, ranges: list[tuple] | None = None) -> list[Cell]:
    """The group's day cells over `rows` (of the moments in `ranges` of aware [start, end) only)."""
    totals: dict[tuple, list] = {}
    for side, sign in _sides(group, rows):
        if ranges is not None:
            wanted = Q(pk__in=[])
            for start, end in ranges:
                wanted |= Q(**{f"{MOMENT}__gte": start, f"{MOMENT}__lt": end})
            side = side.filter(wanted)
        side = side.annotate(
            **{EFFECTIVE_DAY: LocalDate(MOMENT, tzinfo=zone), RECORDED_DAY: LocalDate(RECORDED, tzinfo=zone)}
        )
        if group.kind == Kind.STOCK:  # a row in the stock for no day's end counts on no day
            entered, left = LocalDate(ENTERS, tzinfo=zone), LocalDate(LEAVES, tzinfo=zone)
            side = side.annotate(_entered=entered, _left=left).filter(
                Q(_left__isnull=True) | Q(_left__gt=F("_entered"))
            )
        for leading, district, keys, sensitive, values in grouped(
            group, side, (group.region, EFFECTIVE_DAY, RECORDED_DAY)
        ):
            key = (*leading, district, keys, sensitive)
            total = totals.setdefault(key, [0] * len(values))
            for index, value in enumerate(values):
                total[index] += sign * value
    return [
        _cell(group, Cell.Grain.DAY, region_id, effective, recorded, district, keys, sensitive, values)
        for (region_id, effective, recorded, district, keys, sensitive), values in totals.items()
        if group.kind == Kind.FLOW or any(values)  # a stock's rows that entered and left that day
    ]


def _month_cells(group: MetricGroup, region_ids: list[int] | None, months: set[date] | None) -> list[Cell]:
    """The month cells summed from the day cells (of these regions' months; None: all)."""
    days = Cell.objects.filter(group=group.name, grain=Cell.Grain.DAY)
    if region_ids is not None:
        days = days.filter(region_id__in=region_ids)
    if months is not None:
        days = days.filter(_months_q(months))
    columns = Cell.VALUES[: len(group.counted())]
    sums = (
        days.order_by()
        .annotate(month=TruncMonth("effective"), recorded_month=TruncMonth("recorded"))
        .values("region_id", "month", "recorded_month", "district_id", "keys", "sensitive")
        .annotate(**{f"total_{column}": Sum(column) for column in columns})
    )
    return [
        _cell(
            group,
            Cell.Grain.MONTH,
            row["region_id"],
            row["month"],
            row["recorded_month"],
            row["district_id"],
            row["keys"],
            row["sensitive"],
            [row[f"total_{column}"] for column in columns],
        )
        for row in sums
    ]


def _months_q(months: set[date]) -> Q:
    wanted = Q(pk__in=[])
    for month in months:
        wanted |= Q(effective__gte=month, effective__lt=_next_month(month))
    return wanted


def _ranges(days: set[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) ranges."""
    ranges = []
    for day in sorted(days):
        if ranges and ranges[-1][1] + timedelta(days=1) == day:
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges


def _build_group(group: MetricGroup, zones: dict) -> int:
    Cell.objects.filter(group=group.name).delete()
    made = 0
    for zone, region_ids in zones.values():
        cells = _day_cells(group, group.queryset().filter(**{f"{group.region}__in": region_ids}), zone)
        Cell.objects.bulk_create(cells, batch_size=CHUNK)
        made += len(cells)
    Cell.objects.bulk_create(_month_cells(group, None, None), batch_size=CHUNK)
    return made


def _recount_days(group: MetricGroup, zone, region_id: int, days: set[date]) -> None:
    """Count the region's days again, whole, and the months that hold them."""
    ranges = [period_bounds(first, last, zone) for first, last in _ranges(days)]
    Cell.objects.filter(group=group.name, grain=Cell.Grain.DAY, region_id=region_id, effective__in=days).delete()
    rows = group.queryset().filter(**{group.region: region_id})
    Cell.objects.bulk_create(_day_cells(group, rows, zone, ranges), batch_size=CHUNK)
    months = {_month(day) for day in days}
    Cell.objects.filter(_months_q(months), group=group.name, grain=Cell.Grain.MONTH, region_id=region_id).delete()
    Cell.objects.bulk_create(_month_cells(group, [region_id], months), batch_size=CHUNK)


def _add_days(days: dict, moments, zones_of: dict) -> None:
    for region_id, moment in moments:
        zone = zones_of.get(region_id)
        if zone is not None and moment is not None:
            days[region_id].add(timezone.localtime(moment, zone).date())


def _logged_days(feed, owners: list, zones_of: dict) -> dict[int, set[date]]:
    """The local days, by region, of every log row of the changed owners: where a fact stamped
    when it happened (a registration since redone, say) was, before it moved or left its group."""
    days = defaultdict(set)
    for start in range(0, len(owners), CHUNK):
        rows = feed.log().filter(**{f"{feed.owner}__in": owners[start : start + CHUNK]})
        _add_days(days, rows.values_list(feed.region, feed.at).distinct(), zones_of)
    return days


def _touched_days(group: MetricGroup, owners: list, zones_of: dict, logged: dict) -> dict[int, set[date]]:
    """The local days, by region, to count the group again on: its changed owners' facts' days
    now, and their log rows' days."""
    days = defaultdict(set, {region_id: set(region_days) for region_id, region_days in logged.items()})
    for start in range(0, len(owners), CHUNK):
        facts = group.queryset().filter(**{f"{group.owner}__in": owners[start : start + CHUNK]})
        for side, _sign in _sides(group, facts):
            _add_days(days, side.values_list(group.region, MOMENT).distinct(), zones_of)
    return days


def _mark(feed_name: str) -> CellMark:
    CellMark.objects.get_or_create(feed=feed_name, defaults={"signature": ""})
    return CellMark.objects.select_for_update().get(feed=feed_name)


def _head(groups: list[MetricGroup]) -> int:
    return groups[0].feed.log().aggregate(head=Max("pk"))["head"] or 0


def _recent_gaps(groups: list[MetricGroup], head: int, now: datetime) -> dict[str, str]:
    """The ids among the last RECENT below `head` the log does not show: writers' transactions
    still open (the ids are given in order, so theirs lie just below the head)."""
    feed = groups[0].feed
    low = max(head - RECENT, 0)
    seen = set(feed.log().filter(pk__gt=low, pk__lte=head).values_list("pk", flat=True))
    return {str(pk): now.isoformat() for pk in range(low + 1, head) if pk not in seen}


def _build(groups: list[MetricGroup], mark: CellMark, now: datetime, zones: dict, current: str) -> None:
    """Every cell of the feed's groups counted again; `current`: their signature now."""
    head = _head(groups)
    pending = _recent_gaps(groups, head, now)
    for group in groups:
        _build_group(group, zones)
    mark.signature, mark.after, mark.pending = current, head, pending
    mark.built_at = mark.refreshed_at = now
    mark.save()


def _catch_up(groups: list[MetricGroup], mark: CellMark, now: datetime, zones: dict) -> None:
    feed = groups[0].feed
    pending = {int(key): value for key, value in mark.pending.items()}
    log = feed.log().filter(Q(pk__gt=mark.after) | Q(pk__in=list(pending))).order_by("pk")
    rows = list(log.values_list("pk", feed.owner)[: BACKLOG + 1])
    if len(rows) > BACKLOG:
        _build(groups, mark, now, zones, mark.signature)
        return
    seen = {pk for pk, _owner in rows}
    head = max(seen | {mark.after})
    if head - mark.after - len(seen) > BACKLOG:  # ids skipped by the thousand: a bulk load's
        _build(groups, mark, now, zones, mark.signature)
        return
    first_missed = now.isoformat()
    missed = {pk: pending.get(pk, first_missed) for pk in range(mark.after + 1, head) if pk not in seen}
    for pk, since in pending.items():
        if pk not in seen and datetime.fromisoformat(since) > now - MISSED_FOR:
            missed[pk] = since
    if len(missed) > RECENT:  # more gaps than open transactions make: a bulk load's ids
        _build(groups, mark, now, zones, mark.signature)
        return
    owners = sorted({owner for _pk, owner in rows if owner is not None})
    if owners:
        zones_of = {region_id: zone for zone, region_ids in zones.values() for region_id in region_ids}
        logged = _logged_days(feed, owners, zones_of)
        for group in groups:
            for region_id, days in _touched_days(group, owners, zones_of, logged).items():
                _recount_days(group, zones_of[region_id], region_id, days)
    mark.after, mark.pending, mark.refreshed_at = head, {str(pk): since for pk, since in missed.items()}, now
    mark.save()


def refresh() -> None:
    """Bring every stored group's cells up to the records (built whole the first time, or when a
    definition changed)."""
    now, zones = timezone.now(), _zones()
    for groups in stored_groups().values():
        with transaction.atomic():
            mark = _mark(groups[0].feed.name)
            current = signature(groups, zones)
            if mark.built_at is None or mark.signature != current:
                _build(groups, mark, now, zones, current)
            else:
                _catch_up(groups, mark, now, zones)


def build() -> None:
    """Build every stored group's cells again, whole."""
    now, zones = timezone.now(), _zones()
    for groups in stored_groups().values():
        with transaction.atomic():
            _build(groups, _mark(groups[0].feed.name), now, zones, signature(groups, zones))
