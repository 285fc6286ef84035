"""Reads of the district prosecutor's oversight page: what the bodies owe, what went wrong, where.

Every selector takes the region, `district_ids` (None: the whole region; a set: those districts
only, a district prosecutor's remit) and `now`, filters on indexed columns (region, district,
status + deadline, decision + time), returns at most `limit` rows with the total count, and runs
a fixed number of queries whatever the number of rows: the page stays fast with a million reports.
The lists (what the bodies owe, what waits for a decision) also take `body_id` (one body's rows
only, within the scope) and `page` (which `limit` rows: a Paginator page number, as typed).
"""

import hashlib
import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Floor, RowNumber
from django.utils import timezone

from accounts.models import Organisation, Region

from .models import Answer, Category, ExtensionRequest, Forward, Report, ReportEvent
from .policy import overdue_at

Status = Report.Status
LIMIT = 20  # rows a section shows (the count says how many more there are)
RANKING_DAYS = 90
REPEAT_DAYS = 90
REPEAT_MIN_REPORTS = 3
REPEAT_LINKS = 5  # the latest reports linked from a repeat place
# About 200 m: a degree of latitude is 111.2 km everywhere, so 0.0018° ≈ 200 m; a degree of
# longitude shrinks with the cosine of the latitude (71 km at 50° N, the middle of the regions served today),
# so 0.0025° ≈ 175-195 m there.
CELL_LATITUDE = Decimal("0.0018")
CELL_LONGITUDE = Decimal("0.0025")


@dataclass
class Section:
    """At most `limit` rows of a section, and how many there are in all; `page` is the Paginator
    page they are (None for the statistics, which are not paged)."""

    count: int
    rows: list = field(default_factory=list)
    page: Page | None = None

    @property
    def more(self) -> int:
        return max(self.count - len(self.rows), 0)


def _reports(region: Region, district_ids, body_id: int | None = None) -> QuerySet:
    return _in_scope(Report.objects.all(), region, district_ids, body_id, prefix="")


def _section(queryset: QuerySet, limit: int, page=1) -> Section:
    # Always two queries (the count, the rows): the same number whatever the number of rows.
    # get_page: a page number past the end, or not a number, gives the last or the first page.
    found = Paginator(queryset, limit).get_page(page)
    return Section(count=found.paginator.count, rows=list(found.object_list), page=found)


def _in_scope(
    queryset: QuerySet, region: Region, district_ids, body_id: int | None = None, prefix: str = "report__"
) -> QuerySet:
    # The body narrows the scope, never widens it: a body outside the districts finds nothing.
    queryset = queryset.filter(**{f"{prefix}region": region})
    if district_ids is not None:
        queryset = queryset.filter(**{f"{prefix}district_id__in": district_ids})
    if body_id is not None:
        queryset = queryset.filter(**{f"{prefix}body_id": body_id})
    return queryset


# --- what the bodies owe -------------------------------------------------------------------------


def overdue_answers(
    *, region: Region, district_ids=None, now: datetime, limit: int = LIMIT, body_id=None, page=1
) -> Section:
    """Reports still waiting for the body's answer past their deadline, the longest overdue first
    (the (status, deadline_at) index). Whether the sweep has marked them yet does not matter."""
    reports = (
        _reports(region, district_ids, body_id)
        .filter(overdue_at(now))
        .select_related("category", "district", "body")
        .order_by("deadline_at", "id")
    )
    return _section(reports, limit, page)


def returned_answers(
    *, region: Region, district_ids=None, now: datetime, limit: int = LIMIT, body_id=None, page=1
) -> Section:
    """Reports whose answer the prosecutor returned and that wait for a new one (nearest deadline
    first); each row carries `return_reason`, the reason of its latest returned answer."""
    reports = (
        _reports(region, district_ids, body_id)
        .filter(status=Status.RETURNED)
        .select_related("category", "district", "body")
        .order_by("deadline_at", "id")
    )
    section = _section(reports, limit, page)
    reasons = {}
    returned = (
        Answer.objects.filter(report_id__in=[r.pk for r in section.rows], decision=Answer.Decision.RETURNED)
        .order_by("report_id", "decided_at", "id")
        .values_list("report_id", "return_reason")
    )
    for report_id, reason in returned:
        reasons[report_id] = reason  # the latest wins
    for report in section.rows:
        report.return_reason = reasons.get(report.pk, "")
    return section


