"""Periods: a range of local days and the moments it spans.

A period is `start`..`end`, both days included, in a zone (the region's: accounts.zones.region_zone).
Its moments run from local midnight of `start` to local midnight after `end`, excluded; a fact belongs
to the period when its moment is in that half-open range. lib names no app: the caller brings the zone.
"""

from datetime import date, datetime, time, timedelta, tzinfo


def day_bounds(day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """Local midnight starting `day` and the local midnight after it (excluded), in `zone`."""
    return period_bounds(day, day, zone)


def period_bounds(start: date, end: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """The aware moments a period of local days spans: local midnight of `start`, and local
    midnight after `end` (excluded), in `zone`."""
    return (
        datetime.combine(start, time.min, zone),
        datetime.combine(end + timedelta(days=1), time.min, zone),
    )
