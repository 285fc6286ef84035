"""The figure Tartip computes from its own records for an office's month, shown to the analyst
beside the one the office submitted (a metric both computed and submitted: the catalogue reads it
from submissions for some period). Computed through the declaring app's metric group
(lib.plugins, lib.metrics): no app is named."""

from datetime import date, timedelta

from django.db.models import Count, Sum
from django.utils import timezone

from accounts.models import Organisation
from accounts.zones import region_zone
from lib.metrics import Kind, Window
from lib.periods import period_bounds
from lib.plugins import metric_groups


def _next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def office_district_ids(office: Organisation) -> set[int]:
    """The districts an office serves, a city's city districts with it."""
    districts = list(office.districts.all())
    return {district.pk for district in districts} | {
        child.pk for district in districts for child in district.children.all()
    }


def computed_beside(codes: set[str], office: Organisation, month: date) -> dict:
    """code -> the value Tartip's records give for the office's districts and the month, as known now;
    only for the counted flows and sums its apps declare (a share or a stock has none here)."""
    district_ids = office_district_ids(office)
    if not district_ids:
        return {}
    zone = region_zone(office.region)
    start, end = period_bounds(month, _next_month(month) - timedelta(days=1), zone)
    window = Window(office.region_id, frozenset(district_ids), start, end, timezone.now())
    values = {}
    for group in metric_groups():
        if group.kind != Kind.FLOW:
            continue
        for metric in group.metrics:
            if metric.code not in codes or metric.ratio:
                continue
            rows = group.rows(window).filter(metric.where)
            aggregate = Sum(metric.sums) if metric.sums else Count("pk")
            values[metric.code] = rows.aggregate(value=aggregate)["value"] or 0
    return values
