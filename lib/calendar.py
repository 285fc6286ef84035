"""Kazakhstan's working calendar: business-day arithmetic for deadlines (no Django models here).

The calendar is `holidays.KZ` (public holidays, days off moved from weekends, weekend days made
working by order) plus overrides for orders the package does not know yet: a mapping from a date
to True (forced working day) or False (forced day off). `accounts.calendar.working_calendar()`
builds the overrides from the admin-edited table.
"""

from collections.abc import Mapping
from datetime import date, timedelta

import holidays

Overrides = Mapping[date, bool]

ONE_DAY = timedelta(days=1)
# Generous bound against an endless search (e.g. overrides marking every day off).
MAX_SEARCH_DAYS = 366 * 5

# One instance: holidays expands years lazily as they are asked for.
_KZ = holidays.KZ()


def is_working_day(day: date, overrides: Overrides | None = None) -> bool:
    if overrides and day in overrides:
        return overrides[day]
    return _KZ.is_working_day(day)


def holiday_name(day: date) -> str | None:
    """The package's name of a public holiday or moved day off, if any."""
    return _KZ.get(day)


def add_working_days(start: date, n: int, overrides: Overrides | None = None) -> date:
    """The n-th working day after `start` (before it when n < 0); `start` itself when n == 0.

    A deadline of "n working days" from a report received on `start` ends on this day.
    """
    step = ONE_DAY if n >= 0 else -ONE_DAY
    remaining = abs(n)
    day = start
    for _ in range(MAX_SEARCH_DAYS + remaining * 7):
        if remaining == 0:
            return day
        day += step
        if is_working_day(day, overrides):
            remaining -= 1
    raise ValueError(f"no {n}th working day within {MAX_SEARCH_DAYS} days of {start}")


def next_working_day(day: date, overrides: Overrides | None = None) -> date:
    """`day` itself if it is a working day, else the first working day after it."""
    return day if is_working_day(day, overrides) else add_working_days(day, 1, overrides)


def working_days_between(start: date, end: date, overrides: Overrides | None = None) -> int:
    """Working days in (start, end]: so add_working_days(start, working_days_between(start, end)) <= end.

    Negative when end is before start.
    """
    if end < start:
        return -working_days_between(end, start, overrides)
    count = 0
    day = start
    while day < end:
        day += ONE_DAY
        if is_working_day(day, overrides):
            count += 1
    return count


class WorkingCalendar:
    """The functions above bound to one set of overrides."""

    def __init__(self, overrides: Overrides | None = None):
        self.overrides = dict(overrides or {})

    def is_working_day(self, day: date) -> bool:
        return is_working_day(day, self.overrides)

    def add_working_days(self, start: date, n: int) -> date:
        return add_working_days(start, n, self.overrides)

    def next_working_day(self, day: date) -> date:
        return next_working_day(day, self.overrides)

    def working_days_between(self, start: date, end: date) -> int:
        return working_days_between(start, end, self.overrides)
