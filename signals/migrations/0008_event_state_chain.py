"""Each report event becomes a state of its report, from `at` until the next event: the events
get the deadline then in force (`deadline_at`, a snapshot like `to_status`) and the moment they
were superseded (`until`), so signals.stocks reads a report as it stood at any moment.

Filling the existing rows: `until` is exact (the next event's `at`, in (at, id) order, as
signals.stocks.relink_events sets it). `deadline_at` is APPROXIMATE for the events written before
this migration: an event that names its deadline gets it (`data["deadline"]`: re-routing,
re-categorising, returning, an extension's decision, the sweep's marks; a granted extension's
`deadline_after` where the decision's event does not say), every other event the report's current
deadline. An event whose deadline changed since (a report later returned, forwarded or extended)
so carries a later deadline than it had: stocks of the past (reports overdue then) computed from
these rows may be undercounted. Events written since are exact snapshots.
"""

from datetime import UTC, datetime

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

BATCH = 5000


def _parse(value):
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def fill_deadlines(apps, schema_editor):
    ReportEvent = apps.get_model("signals", "ReportEvent")
    Report = apps.get_model("signals", "Report")
    ExtensionRequest = apps.get_model("signals", "ExtensionRequest")
    granted = {}
    for extension in ExtensionRequest.objects.filter(decision="granted", deadline_after__isnull=False).values(
        "id", "report_id", "decided_at", "deadline_after"
    ):
        granted[("id", extension["id"])] = extension["deadline_after"]
        granted[("at", extension["report_id"], extension["decided_at"])] = extension["deadline_after"]
    last = 0
    while True:
        rows = list(
            ReportEvent.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "report_id", "at", "kind", "data")[:BATCH]
        )
        if not rows:
            break
        last = rows[-1][0]
        named = []
        for pk, report_id, at, kind, data in rows:
            data = data if isinstance(data, dict) else {}
            deadline = _parse(data.get("deadline"))
            if deadline is None and kind == "extension_decided":
                deadline = granted.get(("id", data.get("extension"))) or granted.get(("at", report_id, at))
            if deadline is not None:
                named.append(ReportEvent(pk=pk, deadline_at=deadline))
        ReportEvent.objects.bulk_update(named, ["deadline_at"], batch_size=1000)
    current = Report.objects.filter(pk=OuterRef("report_id")).values("deadline_at")[:1]
    ReportEvent.objects.filter(deadline_at__isnull=True).update(deadline_at=Subquery(current))


def fill_until(apps, schema_editor):
    """signals.stocks.relink_events as of this migration: one UPDATE ... FROM a LEAD() window per
    range of report ids."""
    ReportEvent = apps.get_model("signals", "ReportEvent")
    Report = apps.get_model("signals", "Report")
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    table, pk, report, at, until = (
        quote(name) for name in (ReportEvent._meta.db_table, "id", "report_id", "at", "until")
    )
    ids = list(Report.objects.order_by("pk").values_list("pk", flat=True))
    with connection.cursor() as cursor:
        for start in range(0, len(ids), BATCH):
            low, high = ids[start], ids[min(start + BATCH, len(ids)) - 1]
            # Names quoted; every value is a parameter.
            cursor.execute(
                f"UPDATE {table} SET {until} = chain.next_at "  # noqa: S608
                f"FROM (SELECT {pk} AS event_id, "
                f"LEAD({at}) OVER (PARTITION BY {report} ORDER BY {at}, {pk}) AS next_at "
                f"FROM {table} WHERE {report} BETWEEN %s AND %s) AS chain "
                f"WHERE {table}.{pk} = chain.event_id",
                [low, high],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("signals", "0007_encrypt_reporter_contacts"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportevent",
            name="deadline_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="deadline"),
        ),
        migrations.AddField(
            model_name="reportevent",
            name="until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        # Before the fill: on PostgreSQL an index cannot be built in the transaction that has just
        # updated the table's rows while its deferred foreign-key checks are pending.
        migrations.AddIndex(
            model_name="reportevent",
            index=models.Index(
                condition=models.Q(("to_status__in", ["routed", "accepted", "returned"])),
                fields=["until", "at"],
                name="report_event_awaiting",
            ),
        ),
        # Reversing drops the fields: nothing to undo.
        migrations.RunPython(fill_deadlines, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(fill_until, migrations.RunPython.noop, elidable=True),
    ]
