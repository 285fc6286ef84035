"""A time zone by its IANA name, and a region's zone from its recorded name: what the models need
(they validate a region's zone), apart from accounts.zones, which reads the regions' zones from the
per-process cache of the models (accounts.lookups), so that the models never import it back."""

from datetime import tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


@lru_cache(maxsize=64)
def zone_named(name: str) -> ZoneInfo:
    """The ZoneInfo of an IANA name (cached); raises ZoneInfoNotFoundError or ValueError."""
    return ZoneInfo(name)


def validate_time_zone(value: str) -> None:
    """A model/form validator: `value` must be an IANA zone name that zoneinfo can load."""
    if not value:
        return
    try:
        zone_named(value)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValidationError(
            _("%(value)s is not a time zone name of the IANA database (e.g. Asia/Almaty)."),
            code="invalid_time_zone",
            params={"value": value},
        ) from None


def default_zone() -> ZoneInfo:
    """settings.TIME_ZONE: the zone of a region whose zone is not recorded, and of no region."""
    return zone_named(settings.TIME_ZONE)


def region_zone(region) -> ZoneInfo:
    """The region's zone; a region whose zone is not recorded falls back to settings.TIME_ZONE."""
    if isinstance(region, tzinfo):
        return region
    name = getattr(region, "time_zone", "") or ""
    if name:
        try:
            return zone_named(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass  # validated on save; a value slipped in some other way falls back, never crashes
    return default_zone()
