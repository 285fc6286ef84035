"""A region's local time zone: the one place that answers it (periods, deadlines and "today").

Dates are local to the region: a report received at 00:30 local time on 1 October is an October
report even though it is still 30 September in UTC. Every local date in Tartip (a period's bounds,
a deadline's day, "today", the year of a reference number, the digest hour) is taken in the zone
this module gives:

- `region_zone(region)`: the region's `time_zone` (an IANA name), else settings.TIME_ZONE;
- `user_zone(user)`: the zone of the user's region (their organisation's), else the default;
- `report_zone(report)`: the zone of the report's region;
- `local_date(moment, region)`, `local_now(region)`, `local_today(region)`, `day_start(day, region)`.

Here `region` may also be a ZoneInfo already found (so callers holding one need not look again) or
None (the default zone). Periods themselves (local days to moments) are lib.periods.period_bounds.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.lookups import cached_zone_names
from accounts.time_zones import default_zone, region_zone, validate_time_zone, zone_named

__all__ = [
    "day_start",
    "default_zone",
    "local_date",
    "local_now",
    "local_today",
    "make_local",
    "region_id_zone",
    "region_zone",
    "report_zone",
    "sole_region_zone",
    "user_zone",
    "validate_time_zone",
    "zone_named",
    "zones_by_region",
]


def user_zone(user) -> ZoneInfo:
    """The zone of the user's region (through their organisation), else settings.TIME_ZONE.
    Read from the per-process cache (accounts.lookups): no query on a page."""
    if user is None or not getattr(user, "is_authenticated", False):
        return default_zone()
    names = _names()
    region_id = names["organisations"].get(getattr(user, "organisation_id", None))
    return region_zone(_Named(names["regions"].get(region_id) or ""))


def report_zone(report) -> ZoneInfo:
    """The zone of the report's region (anything with `region_id`: an act of response too)."""
    return region_id_zone(getattr(report, "region_id", None))


def region_id_zone(region_id: int | None) -> ZoneInfo:
    """The zone of the region with this id (from the per-process cache), else settings.TIME_ZONE."""
    return region_zone(_Named(_names()["regions"].get(region_id) or ""))


def zones_by_region() -> dict[int, ZoneInfo]:
    """Every region's zone by its id (from the per-process cache: for work over many regions)."""
    return {pk: region_zone(_Named(name)) for pk, name in _names()["regions"].items()}


def _names() -> dict:
    return cached_zone_names()


def sole_region_zone() -> ZoneInfo:
    """For a visitor who is nobody in particular: the zone of the only region when there is one,
    else settings.TIME_ZONE."""
    regions = _names()["regions"]
    if len(regions) == 1:
        return region_zone(_Named(next(iter(regions.values()))))
    return default_zone()


class _Named:
    def __init__(self, time_zone: str):
        self.time_zone = time_zone


def local_now(region=None) -> datetime:
    """The current moment in the region's zone."""
    return timezone.localtime(timezone.now(), region_zone(region))


def local_date(moment: datetime, region=None) -> date:
    """The region's local day of an aware `moment`."""
    return timezone.localtime(moment, region_zone(region)).date()


def local_today(region=None) -> date:
    """Today in the region."""
    return local_date(timezone.now(), region)


def day_start(day: date, region=None) -> datetime:
    """The aware moment of local midnight starting `day` in the region."""
    return datetime.combine(day, time.min, region_zone(region))


def make_local(moment: datetime, region=None) -> datetime:
    """A naive `moment` read as the region's local time (an aware one is kept)."""
    if timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment, region_zone(region))
