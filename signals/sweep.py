"""The deadline sweep: marks the reports whose answer is overdue, escalates the long overdue ones.

Run every few minutes by the scheduler ("sweep-deadlines" in signals/apps.py) and by
`python manage.py sweep_deadlines [--at ISO-TIME] [--dry-run]`. It is idempotent:

1. One set-based UPDATE marks the reports awaiting an answer (signals.policy.AWAITING_ANSWER)
   whose deadline has passed: `overdue=True, overdue_at=now` (served by the partial index
   `report_sweep_candidates`). The UPDATE returns the rows it changed (UPDATE ... RETURNING, on
   PostgreSQL and SQLite), and that is the claim: a second run, or a concurrent one, finds
   `overdue` already set, marks nothing and notifies nobody, whatever its `now`.
2. A report still awaiting its answer more than settings.OVERDUE_ESCALATION_WORKING_DAYS
   working days after its deadline is escalated to the regional office (`escalated_at=now`): by
   the same UPDATE when it is marked that late (the sweep did not run for days), else by a second
   one. A report escalated once and made due again since (returned, forwarded, extended) is
   escalated again only once it is overdue again for that long.
3. Each marked report gets an OVERDUE event and each escalated one an ESCALATED event (on
   PostgreSQL one INSERT ... SELECT per kind, elsewhere bulk_create in batches), and the people
   concerned hear of it once, in a digest: each body's officers one notification listing their
   newly overdue reports, each district prosecutor one for their districts, the region's regional
   and department prosecutors one for the escalated reports.

No query runs per report: the work is a handful of statements whatever the number of reports,
and the notifications are grouped (a body with 3,000 overdue reports gets one notification with
the count, the first references and a link to its queue). Reports of sensitive categories appear
in the digests by their reference alone.
"""

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Case, DateTimeField, F, Q, QuerySet, Value, When
from django.db.models.sql import UpdateQuery
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext, ngettext

from accounts.models import Organisation, User
from accounts.notifications import notify
from accounts.zones import default_zone, zones_by_region

from .deadlines import working_days_ago
from .models import Report, ReportEvent
from .policy import AWAITING_ANSWER, body_staff, overdue_at, overseer_ids_by_district, regional_overseers

Kind = ReportEvent.Kind

# A digest lists this many references (oldest deadline first); the rest are counted.
DIGEST_LIST_LIMIT = 50
EVENT_BATCH_SIZE = 5000
# What the sweep reads of each report it marks or escalates (returned by the UPDATE itself).
RETURNED_FIELDS = (
    "id",
    "reference",
    "status",
    "deadline_at",
    "body_id",
    "district_id",
    "region_id",
    "sensitive",
    "escalated_at",
)


@dataclass(frozen=True)
class SweepResult:
    marked: int
    escalated: int
    notifications: int  # in-app notifications written (each is also mailed to users with an address)
    dry_run: bool = False


@dataclass(frozen=True)
class Swept:
    """One report the sweep marked or escalated, as the UPDATE returned it."""

    id: int
    reference: str
    status: str
    deadline_at: datetime
    body_id: int | None
    district_id: int | None
    region_id: int
    sensitive: bool
    escalated_at: datetime | None


def sweep_deadlines(*, now: datetime | None = None, dry_run: bool = False) -> SweepResult:
    """Mark the newly overdue reports, escalate the long overdue ones, notify each recipient once."""
    now = now or timezone.now()
    days = settings.OVERDUE_ESCALATION_WORKING_DAYS
    threshold = escalation_line(now, days)
    if dry_run:
        return SweepResult(
            marked=overdue_candidates(now).count(),
            escalated=escalation_candidates(threshold, including_unmarked=True).count(),
            notifications=0,
            dry_run=True,
        )
    with transaction.atomic():
        _commit_without_waiting_for_the_disk()
        # One UPDATE marks; a report already overdue for long when it is first marked (the sweep
        # did not run for days) is escalated by the same statement, so its row is written once.
        marked = _update_returning(
            overdue_candidates(now),
            claimed=Q(overdue=True, overdue_at=now),
            overdue=True,
            overdue_at=now,
            escalated_at=Case(
                When(threshold, then=Value(now, output_field=DateTimeField())),
                default=F("escalated_at"),
            ),
        )
        escalated = [report for report in marked if report.escalated_at == now]
        # Then the reports marked by earlier runs that have now been overdue for long.
        escalated += _update_returning(escalation_candidates(threshold), claimed=Q(escalated_at=now), escalated_at=now)
        _append_events(marked, Kind.OVERDUE, now)
        _append_events(escalated, Kind.ESCALATED, now, working_days=days)
        notifications = _notify_overdue(marked) + _notify_escalated(escalated)
    return SweepResult(marked=len(marked), escalated=len(escalated), notifications=notifications)