def reopened_reports(
    *, region: Region, district_ids=None, now: datetime, limit: int = LIMIT, body_id=None, page=1
) -> Section:
    """Reports whose reporter says the answer did not resolve things, waiting for the prosecutor
    (return to the body or close); each row carries `reopen_reason`, the reporter's words."""
    reports = (
        _reports(region, district_ids, body_id)
        .filter(status=Status.REOPENED)
        .select_related("category", "district", "body")
        .order_by("deadline_at", "id")
    )
    section = _section(reports, limit, page)
    reasons = {}
    events = (
        ReportEvent.objects.filter(
            report_id__in=[r.pk for r in section.rows], kind=ReportEvent.Kind.STATUS, to_status=Status.REOPENED
        )
        .order_by("report_id", "at", "id")
        .values_list("report_id", "data")
    )
    for report_id, data in events:
        reasons[report_id] = (data or {}).get("reason", "")
    for report in section.rows:
        report.reopen_reason = reasons.get(report.pk, "")
    return section


# --- bodies ranked --------------------------------------------------------------------------------


@dataclass
class BodyRank:
    body: Organisation
    answers: int
    on_time: int
    median_hours: float | None

    @property
    def on_time_rate(self) -> float:
        return self.on_time / self.answers if self.answers else 0.0

    @property
    def on_time_percent(self) -> int:
        return round(100 * self.on_time_rate)


