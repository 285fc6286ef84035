"""The platform's one definition of lateness, for every deadline it holds: a report's answer
(signals.policy), a board directive's execution (board.policy).

Something is late once the moment it is judged at is strictly after its deadline; something with
no deadline is never late. What came at or before the deadline came on time. A deadline set as a
day (a directive's "by 20 November") runs to the end of that day in the region's time zone.
"""

from datetime import date, datetime, time, tzinfo

from django.db.models import Q

END_OF_DAY = time(23, 59, 59)


def is_late(deadline_at: datetime | None, at: datetime) -> bool:
    return deadline_at is not None and at > deadline_at


def on_time(deadline_at: datetime | None, done_at: datetime) -> bool:
    return not is_late(deadline_at, done_at)


def late_at(now: datetime, deadline: str = "deadline_at") -> Q:
    """The rows whose deadline (the field `deadline`) has passed at `now`: is_late as a filter."""
    return Q(**{f"{deadline}__lt": now})


def day_deadline(day: date, zone: tzinfo) -> datetime:
    """The deadline of something due on `day`: the end of that day in `zone`."""
    return datetime.combine(day, END_OF_DAY, zone)
