"""The values supervision holds for metrics the summary reads from imports (aggregated crime
tables) or, to come, from the districts' submissions: monthly figures, read as they stood at the
window's "as of" moment (lib.plugins' `metric_values`). A month counts when it begins in the
period."""

from django.db.models import Q, Sum

from lib.metrics import Window

from .models import MonthlyFigure


def held_values(source: str, codes: set[str], window: Window) -> list[dict]:
    figures = MonthlyFigure.objects.filter(
        source=source,
        code__in=codes,
        month__gte=window.first_day,
        month__lt=window.end_day,
        recorded_at__lte=window.as_of,
    ).filter(Q(replaced_at__isnull=True) | Q(replaced_at__gt=window.as_of))
    if window.region_id is not None:
        figures = figures.filter(region_id=window.region_id)
    if window.district_ids is not None:
        figures = figures.filter(district_id__in=window.district_ids)
    cells: dict = {}
    for row in figures.values("district_id", "code").annotate(total=Sum("value")).order_by():
        cell = cells.setdefault(
            row["district_id"], {"district": row["district_id"], "keys": {}, "sensitive": False, "values": {}}
        )
        cell["values"][row["code"]] = row["total"]
    return list(cells.values())
