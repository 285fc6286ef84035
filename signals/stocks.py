"""A report as it stood at any moment, from its dated events: the stocks of the results summary.

Every change of a report appends a ReportEvent (signals.services.events.record_event) carrying
the report as it was after the change (`to_status`, `body`, `deadline_at`) and, once the next
change comes, the moment it was superseded (`until`). The report's state at a moment T is the one
event with `at <= T < until` (or `until` null: the state now). So a stock (reports overdue, say)
is counted as it stood at any T, the base year's included, from the events alone, never from the
report's current columns.

- `state_at(moment)`: the events that are their report's state at `moment`;
- `overdue_at(moment)`: those overdue then, by signals.policy's one definition (awaiting the
  body's answer, past the deadline in force then);
- `relink_events(report_ids)`: sets `until` from the events' order (at, id), for the builders
  that write events in bulk (the demo) and the migration that filled the field.

The results summary's stock group reads `ReportEvent.objects.filter(overdue_at(as_of))`, by
`report__region_id` and `report__district_id` (signals.metrics). The partial index
`report_event_awaiting` serves it.
"""

from collections.abc import Iterable, Iterator
from datetime import datetime

from django.db import connections
from django.db.models import Q
from django.db.models.functions import Greatest

from .models import Report, ReportEvent
from .policy import awaiting_answer
from .policy import overdue_at as overdue_reports_at

# Reports whose events relink_events recomputes in one statement.
RELINK_BATCH_SIZE = 2000


def state_at(moment: datetime) -> Q:
    """The events that are their report's state at `moment` (over ReportEvent): at most one per
    report, none for a report not yet received then."""
    return Q(at__lte=moment) & (Q(until__gt=moment) | Q(until__isnull=True))


def overdue_enters():
    """The moment an awaiting state becomes overdue: its deadline, or its start if that came later.
    (overdue_at asks the deadline to be before the moment: the two agree at every day's end but for
    a deadline on its very last microsecond, docs/metrics.md.)"""
    return Greatest("at", "deadline_at")


# The overdue states as intervals (lib.metrics.Span): awaiting with a deadline, from
# overdue_enters() until superseded.
OVERDUE_MEMBER = awaiting_answer("to_status") & Q(deadline_at__isnull=False)


def overdue_at(moment: datetime) -> Q:
    """The reports overdue at `moment`, as their states then (over ReportEvent): awaiting the
    body's answer and past the deadline in force at that moment (signals.policy.overdue_at, on the
    event's snapshots)."""
    return state_at(moment) & overdue_reports_at(moment, status="to_status", deadline="deadline_at")


def relink_events(report_ids: Iterable[int] | None = None) -> int:
    """Set each event's `until` to the `at` of its report's next event in (at, id) order, and the
    last one's to null, for the reports named (None: every report); returns the number of events
    changed (none on a consistent database). One statement per batch of RELINK_BATCH_SIZE
    reports: an UPDATE ... FROM a LEAD() window over their events (PostgreSQL, SQLite 3.33+)."""
    connection = connections[ReportEvent.objects.db]
    quote = connection.ops.quote_name
    meta = ReportEvent._meta
    columns = (meta.pk.column, *(meta.get_field(name).column for name in ("report", "at", "until")))
    table, pk, report, at, until = (quote(name) for name in (meta.db_table, *columns))
    changed = 0
    with connection.cursor() as cursor:
        for ids in _batches(report_ids):
            placeholders = ", ".join(["%s"] * len(ids))
            # Names from the model's metadata, quoted; every value is a parameter.
            sql = (
                f"UPDATE {table} SET {until} = chain.next_at "  # noqa: S608
                f"FROM (SELECT {pk} AS event_id, "
                f"LEAD({at}) OVER (PARTITION BY {report} ORDER BY {at}, {pk}) AS next_at "
                f"FROM {table} WHERE {report} IN ({placeholders})) AS chain "
                f"WHERE {table}.{pk} = chain.event_id AND ({table}.{until} <> chain.next_at "
                f"OR ({table}.{until} IS NULL) <> (chain.next_at IS NULL))"
            )
            cursor.execute(sql, list(ids))
            changed += cursor.rowcount
    return changed


def _batches(report_ids: Iterable[int] | None) -> Iterator[list[int]]:
    if report_ids is None:
        ids = Report.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=RELINK_BATCH_SIZE)
    else:
        ids = iter(sorted(set(report_ids)))
    batch: list[int] = []
    for pk in ids:
        batch.append(pk)
        if len(batch) == RELINK_BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch
