"""Duplicate suggestions for the public form: open public reports of the same category near a point.

A bounding box on latitude and longitude narrows the candidates in SQL (plain comparisons on the
Decimal columns, so any database does it); the exact great-circle distance (haversine) then
decides in Python, nearest first. Sensitive categories and sensitive reports are never suggested,
and a suggestion carries no description and nothing about who reported.
"""

import math
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from .categories import get_category
from .models import Category, Report
from .policy import CLOSED_STATUSES

Status = Report.Status

RADIUS_METRES = 250
LIMIT = 5
EARTH_RADIUS_METRES = 6_371_008.8  # the mean radius (IUGG)
METRES_PER_DEGREE = math.pi * EARTH_RADIUS_METRES / 180
# Reports a citizen may join ("me too"): not rejected, merged or closed (services.report_me_too).
# A street corner with more open reports of one category than this is not a realistic case; the
# cap keeps one request's work bounded whatever the data.
MAX_CANDIDATES = 2000


@dataclass(frozen=True)
class Suggestion:
    reference: str
    category: Category
    status: str
    submitted_at: datetime
    distance: float  # metres

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def distance_rounded(self) -> int:
        """Metres to the nearest ten (at least ten): what the page shows."""
        return max(10, int(round(self.distance, -1)))


def haversine_metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance between two points on the mean Earth sphere."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_METRES * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(latitude: float, longitude: float, radius: float) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """(south, north, west, east) of a box holding every point within `radius` metres, a little
    wider than needed (the exact distance decides afterwards)."""
    d_lat = radius / METRES_PER_DEGREE * 1.01
    cos_lat = max(math.cos(math.radians(min(abs(latitude) + d_lat, 89.9))), 1e-6)
    d_lon = min(180.0, d_lat / cos_lat)

    def decimal(value: float) -> Decimal:
        return Decimal(str(round(value, 6)))

    return (
        decimal(latitude - d_lat),
        decimal(latitude + d_lat),
        decimal(longitude - d_lon),
        decimal(longitude + d_lon),
    )


def nearby_reports(
    *, category, latitude, longitude, radius: float = RADIUS_METRES, limit: int = LIMIT
) -> list[Suggestion]:
    """Open public reports of `category` (an instance, a primary key or a code) within `radius`
    metres of the point, nearest first, at most `limit`. Nothing for a sensitive category."""
    category = get_category(category)
    if category is None or category.sensitive:
        return []
    lat, lon = float(latitude), float(longitude)
    south, north, west, east = bounding_box(lat, lon, radius)
    rows = (
        Report.objects.filter(
            category_id=category.pk,
            sensitive=False,
            latitude__gte=south,
            latitude__lte=north,
            longitude__gte=west,
            longitude__lte=east,
        )
        .exclude(status__in=CLOSED_STATUSES)
        .order_by()
        .values_list("reference", "status", "submitted_at", "latitude", "longitude")[:MAX_CANDIDATES]
    )
    found = []
    for reference, status, submitted_at, report_lat, report_lon in rows:
        distance = haversine_metres(lat, lon, float(report_lat), float(report_lon))
        if distance <= radius:
            found.append(Suggestion(reference, category, status, submitted_at, distance))
    found.sort(key=lambda suggestion: (suggestion.distance, suggestion.reference))
    return found[:limit]
