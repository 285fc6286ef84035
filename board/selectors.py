"""The board's dashboard: each addressee office's executions over a period, counted by the board's
own metrics (board.metrics), so the dashboard and the results summary read one definition."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count
from django.utils import timezone

from accounts.models import Organisation
from accounts.zones import region_id_zone
from lib.metrics import MetricGroup, Window
from lib.periods import period_bounds

from .metrics import CARRIED_EXECUTIONS, EXECUTED, EXECUTIONS, OPEN

# The dashboard's columns: (key, group, metric code). Open and overdue are stocks as of the window's
# "as of" moment; the others flows over the period.
COLUMNS = (
    ("assigned", EXECUTIONS, "board.executions_assigned"),
    ("on_time", EXECUTED, "board.executions_on_time"),
    ("late", EXECUTED, "board.executions_late"),
    ("open", OPEN, "board.executions_open"),
    ("overdue", OPEN, "board.executions_overdue"),
    ("carried", CARRIED_EXECUTIONS, "board.executions_carried"),
)


@dataclass
class OfficeRow:
    office: Organisation | None  # None: the region's total
    figures: dict[str, int]

    @property
    def on_time_share(self) -> int | None:
        """Executed on time, in percent of the executed (None when nothing was executed)."""
        executed = self.figures["on_time"] + self.figures["late"]
        return round(100 * self.figures["on_time"] / executed) if executed else None


def dashboard_window(region_id: int, start: date, end: date, now: datetime | None = None) -> Window:
    """The period's local days in the region's zone, read as of the end of its last day, or now
    while the period runs (the stocks as they stand today)."""
    zone = region_id_zone(region_id)
    first, after = period_bounds(start, end, zone)
    now = now or timezone.now()
    return Window(region_id, None, first, after, min(now, after - timedelta(microseconds=1)))


def _counted(group: MetricGroup, code: str, window: Window, office_ids) -> dict[str, int]:
    metric = next(metric for metric in group.metrics if metric.code == code)
    field = group.dimensions["office"]
    rows = group.rows(window).filter(metric.where)
    if office_ids is not None:
        rows = rows.filter(**{f"{field.removesuffix('__code')}_id__in": office_ids})
    return {row[field]: row["count"] for row in rows.values(field).annotate(count=Count("pk")).order_by()}


def office_figures(window: Window, office_ids: set[int] | None = None) -> list[OfficeRow]:
    """A row per office with a figure in the window (those of `office_ids` only, when given), the
    offices with overdue executions first, then the region's total (or the offices' shown)."""
    counted = {key: _counted(group, code, window, office_ids) for key, group, code in COLUMNS}
    codes = set().union(*counted.values())
    offices = Organisation.objects.filter(code__in=codes).order_by("code")
    rows = [OfficeRow(office, {key: counted[key].get(office.code, 0) for key, _g, _c in COLUMNS}) for office in offices]
    rows.sort(key=lambda row: (-row.figures["overdue"], row.office.code))
    total = OfficeRow(None, {key: sum(counted[key].values()) for key, _g, _c in COLUMNS})
    return [*rows, total]
