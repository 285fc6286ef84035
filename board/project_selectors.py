"""What a project's page reads besides its own rows: the metrics it tracks month by month, and the
outreach logged for it.

The metrics come from the platform's series reader (lib.plugins.metric_series: the summary's own
figures, region-wide). The outreach is the fact apps' metric groups with a "project" dimension
(the registry's outreach log), whose rows are filtered by the project's code: the group's own
rows, filter and sum (lib.metrics.MetricGroup), so the page counts what the summary counts, and
the board names no fact app (docs/board.md, "Projects and working groups").
"""

from datetime import date, datetime, timedelta

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import get_language

from accounts.zones import day_start, local_date, region_id_zone
from lib import plugins
from lib.metrics import Kind, MetricGroup, Window

from .models import Project

# The dimension the outreach log names a project by (registry's Outreach.project).
PROJECT_DIMENSION = "project"
# The outreach entries a project's page lists, latest first.
OUTREACH_ROWS = 50
# The months of the tracked metrics a project's page shows, the latest: each month is a summary
# computed by the series reader, so a page of several years would take seconds to answer.
SERIES_MONTHS = 12


def months(start: date, end: date) -> list[date]:
    """The first days of the months from `start`'s to `end`'s."""
    month, found = start.replace(day=1), []
    while month <= end:
        found.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return found


def as_table(series: list[dict]) -> dict:
    """Series (metric_series' shape) as a table: a column per metric, a row per month of any of
    them (a month a metric has no figure for shows none)."""
    values = [{point["month"]: point["value"] for point in item["points"]} for item in series]
    all_months = sorted({month for by_month in values for month in by_month})
    return {
        "metrics": [item["name"] for item in series],
        "rows": [(month, [by_month.get(month) for by_month in values]) for month in all_months],
    }


def project_span(project: Project, today: date) -> tuple[date, date]:
    """The months a project's figures are shown for: from its start to its end, or today."""
    end = min(project.ended_on or today, today)
    return project.started_on, max(end, project.started_on)


def project_metrics(project: Project, today: date) -> list[dict]:
    """The metrics the project tracks, month by month over the last SERIES_MONTHS of its span
    (lib.plugins.metric_series; none until the platform's series reader is installed)."""
    start, end = project_span(project, today)
    start = max(start, months(start, end)[-SERIES_MONTHS:][0])
    return plugins.metric_series(project.region_id, list(project.metric_codes), start, end, get_language())


def _project_groups() -> list[MetricGroup]:
    return [
        group for group in plugins.metric_groups() if group.kind == Kind.FLOW and PROJECT_DIMENSION in group.dimensions
    ]


def _window(project: Project, start: date, end: date) -> Window:
    zone = region_id_zone(project.region_id)
    return Window(
        region_id=project.region_id,
        district_ids=None,
        start=day_start(start.replace(day=1), zone),
        end=day_start(end + timedelta(days=1), zone),
        as_of=timezone.now(),
    )


def _month_of(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def project_outreach(project: Project, today: date) -> dict:
    """The outreach logged for the project: `series` (each metric of a group with a "project"
    dimension, as metric_series gives them: {"code", "name", "unit", "points": [{"month",
    "value"}]}), and the latest entries (`columns`: the labels, `rows`: the cells in their order)."""
    start, end = project_span(project, today)
    window = _window(project, start, end)
    zone = region_id_zone(project.region_id)
    series, columns, rows = [], [], []
    for group in _project_groups():
        entries = group.rows(window).filter(**{group.dimensions[PROJECT_DIMENSION]: project.code})
        month = TruncMonth(group.effective) if group.effective_is_day else TruncMonth(group.effective, tzinfo=zone)
        for metric in group.counted():
            if PROJECT_DIMENSION not in metric.dimensions:
                continue
            value = Sum(metric.sums) if metric.sums else Count("pk")
            counted = entries.filter(metric.where).annotate(month=month).values("month").annotate(value=value)
            by_month = {_month_of(row["month"]): row["value"] for row in counted.order_by()}
            series.append(
                {
                    "code": metric.code,
                    "name": str(metric.name),
                    "unit": metric.unit,
                    "points": [{"month": first, "value": by_month.get(first, 0)} for first in months(start, end)],
                    "total": sum(value or 0 for value in by_month.values()),
                }
            )
        if group.describe_rows is not None:
            latest = list(entries.order_by(f"-{group.effective}", "-pk").values_list("pk", flat=True)[:OUTREACH_ROWS])
            described = group.describe_rows(entries.filter(pk__in=latest).order_by(f"-{group.effective}", "-pk"))
            keys = [key for key in group.columns if key != PROJECT_DIMENSION]
            columns = [str(group.columns[key]) for key in keys]
            rows.extend([row.get(key, "") for key in keys] for row in described)
    return {"series": [item for item in series if item["total"]], "columns": columns, "rows": rows}


def local_today(project: Project) -> date:
    return local_date(timezone.now(), region_id_zone(project.region_id))