class _Median(Aggregate):
    """PostgreSQL's median (an ordered-set aggregate); other databases compute it in Python."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    name = "Median"
    allow_distinct = False


def body_ranking(
    *, region: Region, district_ids=None, now: datetime, days: int = RANKING_DAYS, limit: int = LIMIT
) -> list[BodyRank]:
    """Bodies ranked by the share of their answers given on time (Answer.on_time), then by the
    median answer time, over the answers given in the last `days` days to reports of the region
    (or of `district_ids`). The answer time is from the report's reaching the body (routed_at,
    which a forward resets; submitted_at when it has none) to the answer.

    Two queries: counts per body, and the medians (PERCENTILE_CONT on PostgreSQL; on other
    databases the durations of the period are read and the median taken in Python)."""
    answers = _in_scope(Answer.objects.filter(at__gte=now - timedelta(days=days), at__lte=now), region, district_ids)
    counts = {
        row["body_id"]: row
        for row in answers.order_by()
        .values("body_id")
        .annotate(total=Count("id"), on_time=Count("id", filter=Q(on_time=True)))
    }
    if not counts:
        return []
    medians = _median_hours_by_body(answers)
    bodies = Organisation.objects.in_bulk(list(counts))
    ranks = [
        BodyRank(body=bodies[body_id], answers=row["total"], on_time=row["on_time"], median_hours=medians.get(body_id))
        for body_id, row in counts.items()
        if body_id in bodies
    ]
    ranks.sort(
        key=lambda r: (-r.on_time_rate, r.median_hours if r.median_hours is not None else float("inf"), -r.answers)
    )
    return ranks[:limit]


def _median_hours_by_body(answers: QuerySet) -> dict[int, float]:
    start = Coalesce(F("report__routed_at"), F("report__submitted_at"))
    if connection.vendor == "postgresql":
        rows = (
            answers.order_by()
            .values("body_id")
            .annotate(median=_Median(F("at") - start, output_field=DurationField()))
            .values_list("body_id", "median")
        )
        return {body_id: median.total_seconds() / 3600 for body_id, median in rows if median is not None}
    durations: dict[int, list[float]] = {}
    rows = answers.order_by().values_list("body_id", "at", "report__routed_at", "report__submitted_at")
    for body_id, at, routed_at, submitted_at in rows:
        durations.setdefault(body_id, []).append((at - (routed_at or submitted_at)).total_seconds() / 3600)
    return {body_id: statistics.median(values) for body_id, values in durations.items()}


# --- places reported again and again --------------------------------------------------------------


@dataclass
class RepeatPlace:
    cell: tuple[int, int]
    count: int
    categories: list[tuple[Category, int]]
    reports: list[Report]

    @property
    def latitude(self) -> Decimal:
        return (self.cell[0] + Decimal("0.5")) * CELL_LATITUDE

    @property
    def longitude(self) -> Decimal:
        return (self.cell[1] + Decimal("0.5")) * CELL_LONGITUDE


def _cells(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(
        cell_lat=Cast(Floor(F("latitude") / Value(CELL_LATITUDE)), IntegerField()),
        cell_lon=Cast(Floor(F("longitude") / Value(CELL_LONGITUDE)), IntegerField()),
    )


def repeat_places(
    *,
    region: Region,
    district_ids=None,
    now: datetime,
    days: int = REPEAT_DAYS,
    min_reports: int = REPEAT_MIN_REPORTS,
    limit: int = LIMIT,
) -> Section:
    """Places with `min_reports` or more reports (any status but rejected) in the last `days` days.

    "Within about 200 m" is approximated by a grid: latitude and longitude are cut into cells of
    0.0018° × 0.0025° (about 200 m × 180 m in the region) with FLOOR in SQL, so it runs on any
    database and groups a million reports in one pass over the period's index. The approximation:
    two reports 20 m apart across a cell's edge fall in two cells (a cluster may be split, and is
    then shown smaller or not at all), and two reports at opposite corners of one cell are ~270 m
    apart. Reports without a point on the map are not counted.

    Three queries: the busiest cells, their categories, and the latest REPEAT_LINKS reports of each."""
    reports = _cells(
        _reports(region, district_ids)
        .filter(submitted_at__gte=now - timedelta(days=days), submitted_at__lte=now, latitude__isnull=False)
        .exclude(status=Status.REJECTED)
    )
    busiest = (
        reports.order_by()
        .values("cell_lat", "cell_lon")
        .annotate(count=Count("id"))
        .filter(count__gte=min_reports)
        .order_by("-count", "cell_lat", "cell_lon")
    )
    cells = list(busiest[: limit + 1])
    more = len(cells) > limit
    cells = cells[:limit]
    if not cells:
        return Section(count=0)
    in_cells = Q()
    for cell in cells:
        in_cells |= Q(cell_lat=cell["cell_lat"], cell_lon=cell["cell_lon"])
    in_cells_reports = reports.filter(in_cells)
    categories: dict[tuple, list] = {}
    by_category = (
        in_cells_reports.order_by()
        .values("cell_lat", "cell_lon", "category_id")
        .annotate(count=Count("id"))
        .order_by("cell_lat", "cell_lon", "-count", "category_id")
    )
    category_ids = set()
    for row in by_category:
        categories.setdefault((row["cell_lat"], row["cell_lon"]), []).append((row["category_id"], row["count"]))
        category_ids.add(row["category_id"])
    names = Category.objects.in_bulk(category_ids)
    latest: dict[tuple, list] = {}
    ranked = (
        in_cells_reports.only("id", "reference", "submitted_at")
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("cell_lat"), F("cell_lon")],
                order_by=[F("submitted_at").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=REPEAT_LINKS)
        .order_by("cell_lat", "cell_lon", "rank")
    )
    for report in ranked:
        latest.setdefault((report.cell_lat, report.cell_lon), []).append(report)
    rows = []
    for cell in cells:
        key = (cell["cell_lat"], cell["cell_lon"])
        rows.append(
            RepeatPlace(
                cell=key,
                count=cell["count"],
                categories=[(names[pk], count) for pk, count in categories.get(key, []) if pk in names],
                reports=latest.get(key, []),
            )
        )
    # The total of places is only worth a count query when there are more than shown.
    return Section(count=busiest.count() if more else len(rows), rows=rows)


# --- possible concealment from registration ------------------------------------------------------


def concealment_candidates(
    *, region: Region, district_ids=None, now: datetime, limit: int = LIMIT, body_id=None, page=1
) -> Section:
    """Reports whose standing answer (pending or accepted: Report.answer_result, which a return
    clears) confirms a criminal offence while no KUI/ERDR registration number is recorded:
    possible concealment of a crime from registration. Rows are those answers (with their
    report), the oldest first: the longer unregistered, the worse.

    Three queries, all served by the partial index report_unregistered_crimes: the count, the
    first reports, and their answers."""
    # No exclusion of rejected or duplicate reports is needed: both happen only before an answer
    # stands (a returned answer clears answer_result), so the count reads the index alone.
    reports = _reports(region, district_ids, body_id).filter(
        answer_result=Answer.Result.CONFIRMED_CRIMINAL, registration_number=""
    )
    found = Paginator(reports.order_by("answered_at", "id").values_list("id", flat=True), limit).get_page(page)
    first = list(found.object_list)
    standing: dict[int, Answer] = {}
    answers = (
        Answer.objects.filter(report_id__in=first)
        .exclude(decision=Answer.Decision.RETURNED)
        .select_related("report", "report__category", "report__district", "body")
        .order_by("at", "id")
    )
    for answer in answers:
        standing[answer.report_id] = answer  # the latest one wins
    rows = [standing[pk] for pk in first if pk in standing]
    return Section(count=found.paginator.count, rows=rows, page=found)


# --- decisions waiting for the prosecutor ---------------------------------------------------------


def pending_forwards(
    *, region: Region, district_ids=None, now: datetime, limit: int = LIMIT, body_id=None, page=1
) -> Section:
    """Forwards from one body to another not yet reviewed, the oldest first ((decision, at) index);
    `body_id`: the forwards from or to that body."""
    forwards = Forward.objects.filter(decision=Forward.Decision.PENDING)
    if body_id is not None:
        forwards = forwards.filter(Q(from_body_id=body_id) | Q(to_body_id=body_id))
    forwards = (
        _in_scope(forwards, region, district_ids)
        .select_related("report", "report__category", "report__district", "from_body", "to_body")
        .order_by("at", "id")
    )
    return _section(forwards, limit, page)


def pending_extensions(
    *, region: Region, district_ids=None, now: datetime, limit: int = LIMIT, body_id=None, page=1
) -> Section:
    """Deadline extensions asked and not yet decided, the oldest first ((decision, at) index);
    `body_id`: those the body asked."""
    extensions = ExtensionRequest.objects.filter(decision=ExtensionRequest.Decision.PENDING)
    if body_id is not None:
        extensions = extensions.filter(body_id=body_id)
    extensions = (
        _in_scope(extensions, region, district_ids)
        .select_related("report", "report__category", "report__district", "body")
        .order_by("at", "id")
    )
    return _section(extensions, limit, page)


# The ranking and the repeat places aggregate the last 90 days: over a second at a million reports.
# The worker computes them ahead for every prosecutor's office every STATISTICS_MINUTES
# (lib.scheduling, job "oversight-statistics"); the page reads them while they are younger than
# STATISTICS_MAX_AGE, and computes them itself only when the worker has not.
STATISTICS_MINUTES = 10
REPEAT_PLACES_SHOWN = 10
STATISTICS_MAX_AGE = timedelta(minutes=2 * STATISTICS_MINUTES)


def _statistics_key(region: Region, district_ids) -> str:
    scope = "all" if district_ids is None else ",".join(str(pk) for pk in sorted(district_ids))
    return f"oversight-statistics:{region.pk}:{hashlib.sha256(scope.encode()).hexdigest()[:32]}"


def compute_statistics(*, region: Region, district_ids=None, now: datetime) -> dict:
    scope = {"region": region, "district_ids": district_ids, "now": now}
    statistics_ = {
        "ranking": body_ranking(**scope),
        "repeat_places": repeat_places(**scope, limit=REPEAT_PLACES_SHOWN),
        "computed_at": now,
    }
    cache.set(_statistics_key(region, district_ids), statistics_, timeout=int(STATISTICS_MAX_AGE.total_seconds()))
    return statistics_


def oversight_statistics(*, region: Region, district_ids=None, now: datetime) -> dict:
    """{"ranking", "repeat_places", "computed_at"}: the worker's, or computed now."""
    found = cache.get(_statistics_key(region, district_ids))
    if found is not None and now - STATISTICS_MAX_AGE <= found["computed_at"] <= now:
        return found
    return compute_statistics(region=region, district_ids=district_ids, now=now)


