"""The working calendar with the admin's overrides (CalendarOverride rows) applied."""

from lib.calendar import WorkingCalendar

from .models import CalendarOverride


def current_overrides() -> dict:
    """date -> True (working day) / False (day off). The table is tiny, so it is read on each call:
    every process sees an admin's change at once, with no cache to invalidate."""
    rows = CalendarOverride.objects.values_list("date", "kind")
    return {day: kind == CalendarOverride.Kind.WORKING_DAY for day, kind in rows}


def working_calendar() -> WorkingCalendar:
    return WorkingCalendar(current_overrides())
