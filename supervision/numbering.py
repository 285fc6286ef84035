"""The office's outgoing register: one sequence of numbers per office and year for every letter it
sends (an act of response's, a blocking request's). Apart from supervision's services so that
another app numbers its letters from the same register without reading anything else of
supervision's."""

from django.db.models import F

from accounts.models import Organisation

from .models import OutgoingCounter


def next_outgoing_number(office: Organisation, year: int) -> str:
    """Take the office's next outgoing number for the year (call inside a transaction).

    The row is locked (select_for_update, and the F() increment locks it on any database), so two
    letters never get the same number. The format "<office code>/<year>/<n>", e.g.
    "akt-prok-alga/2025/17", is Tartip's own: the office's real register format is not known here
    and may be changed later (the number is stored as text)."""
    counter, _created = OutgoingCounter.objects.select_for_update().get_or_create(office=office, year=year)
    OutgoingCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return f"{office.code}/{year}/{counter.last}"
