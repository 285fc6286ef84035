"""Answer deadlines.

A category's deadline is either N business days or N hours (urgent categories). These are Tartip
defaults kept in signals/reference/categories.csv and editable in the admin, not terms of law.

- Business days: a report submitted on day D (at any time of day) is due at the end
  (23:59:59 local time of the report's region: `zone`, accounts.zones.region_zone) of the N-th
  working day after D on the Kazakhstan working calendar with the admin's overrides
  (accounts.calendar.working_calendar()).
- Hours: submitted_at + N calendar hours.
"""

from datetime import datetime, timedelta, tzinfo

from django.utils import timezone

from accounts.calendar import working_calendar
from accounts.zones import region_zone
from lib.calendar import WorkingCalendar
from lib.deadlines import END_OF_DAY


def compute_deadline(
    category, start: datetime, calendar: WorkingCalendar | None = None, *, zone: tzinfo | None = None
) -> datetime:
    """The deadline of a report of `category` received (or re-routed) at `start` (aware), in `zone`
    (the report's region's: region_zone(report.region); None: settings.TIME_ZONE)."""
    if category.deadline_hours:
        return start + timedelta(hours=category.deadline_hours)
    days = category.deadline_days or 0
    calendar = calendar or working_calendar()
    zone = region_zone(zone)
    local_day = timezone.localtime(start, zone).date()
    due_day = calendar.add_working_days(local_day, days)
    return timezone.make_aware(datetime.combine(due_day, END_OF_DAY), zone)


def extend_deadline(
    deadline: datetime, days: int, calendar: WorkingCalendar | None = None, *, zone: tzinfo | None = None
) -> datetime:
    """`deadline` moved `days` working days later (to the end of that day): a granted extension."""
    calendar = calendar or working_calendar()
    zone = region_zone(zone)
    due_day = calendar.add_working_days(timezone.localtime(deadline, zone).date(), days)
    return timezone.make_aware(datetime.combine(due_day, END_OF_DAY), zone)


def working_days_ago(
    now: datetime, days: int, calendar: WorkingCalendar | None = None, *, zone: tzinfo | None = None
) -> datetime:
    """The end of the working day `days` working days before `now`'s day: a deadline earlier than
    this is overdue by more than `days` working days."""
    calendar = calendar or working_calendar()
    zone = region_zone(zone)
    day = timezone.localtime(now, zone).date()
    while days > 0:
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            days -= 1
    return timezone.make_aware(datetime.combine(day, END_OF_DAY), zone)