def _commit_without_waiting_for_the_disk() -> None:
    """PostgreSQL: this transaction's commit does not wait for its WAL to reach the disk (a large
    sweep spends most of a second there). A crash in that moment loses the whole transaction,
    marks and notifications together, and the next sweep (5 minutes later) does it again: the
    sweep can be redone, so it need not be durable at once. Other transactions are unaffected."""
    connection = connections[Report.objects.db]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def overdue_candidates(now: datetime) -> QuerySet:
    """Reports awaiting an answer, past their deadline, not yet marked (the partial index's rows)."""
    return Report.objects.filter(overdue_at(now), overdue=False)


def escalation_line(now: datetime, days: int) -> Q:
    """Reports whose deadline is older than the end of the working day `days` working days before
    `now`'s day, that day taken in each report's region's zone (one condition per zone in use)."""
    by_zone: dict = defaultdict(list)
    for region_id, zone in zones_by_region().items():
        by_zone[zone].append(region_id)
    default = default_zone()
    line = Q(deadline_at__lt=working_days_ago(now, days, zone=default)) & ~Q(
        region_id__in=[pk for zone, ids in by_zone.items() if zone != default for pk in ids]
    )
    for zone, ids in by_zone.items():
        if zone != default:
            line |= Q(region_id__in=ids, deadline_at__lt=working_days_ago(now, days, zone=zone))
    return line


def escalation_candidates(threshold: datetime | Q, *, including_unmarked: bool = False) -> QuerySet:
    """Overdue reports awaiting an answer whose deadline is older than `threshold`, not escalated
    since they were last marked overdue. `including_unmarked`: also those the sweep is about to
    mark (what a dry run counts)."""
    not_escalated = Q(escalated_at__isnull=True) | Q(escalated_at__lt=F("overdue_at"))
    overdue = Q(overdue=True) & not_escalated
    if including_unmarked:
        overdue |= Q(overdue=False)
    late = threshold if isinstance(threshold, Q) else Q(deadline_at__lt=threshold)
    return Report.objects.filter(overdue, late, status__in=AWAITING_ANSWER)


# --- the claim: UPDATE ... RETURNING -------------------------------------------------------------


def _update_returning(queryset: QuerySet, *, claimed: Q, **values) -> list[Swept]:
    """queryset.update(**values) in one statement, returning the rows it changed.

    Built by Django's update compiler (the same SQL as QuerySet.update) with RETURNING added, so
    the statement that marks the rows is also the one that says which rows this run marked. On a
    backend without RETURNING, the rows are read back by the values just written (`claimed`)."""
    alias = queryset.db
    connection = connections[alias]
    if not connection.features.can_return_columns_from_insert:  # SQLite < 3.35
        queryset.update(**values)
        return _read_back(queryset.model.objects.using(alias).filter(claimed))
    query = queryset.query.chain(UpdateQuery)
    query.add_update_values(values)
    query.annotations = {}
    sql, params = query.get_compiler(alias).as_sql()
    meta = Report._meta
    quote = connection.ops.quote_name
    fields = [meta.get_field(name) for name in RETURNED_FIELDS]  # attnames (body_id) are found too
    expressions = [field.get_col(meta.db_table) for field in fields]
    converters = [
        [*connection.ops.get_db_converters(expression), *field.get_db_converters(connection)]
        for field, expression in zip(fields, expressions, strict=True)
    ]
    returning = ", ".join(f"{quote(meta.db_table)}.{quote(field.column)}" for field in fields)
    # Only the columns whose values need converting are touched (on PostgreSQL none do).
    converted = [(index, field_converters) for index, field_converters in enumerate(converters) if field_converters]
    rows = []
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} RETURNING {returning}", params)
        for raw in cursor.fetchall():
            if converted:
                raw = list(raw)
                for index, field_converters in converted:
                    for converter in field_converters:
                        raw[index] = converter(raw[index], expressions[index], connection)
            rows.append(Swept(*raw))
    return rows


def _read_back(queryset: QuerySet) -> list[Swept]:
    return [Swept(**row) for row in queryset.order_by().values(*RETURNED_FIELDS)]


