"""The district a point falls in, from District.boundary (GeoJSON) with shapely.

Prepared geometries are built once per process and region and kept for CACHE_SECONDS (lib.cache:
a district saved in this process drops them at once), so a submission with a point costs no
query for the shapes. When several units contain the point, the most specific kind wins (a city
district over its city over a district); city districts without a shape leave the city to win.
"""

from decimal import Decimal

from shapely import prepared
from shapely.geometry import Point, shape

from accounts.lookups import district_by_pk
from accounts.models import District
from lib.cache import process_cached

CACHE_SECONDS = 300
KIND_PRIORITY = {District.Kind.CITY_DISTRICT: 0, District.Kind.CITY: 1, District.Kind.DISTRICT: 2}


def clear_cache() -> None:
    _shapes.cache.clear()


@process_cached(seconds=CACHE_SECONDS, models=[District])
def _shapes(region_id: int | None) -> list:
    """[(priority, district_id, region_id, prepared shape)] of a region (None: of all), most
    specific kind first."""
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
    return district_by_pk(district_id) if district_id else None
