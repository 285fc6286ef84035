"""What the other apps' demo builders write about reports, through signals.

supervision's demo acts of response (supervision.demo) name reports; each named report gets the
event signals.services.report_note_act writes when an act is recorded, in bulk, at the act's own
time and signed by its author.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from signals.models import Report, ReportEvent


@dataclass(frozen=True)
class ActNote:
    """An act of response names a report: `act_type` is the act's type (SupervisoryAct.Type)."""

    report_id: int
    act_id: int
    act_type: str
    at: datetime
    actor_id: int | None


def note_demo_acts(notes: Sequence[ActNote], batch_size: int = 2000) -> int:
    """One ReportEvent of kind "act" per note, as report_note_act writes it (the report's status
    before and after, its body, the act and its type), returns the number written.

    Demo data only: nobody's permission is asked, and the author may be missing (an office without
    a demo account), which report_note_act, a prosecutor's own step, would refuse."""
    named = Report.objects.filter(pk__in={note.report_id for note in notes})
    reports = {pk: (status, body_id) for pk, status, body_id in named.values_list("id", "status", "body_id")}
    events = []
    for note in notes:
        status, body_id = reports[note.report_id]
        events.append(
            ReportEvent(
                report_id=note.report_id,
                at=note.at,
                kind=ReportEvent.Kind.ACT,
                actor_id=note.actor_id,
                from_status=status,
                to_status=status,
                body_id=body_id,
                data={"act": note.act_id, "type": str(note.act_type)},
            )
        )
    ReportEvent.objects.bulk_create(events, batch_size=batch_size)
    return len(events)
