"""Metrics month by month, for the pages that show a figure over time (lib.plugins' `series_reader`:
a board directive's page shows the metrics it aims to move since it was issued, a project's the
metrics it tracks since it started).

Each month is the results summary of that month (reporting.figures.compute, the metric's group
only), so a month's value is the summary's figure for it: a flow counted over the month as of its
last day, a stock as it stood at the end of its last day; the month under way is read as of today,
and months after today are left out.
"""

from datetime import date, timedelta

from django.utils import timezone, translation

from accounts.models import Region
from accounts.zones import region_zone

from .catalogue import declared_metrics
from .figures import Request, compute
from .models import FIRST_DAY, LAST_DAY, Metric

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


def metric_series(region_id: int, codes: list[str], start: date, end: date, language: str) -> list[dict]:
    """Each known metric of `codes` (unknown ones are skipped) month by month from `start` to `end`
    in the region: `{"code", "name", "unit", "points": [{"month", "value"}]}`, in the order asked."""
    region = Region.objects.filter(pk=region_id).first()
    known = set(declared_metrics()) | set(Metric.objects.current().values_list("code", flat=True))
    codes = [code for code in dict.fromkeys(codes) if code in known]
    if region is None or not codes:
        return []
    today = timezone.localtime(timezone.now(), region_zone(region)).date()
    first, last = max(start, FIRST_DAY), min(end, today, LAST_DAY)
    series = {}
    with translation.override(language):
        for month in months(first, last):
            request = Request.make(region=region, start=month, end=_last_day(month))
            values = _month_figures(request, codes)
            for code in codes:
                figure = values.get(code)
                if figure is None:
                    continue
                entry = series.setdefault(code, {"code": code, "name": figure.name, "unit": figure.unit, "points": []})
                entry["points"].append({"month": month, "value": figure.value})
    return [series[code] for code in codes if code in series]


def _month_figures(request: Request, codes: list[str]) -> dict:
    """The figures of `codes` for one month: one summary of each group they belong to."""
    figures, left = {}, list(codes)
    while left:
        summary = compute(request, only=left[0])
        figures.update({figure.code: figure for figure in summary.figures if figure.code in codes})
        left = [code for code in left[1:] if code not in figures]
    return figures
