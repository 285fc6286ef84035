"""The metrics a directive aims to move, month by month since it was issued, as its page shows them
(templates/board/_metric_series.html): the platform's series reader (lib.plugins.metric_series),
whose every month is the results summary's figure for it, so the page and the summary never
disagree. A project's page reads its metrics the same way (board.project_selectors)."""

from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import get_language

from accounts.zones import region_id_zone
from lib import plugins

from .models import Directive

# The sparkline's box (the SVG's own units): wide and low, beside the metric's name.
WIDTH, HEIGHT, MARGIN = 120, 28, 2


def directive_series(directive: Directive, language: str | None = None, today: date | None = None) -> list[dict]:
    """The metrics `directive` names (its metric_codes), from the month it was issued to this one;
    each `{"code", "name", "unit", "points": [{"month", "value"}], "sparkline"}`. None named, or no
    app computing them: an empty list."""
    if not directive.metric_codes:
        return []
    zone = region_id_zone(directive.region_id)
    start = timezone.localtime(directive.issued_at, zone).date()
    end = today or timezone.localtime(timezone.now(), zone).date()
    codes = list(directive.metric_codes)
    series = plugins.metric_series(directive.region_id, codes, start, end, language or get_language())
    return [{**entry, "sparkline": sparkline(entry["points"])} for entry in series]


def sparkline(points: list[dict]) -> str:
    """The SVG polyline's points of the values (months without a value left out), scaled to the
    box: the lowest value at the bottom, the highest at the top; "" for fewer than two values."""
    values = [(index, Decimal(point["value"])) for index, point in enumerate(points) if point["value"] is not None]
    if len(values) < 2:
        return ""
    low, high = min(value for _index, value in values), max(value for _index, value in values)
    span = (high - low) or 1
    step = (WIDTH - 2 * MARGIN) / max(len(points) - 1, 1)
    coordinates = []
    for index, value in values:
        x = MARGIN + index * step
        y = HEIGHT - MARGIN - float((value - low) / span) * (HEIGHT - 2 * MARGIN)
        coordinates.append(f"{x:.1f},{y:.1f}")
    return " ".join(coordinates)
