"""The working calendar with the admin's overrides (CalendarOverride rows) applied."""

from lib.cache import process_cached
from lib.calendar import WorkingCalendar

from .models import CalendarOverride

# The table is tiny and changes a few times a year: each process keeps it this long (lib.cache),
# and a change saved in the admin's process is seen there at once.
CACHE_SECONDS = 60


def current_overrides() -> dict:
    """date -> True (working day) / False (day off)."""
    rows = CalendarOverride.objects.values_list("date", "kind")
    return {day: kind == CalendarOverride.Kind.WORKING_DAY for day, kind in rows}


@process_cached(seconds=CACHE_SECONDS, models=[CalendarOverride])
def working_calendar() -> WorkingCalendar:
    """Shared by the requests of this process: never modify its overrides."""
    return WorkingCalendar(current_overrides())