def _append_events(reports: list[Swept], kind: str, now: datetime, **extra) -> None:
    """One event per report: data {"deadline": the deadline that passed, **extra}. Each becomes
    its report's state from `now` (the event open until then is closed, as record_event does).

    On PostgreSQL one UPDATE closes the open events and one INSERT ... SELECT writes the new ones
    from the reports' rows (building tens of thousands of model instances costs more than the
    sweep's UPDATE); elsewhere the same in batches of EVENT_BATCH_SIZE, with bulk_create."""
    if not reports:
        return
    connection = connections[ReportEvent.objects.db]
    if connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        event, report = ReportEvent._meta, Report._meta
        into = ", ".join(
            quote(event.get_field(name).column)
            for name in ("report", "at", "kind", "from_status", "to_status", "body", "deadline_at", "data")
        )
        pk, status, body, deadline = (
            quote(report.get_field(name).column) for name in ("id", "status", "body", "deadline_at")
        )
        event_report, until = (quote(event.get_field(name).column) for name in ("report", "until"))
        # Names from the models' metadata, quoted; every value is a parameter.
        close = (
            f"UPDATE {quote(event.db_table)} SET {until} = %s "  # noqa: S608
            f"WHERE {event_report} = ANY(%s) AND {until} IS NULL"
        )
        sql = (
            f"INSERT INTO {quote(event.db_table)} ({into}) "  # noqa: S608
            f"SELECT {pk}, %s, %s, {status}, {status}, {body}, {deadline}, "
            f"jsonb_build_object('deadline', {deadline}) || %s::jsonb "
            f"FROM {quote(report.db_table)} WHERE {pk} = ANY(%s)"
        )
        ids = [swept.id for swept in reports]
        with connection.cursor() as cursor:
            cursor.execute(close, [now, ids])
            cursor.execute(sql, [now, kind, json.dumps(extra), ids])
        return
    for start in range(0, len(reports), EVENT_BATCH_SIZE):
        batch = reports[start : start + EVENT_BATCH_SIZE]
        ReportEvent.objects.filter(report_id__in=[swept.id for swept in batch], until__isnull=True).update(until=now)
        ReportEvent.objects.bulk_create(
            [
                ReportEvent(
                    report_id=swept.id,
                    at=now,
                    kind=kind,
                    from_status=swept.status,
                    to_status=swept.status,
                    body_id=swept.body_id,
                    deadline_at=swept.deadline_at,
                    data={"deadline": swept.deadline_at.isoformat(), **extra},
                )
                for swept in batch
            ]
        )


# --- who hears of it -------------------------------------------------------------------------------


def _notify_overdue(reports: list[Swept]) -> int:
    if not reports:
        return 0
    written = 0
    by_body: dict[int, list[Swept]] = defaultdict(list)
    for report in reports:
        if report.body_id is not None:
            by_body[report.body_id].append(report)
    officers: dict[int, list[User]] = defaultdict(list)
    for user in body_staff(by_body):
        officers[user.organisation_id].append(user)
    for body_id, listed in by_body.items():
        if officers[body_id]:
            written += _send(officers[body_id], listed, audience="body")
    bodies = Organisation.objects.in_bulk({report.body_id for report in reports if report.body_id})
    for users, listed in _prosecutors_of(reports):
        written += _send(users, listed, audience="prosecutor", bodies=bodies)
    return written


def _notify_escalated(reports: list[Swept]) -> int:
    if not reports:
        return 0
    written = 0
    bodies = Organisation.objects.in_bulk({report.body_id for report in reports if report.body_id})
    by_region: dict[int, list[Swept]] = defaultdict(list)
    for report in reports:
        by_region[report.region_id].append(report)
    for region_id, listed in by_region.items():
        written += _send(list(regional_overseers(region_id)), listed, audience="region", bodies=bodies)
    return written


def _prosecutors_of(reports: list[Swept]) -> list[tuple[list[User], list[Swept]]]:
    """(users, their reports) for the prosecutors overseeing the reports (signals.policy.overseers,
    resolved once per district). Prosecutors with the same reports form one group. Reports with no
    district go to the region's prosecutors, as overseers() says."""
    serving = overseer_ids_by_district({report.district_id for report in reports if report.district_id is not None})
    per_user: dict[int, list[Swept]] = defaultdict(list)
    regional: dict[int, list[Swept]] = defaultdict(list)
    for report in reports:
        if report.district_id is None:
            regional[report.region_id].append(report)
            continue
        for user_id in serving[report.district_id]:
            per_user[user_id].append(report)
    users = User.objects.in_bulk(per_user)
    groups: dict[tuple[int, ...], list[User]] = defaultdict(list)
    for user_id, listed in per_user.items():
        groups[tuple(report.id for report in listed)].append(users[user_id])
    by_ids = {report.id: report for report in reports}
    result = [(members, [by_ids[pk] for pk in ids]) for ids, members in groups.items()]
    for region_id, listed in regional.items():
        result.append((list(regional_overseers(region_id)), listed))
    return result


