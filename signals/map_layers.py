"""The reports on the results summary's map (lib.plugins `map_layers`): what the public map shows,
for the summary's window. Reports of public categories only, never a sensitive report; counted per
grid cell of about 500 m (the public map's, signals.selectors), so no report's own point, text or
reporter leaves the database."""

from django.db.models import Count, F, IntegerField, Value
from django.db.models.functions import Cast, Round
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lib.metrics import Window

from .models import Report
from .selectors import LAT_STEP, LON_STEP


def _window_reports(window: Window):
    """The reports the summary's "reports received" counts in the window (received in the period,
    recorded by the "as of" moment, in its region and districts), public ones only."""
    reports = Report.objects.filter(
        sensitive=False,
        category__sensitive=False,
        submitted_at__gte=window.start,
        submitted_at__lt=window.end,
        submitted_at__lte=window.as_of,
        latitude__isnull=False,
        longitude__isnull=False,
    )
    if window.region_id is not None:
        reports = reports.filter(region_id=window.region_id)
    if window.district_ids is not None:
        reports = reports.filter(district_id__in=window.district_ids)
    return reports.order_by()


def report_points(window: Window, language: str) -> dict:
    """One point per grid cell holding reports of the window, labelled with their number."""
    cells = (
        _window_reports(window)
        .annotate(
            cell_y=Cast(Round(F("latitude") / Value(LAT_STEP)), IntegerField()),
            cell_x=Cast(Round(F("longitude") / Value(LON_STEP)), IntegerField()),
        )
        .values("cell_y", "cell_x")
        .annotate(count=Count("id"))
        .order_by("cell_y", "cell_x")
    )
    with translation.override(language):
        points = [
            {
                "lat": float(cell["cell_y"] * LAT_STEP),
                "lon": float(cell["cell_x"] * LON_STEP),
                "label": ngettext("%(count)s report", "%(count)s reports", cell["count"]) % {"count": cell["count"]},
                "count": cell["count"],
            }
            for cell in cells
        ]
        return {"key": "reports", "label": _("Reports (public categories, about 500 m)"), "points": points}
