"""A region's local time zone: the one place that answers it (periods, deadlines and "today")."""

from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def region_zone(region) -> ZoneInfo:
    """The region's zone; a region whose zone is not recorded falls back to settings.TIME_ZONE."""
    return _zone(getattr(region, "time_zone", "") or settings.TIME_ZONE)