def _send(users: Iterable[User], reports: list[Swept], *, audience: str, bodies=None) -> int:
    """One notification to each of `users` listing `reports`, rendered in each user's language."""
    reports = sorted(reports, key=lambda report: (report.deadline_at, report.reference))
    rendered: dict[str, str] = {}

    def text_in_active_language() -> str:  # once per language, however many users read it
        language = get_language() or settings.LANGUAGE_CODE
        if language not in rendered:
            rendered[language] = _text(audience, reports, bodies or {})
        return rendered[language]

    subject = lazy(_subject, str)(audience, len(reports))
    text = lazy(text_in_active_language, str)()
    return len(notify(users=users, subject=subject, text=text, url=_queue_url(audience)))


def _subject(audience: str, count: int) -> str:
    if audience == "region":
        return ngettext(
            "%(count)d report escalated: overdue by more than %(days)d working days",
            "%(count)d reports escalated: overdue by more than %(days)d working days",
            count,
        ) % {"count": count, "days": settings.OVERDUE_ESCALATION_WORKING_DAYS}
    return ngettext(
        "%(count)d report is overdue: the answer's deadline has passed",
        "%(count)d reports are overdue: the answer's deadline has passed",
        count,
    ) % {"count": count}


def _text(audience: str, reports: list[Swept], bodies: dict) -> str:
    count = len(reports)
    if audience == "body":
        intro = ngettext(
            "The deadline passed without an answer for %(count)d report of your body:",
            "The deadline passed without an answer for %(count)d reports of your body:",
            count,
        )
    elif audience == "prosecutor":
        intro = ngettext(
            "The deadline passed without the body's answer for %(count)d report in your districts:",
            "The deadline passed without the body's answer for %(count)d reports in your districts:",
            count,
        )
    else:
        intro = ngettext(
            "%(count)d report is still unanswered more than %(days)d working days after its deadline:",
            "%(count)d reports are still unanswered more than %(days)d working days after their deadline:",
            count,
        )
    lines = [intro % {"count": count, "days": settings.OVERDUE_ESCALATION_WORKING_DAYS}]
    # Many reports share a deadline (the end of a working day), shown in their region's zone.
    deadlines: dict = {"zones": zones_by_region()}
    for report in reports[:DIGEST_LIST_LIMIT]:
        lines.append("- " + _line(report, bodies if audience != "body" else {}, deadlines))
    if count > DIGEST_LIST_LIMIT:
        more = count - DIGEST_LIST_LIMIT
        lines.append(
            ngettext(
                "…and %(count)d more: the full list is in the queue (link below).",
                "…and %(count)d more: the full list is in the queue (link below).",
                more,
            )
            % {"count": more}
        )
    return "\n".join(lines)


def _line(report: Swept, bodies: dict, deadlines: dict) -> str:
    if report.sensitive:
        return report.reference  # a sensitive category: the reference alone, nothing else
    key = (report.deadline_at, report.region_id)
    if key not in deadlines:
        zone = deadlines.get("zones", {}).get(report.region_id) or default_zone()
        local = timezone.localtime(report.deadline_at, zone)
        deadlines[key] = formats.date_format(local, "SHORT_DATETIME_FORMAT")
    deadline = deadlines[key]
    body = bodies.get(report.body_id)
    if body is not None:
        return gettext("%(reference)s, %(body)s, deadline %(deadline)s") % {
            "reference": report.reference,
            "body": body.name,
            "deadline": deadline,
        }
    return gettext("%(reference)s, deadline %(deadline)s") % {"reference": report.reference, "deadline": deadline}


# The pages listing a body's queue and a prosecutor's overdue reports, when they exist; else the
# staff list of reports (every recipient sees theirs there).
QUEUE_URL_NAMES = {
    "body": ("signals:queue", "signals:list"),
    "prosecutor": ("signals:oversight", "signals:list"),
    "region": ("signals:oversight", "signals:list"),
}


def _queue_url(audience: str) -> str:
    for name in QUEUE_URL_NAMES[audience]:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""
