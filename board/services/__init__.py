"""The board's writes: meetings.py (meetings, reports heard, holding, the resolution's number),
directives.py (directives and their executions), reminders.py (the scheduled reminders).

Every function is keyword-only, runs in one transaction, takes `actor=` (None for the scheduler)
and appends an event. `now=` is for the demo only (its board dated in 2025)."""

from django.core.exceptions import ValidationError


class Refused(ValidationError):
    """A write the board's rules refuse: the messages say why, in the user's language."""
