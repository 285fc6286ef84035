"""The district a point falls in, from District.boundary (GeoJSON) with shapely.

Prepared geometries are built once per process and region and kept for CACHE_SECONDS, so a
submission with a point costs no query for the shapes; `clear_cache()` drops them (called when a
district is saved in this process). When several units contain the point, the most specific
kind wins (a city district over its city over a district); city districts without a shape leave
the city to win.
"""

import threading
import time
from decimal import Decimal

from django.db.models.signals import post_delete, post_save
from shapely import prepared
from shapely.geometry import Point, shape

from accounts.models import District

CACHE_SECONDS = 300
KIND_PRIORITY = {District.Kind.CITY_DISTRICT: 0, District.Kind.CITY: 1, District.Kind.DISTRICT: 2}

_lock = threading.Lock()
_cache: dict = {}  # region_id (or None for all) -> (built_at, [(priority, district_id, region_id, prepared)])


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def _shapes(region_id: int | None) -> list:
    now = time.monotonic()
    with _lock:
        entry = _cache.get(region_id)
        if entry and now - entry[0] < CACHE_SECONDS:
            return entry[1]
    rows = District.objects.filter(boundary__isnull=False)
    if region_id is not None:
        rows = rows.filter(region_id=region_id)
    shapes = []
    for district_id, district_region_id, kind, boundary in rows.values_list("id", "region_id", "kind", "boundary"):
        try:
            geometry = shape(boundary)
        except (ValueError, TypeError, KeyError, AttributeError):
            continue  # a malformed shape in the admin must not break intake
        if geometry.is_empty:
            continue
        shapes.append((KIND_PRIORITY.get(kind, 9), district_id, district_region_id, prepared.prep(geometry)))
    shapes.sort(key=lambda item: item[0])
    with _lock:
        _cache[region_id] = (now, shapes)
    return shapes


def district_id_at(latitude: Decimal | float, longitude: Decimal | float, region_id: int | None = None) -> int | None:
    """The id of the most specific district containing the point, or None."""
    point = Point(float(longitude), float(latitude))
    for _priority, district_id, _region_id, geometry in _shapes(region_id):
        if geometry.covers(point):
            return district_id
    return None


def district_at(latitude, longitude, region_id: int | None = None) -> District | None:
    district_id = district_id_at(latitude, longitude, region_id)
    return District.objects.select_related("region").get(pk=district_id) if district_id else None


def _district_changed(sender, **kwargs) -> None:
    clear_cache()


# Only drops this process's cache; other processes pick a change up within CACHE_SECONDS.
post_save.connect(_district_changed, sender=District, dispatch_uid="signals.geo.district_saved")
post_delete.connect(_district_changed, sender=District, dispatch_uid="signals.geo.district_deleted")
