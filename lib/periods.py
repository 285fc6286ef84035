"""Periods: a range of local days and the moments it spans."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def period_bounds(start: date, end: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The aware moments a period of local days spans: local midnight of `start`, and local
    midnight after `end` (excluded), in `zone`."""
    return (
        datetime.combine(start, time.min, zone),
        datetime.combine(end + timedelta(days=1), time.min, zone),
    )