def refresh_statistics(*, now: datetime | None = None) -> int:
    """The worker's job: the statistics of every region and of every prosecutor's office serving
    districts (the scopes of its district prosecutors). Returns the number of scopes computed."""
    from accounts.scoping import office_district_ids

    now = now or timezone.now()
    computed = 0
    for region in Region.objects.filter(districts__isnull=False).distinct():
        scopes = {None}
        offices = Organisation.objects.filter(region=region, kind=Organisation.Kind.PROSECUTOR_OFFICE)
        for office in offices.filter(districts__isnull=False).distinct():
            scopes.add(frozenset(office_district_ids(office)))
        for district_ids in scopes:
            compute_statistics(region=region, district_ids=district_ids, now=now)
            computed += 1
    return computed


# The paged lists of the page, by the name of each in oversight_page's answer.
LISTS = {
    "overdue": overdue_answers,
    "returned": returned_answers,
    "reopened": reopened_reports,
    "concealment": concealment_candidates,
    "forwards": pending_forwards,
    "extensions": pending_extensions,
}


def oversight_page(*, region: Region, district_ids=None, now: datetime, body_id=None, pages=None) -> dict:
    """Every section of the oversight page; `pages`: the page number asked of each list (by its
    name in LISTS; the first page when not asked). The statistics cover the whole scope: one body's
    ranking is not a ranking."""
    pages = pages or {}
    scope = {"region": region, "district_ids": district_ids, "now": now}
    lists = {name: read(**scope, body_id=body_id, page=pages.get(name, 1)) for name, read in LISTS.items()}
    return {**lists, **oversight_statistics(**scope)}
