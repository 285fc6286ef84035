"""Metrics month by month, for the pages that show a figure over time (lib.plugins' `series_reader`:
a board directive's page shows the metrics it aims to move since it was issued, a project's the
metrics it tracks since it started).

Each month is the results summary of that month, computed by the summary's own steps
(reporting.figures: the metric's group evaluated over the month's window, its total), so a month's
value is the summary's figure for it: a flow counted over the month as of its last day, a stock as
it stood at the end of its last day; the month under way is read as of today, and months after
today are left out. Each group is evaluated once a month whatever the number of its metrics asked,
and without the comparison base a summary computes beside its figures.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.utils import timezone, translation

from accounts.models import Region
from accounts.zones import region_zone
from lib.metrics import Source

from . import cells
from .catalogue import declared_metrics

# The summary's own steps (reporting.figures), so that a month's value is its figure.
from .figures import Request, Units, compute, evaluate, reading_of, totals_of, value_of, window_of
from .models import FIRST_DAY, LAST_DAY, Metric, MetricReading

# A page shows at most three years, the latest: beyond that a series is the summaries' work.
MAX_MONTHS = 36


def months(start: date, end: date) -> list[date]:
    """The first days of the months from `start`'s to `end`'s, the latest MAX_MONTHS of them."""
    found, month = [], start.replace(day=1)
    while month <= end:
        found.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return found[-MAX_MONTHS:]


def _last_day(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def metric_series(
    region_id: int,
    codes: list[str],
    start: date,
    end: date,
    language: str,
    *,
    district_ids: frozenset[int] | None = None,
    as_of: date | None = None,
) -> list[dict]:
    """Each known metric of `codes` (unknown ones are skipped) month by month from `start` to `end`
    in the region: `{"code", "name", "unit", "points": [{"month", "value"}]}`, in the order asked.
    `district_ids`: those districts only (a summary of some districts); `as_of`: each month read as
    of that day at the latest and months after it left out (a summary's chart reads its months as
    the summary reads its period, so that a frozen summary's trend does not move with later records)."""
    region = Region.objects.filter(pk=region_id).first()
    declared = declared_metrics()
    rows = {row.code: row for row in Metric.objects.current().filter(code__in=codes)}
    codes = [code for code in dict.fromkeys(codes) if code in declared or code in rows]
    if region is None or not codes:
        return []
    today = timezone.localtime(timezone.now(), region_zone(region)).date()
    first, last = max(start, FIRST_DAY), min(end, today, LAST_DAY, as_of or LAST_DAY)
    readings = defaultdict(list)
    for rule in MetricReading.objects.filter(metric__in=rows.values()).order_by("starts_on"):
        readings[rule.metric_id].append(rule)
    cells.refresh()  # as compute does, once for all the months
    units = Units(region, district_ids)
    series = {}
    with translation.override(language):
        for month in months(first, last):
            end_of_month = _last_day(month)
            request = Request.make(
                region=region,
                start=month,
                end=end_of_month,
                as_of=min(end_of_month, as_of) if as_of else None,
                district_ids=district_ids,
            )
            for code, (name, unit, value) in _month(request, codes, declared, rows, readings, units).items():
                entry = series.setdefault(code, {"code": code, "name": name, "unit": unit, "points": []})
                entry["points"].append({"month": month, "value": value})
    return [series[code] for code in codes if code in series]


def _month(request: Request, codes: list[str], declared: dict, rows: dict, readings: dict, units: Units) -> dict:
    """code -> (name, unit, value) for one month. A computed metric is read as compute reads it (its
    group evaluated over the month's window, its total: the summary's figure without the base a
    summary computes beside it), each group once; one the summary reads from submissions or imports
    that month, through compute itself."""
    window = window_of(request, request.period, request.as_of)
    totals, found = {}, {}
    for code in codes:
        row = rows.get(code)
        if code in declared and reading_of(row, readings, request.period) == Source.COMPUTED:
            group, metric = declared[code]
            if group.name not in totals:
                totals[group.name] = totals_of(evaluate(group, window), units)
            name = row.name if row else str(metric.name)
            found[code] = (name, metric.unit, value_of(metric, totals[group.name], "total"))
        else:
            figure = next((f for f in compute(request, only=code).figures if f.code == code), None)
            if figure is not None:
                found[code] = (figure.name, figure.unit, figure.value)
    return found
