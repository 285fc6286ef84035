"""What the other apps' demo builders write about reports, through signals.

supervision's demo acts of response (supervision.demo) name reports; each named report gets the
event signals.services.report_note_act writes when an act is recorded, in bulk, at the act's own
time and signed by its author.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from signals.models import ReportEvent
from signals.stocks import relink_events


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
    before and after, its body and deadline, the act and its type), returns the number written.
    The act comes at its own time, often before the report's later steps: the event carries the
    report's state at that time (its event then) and the reports' chains are relinked after.

    Demo data only: nobody's permission is asked, and the author may be missing (an office without
    a demo account), which report_note_act, a prosecutor's own step, would refuse."""
    report_ids = {note.report_id for note in notes}
    moments: dict[int, list[datetime]] = defaultdict(list)  # report -> its events' times, in order
    states: dict[int, list[tuple]] = defaultdict(list)  # report -> its events' (status, body, deadline)
    rows = ReportEvent.objects.filter(report_id__in=report_ids).order_by("report_id", "at", "id")
    for report_id, at, *state in rows.values_list("report_id", "at", "to_status", "body_id", "deadline_at"):
        moments[report_id].append(at)
        states[report_id].append(tuple(state))
    events = []
    for note in notes:
        # The report's state at the act's time: its last event at or before it (the first if none).
        index = max(bisect.bisect_right(moments[note.report_id], note.at) - 1, 0)
        status, body_id, deadline_at = states[note.report_id][index]
        events.append(
            ReportEvent(
                report_id=note.report_id,
                at=note.at,
                kind=ReportEvent.Kind.ACT,
                actor_id=note.actor_id,
                from_status=status,
                to_status=status,
                body_id=body_id,
                deadline_at=deadline_at,
                data={"act": note.act_id, "type": str(note.act_type)},
            )
        )
    ReportEvent.objects.bulk_create(events, batch_size=batch_size)
    relink_events(report_ids)
    return len(events)
