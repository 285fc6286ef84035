"""Reads of offence reports that aggregate: for the results summary (reports received, routing and
deadlines, answer times), a report's family (it and the reports merged into it), the public map.

Every figure is one database aggregation over a period (no loop over reports in Python) and comes
back as plain dicts and lists, so reporting can keep what each number was computed from.

A period is `start`..`end`, both dates included: the region's local days (its zone,
accounts.zones.region_zone; lib.periods.period_bounds); aware datetimes are taken as they are.
`district_ids` narrows to some districts (a district prosecutor's view).
"""

from calendar import monthrange
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Cast, Round
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import District, Region
from accounts.zones import region_zone
from lib.periods import period_bounds

from .categories import cached_categories
from .models import Report, ReporterContact
from .policy import (
    ANSWERED_LATE,
    ANSWERED_ON_TIME,
    ANSWERED_STATUSES,
    AWAITING_ANSWER,
    FINAL_STATUSES,
    late_at,
    overdue_at,
)

Status = Report.Status
# A body's answer that stands (a returned one does not: the report awaits a new answer).
ANSWER_STANDS = Q(status__in=ANSWERED_STATUSES, answered_at__isnull=False)
AWAITING = Q(status__in=AWAITING_ANSWER)
GROUPINGS = {"category": "category__code", "channel": "channel", "district": "district__kato"}


def _moment(value: date | datetime, *, end: bool, region=None) -> datetime:
    """A period's bound: a date is the region's local midnight (lib.periods.period_bounds), the
    day after for `end`; a naive datetime is read in the region's zone."""
    zone = region_zone(region)
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value, zone)
    start, after = period_bounds(value, value, zone)
    return after if end else start


def reports_in_period(*, region: Region, start, end, district_ids=None) -> QuerySet:
    """Reports of the region submitted in the period."""
    reports = Report.objects.filter(
        region=region,
        submitted_at__gte=_moment(start, end=False, region=region),
        submitted_at__lt=_moment(end, end=True, region=region),
    )
    if district_ids is not None:
        reports = reports.filter(district_id__in=district_ids)
    return reports


def _labels(by: str, keys: list) -> dict:
    if by == "channel":
        return {key: str(Report.Channel(key).label) for key in keys if key in Report.Channel.values}
    if by == "category":
        from .models import Category

        return {category.code: category.name for category in Category.objects.filter(code__in=keys)}
    from accounts.models import District

    return {district.kato: district.name for district in District.objects.filter(kato__in=keys)}


def reports_received(*, region: Region, start, end, by: str = "category", district_ids=None) -> list[dict]:
    """[{"key", "label", "count"}] of reports received, by category, channel or district, largest first.

    Reports with no district are counted under key None ("district not given")."""
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {sorted(GROUPINGS)}")
    field = GROUPINGS[by]
    rows = list(
        reports_in_period(region=region, start=start, end=end, district_ids=district_ids)
        .order_by()
        .values(field)
        .annotate(count=Count("id"))
        .order_by("-count", field)
    )
    labels = _labels(by, [row[field] for row in rows if row[field] is not None])
    return [
        {
            "key": row[field],
            "label": labels.get(row[field], row[field]) if row[field] is not None else str(_("district not given")),
            "count": row["count"],
        }
        for row in rows
    ]


def routing_summary(*, region: Region, start, end, now: datetime | None = None, district_ids=None) -> dict:
    """Of the reports received in the period, as of `now`:

    received; routed (sent to a body at least once); in_triage (waiting for a prosecutor to route
    them); answered (a body's answer stands); answered_on_time / answered_late (the latest answer
    against the deadline); overdue (awaiting the body's answer past the deadline: a returned
    report too, as in overdue_summary); rejected; duplicate; closed.
    """
    now = now or timezone.now()
    reports = reports_in_period(region=region, start=start, end=end, district_ids=district_ids)
    return reports.aggregate(
        received=Count("id"),
        routed=Count("id", filter=Q(routed_at__isnull=False)),
        in_triage=Count("id", filter=Q(status=Status.NEW)),
        answered=Count("id", filter=ANSWER_STANDS),
        answered_on_time=Count("id", filter=ANSWER_STANDS & ANSWERED_ON_TIME),
        answered_late=Count("id", filter=ANSWER_STANDS & ANSWERED_LATE),
        overdue=Count("id", filter=overdue_at(now)),
        rejected=Count("id", filter=Q(status=Status.REJECTED)),
        duplicate=Count("id", filter=Q(status=Status.DUPLICATE)),
        closed=Count("id", filter=Q(status=Status.CLOSED)),
    )


def answer_times(*, region: Region, start, end, district_ids=None) -> dict:
    """{"answered", "mean_hours", "median_hours"}: hours from submission to the (latest) answer of
    the reports received in the period and answered; None when nothing was answered."""
    answered = reports_in_period(region=region, start=start, end=end, district_ids=district_ids).filter(
        answered_at__isnull=False
    )
    took = ExpressionWrapper(F("answered_at") - F("submitted_at"), output_field=DurationField())
    summary = answered.aggregate(answered=Count("id"), mean=Avg(took))
    count = summary["answered"]
    if not count:
        return {"answered": 0, "mean_hours": None, "median_hours": None}
    # The median: the middle one (or two) of the durations, sorted and sliced by the database.
    middle = (count - 1) // 2
    width = 2 if count % 2 == 0 else 1
    durations = list(
        answered.annotate(took=took).order_by("took", "id").values_list("took", flat=True)[middle : middle + width]
    )
    median = sum(durations, timedelta()) / len(durations)
    return {
        "answered": count,
        "mean_hours": _hours(summary["mean"]),
        "median_hours": _hours(median),
    }


def _hours(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, timedelta):
        return round(value.total_seconds() / 3600, 2)
    return round(float(value) / 3_600_000_000, 2)  # microseconds on backends without durations


# --- On time and overdue, by district and by body -----------------------------------------------

DISTRICT_KEY = "district__kato"


def _grouped(queryset: QuerySet, field: str, **aggregates) -> dict:
    """{key: {aggregate: value}} of `queryset` grouped by `field` (one query)."""
    rows = queryset.order_by().values(field).annotate(**aggregates)
    return {row[field]: {name: row[name] for name in aggregates} for row in rows}


def _district_labels(keys) -> dict:
    from accounts.models import District

    labels = {district.kato: district.name for district in District.objects.filter(kato__in=[k for k in keys if k])}
    labels[None] = str(_("district not given"))
    return labels


def _body_labels(keys) -> dict:
    from accounts.models import Organisation

    labels = {body.code: body.name for body in Organisation.objects.filter(code__in=[k for k in keys if k])}
    labels[None] = str(_("no body"))
    return labels


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _rows(groups: dict, labels: dict, rate_of: tuple[str, str] | None = None) -> list[dict]:
    rows = []
    for key, figures in groups.items():
        row = {"key": key, "label": labels.get(key, key), **figures}
        if rate_of:
            row["rate"] = _rate(figures[rate_of[0]], figures[rate_of[1]])
        rows.append(row)
    return sorted(rows, key=lambda row: (str(row["label"]), str(row["key"])))


def on_time_rate(*, region: Region, start, end, district_ids=None) -> dict:
    """The answers given in the period (every answer, a new one after a return included) and how
    many came on time, over all and by district (the report's) and by body (the one that answered):

        {"answers", "on_time", "rate", "by_district": [{"key": KATO or None, "label", "answers",
         "on_time", "rate"}], "by_body": [{"key": organisation code, ...}]}

    `rate` is on_time / answers, None when nothing was answered. Three aggregations."""
    from .models import Answer

    answers = Answer.objects.filter(
        report__region=region,
        at__gte=_moment(start, end=False, region=region),
        at__lt=_moment(end, end=True, region=region),
    )
    if district_ids is not None:
        answers = answers.filter(report__district_id__in=district_ids)
    figures = {"answers": Count("id"), "on_time": Count("id", filter=Q(on_time=True))}
    totals = answers.aggregate(**figures)
    by_district = _grouped(answers, "report__district__kato", **figures)
    by_body = _grouped(answers, "body__code", **figures)
    return {
        **totals,
        "rate": _rate(totals["on_time"], totals["answers"]),
        "by_district": _rows(by_district, _district_labels(by_district), ("on_time", "answers")),
        "by_body": _rows(by_body, _body_labels(by_body), ("on_time", "answers")),
    }


OVERDUE_FIGURES = ("due", "answered_on_time", "answered_late", "unanswered", "not_yet_due", "overdue", "overdue_now")


def overdue_summary(*, region: Region, start, end, now: datetime | None = None, district_ids=None) -> dict:
    """Deadlines kept and missed, over all and by district and by the body the report is with:

    - of the reports whose deadline fell in the period: `due`; `answered_on_time` and
      `answered_late` (answered, the latest answer against the deadline); `unanswered` (still
      awaiting the body's answer as of `now`, its deadline passed); `not_yet_due` (awaiting, the
      deadline after `now`); `overdue` = answered_late + unanswered;
    - `overdue_now`: every report awaiting an answer past its deadline as of `now`, whenever its
      deadline fell (a stock).

    A returned report awaits a new answer against its fresh deadline: an earlier answer does not
    count it as answered. {"as_of", **totals, "by_district": [...], "by_body": [...]}; rows carry
    "key" (KATO or organisation code, None when not given) and "label"."""

    now = now or timezone.now()
    reports = Report.objects.filter(region=region)
    if district_ids is not None:
        reports = reports.filter(district_id__in=district_ids)
    due = reports.filter(
        deadline_at__gte=_moment(start, end=False, region=region), deadline_at__lt=_moment(end, end=True, region=region)
    )
    figures = {
        "due": Count("id"),
        "answered_on_time": Count("id", filter=ANSWER_STANDS & ANSWERED_ON_TIME),
        "answered_late": Count("id", filter=ANSWER_STANDS & ANSWERED_LATE),
        "unanswered": Count("id", filter=overdue_at(now)),
        "not_yet_due": Count("id", filter=AWAITING & ~late_at(now)),
    }
    overdue_now = reports.filter(overdue_at(now))
    stock = {"overdue_now": Count("id")}

    def merged(field: str) -> dict:
        period, current = _grouped(due, field, **figures), _grouped(overdue_now, field, **stock)
        zero = dict.fromkeys(OVERDUE_FIGURES, 0)
        groups = {}
        for key in period.keys() | current.keys():
            row = {**zero, **period.get(key, {}), **current.get(key, {})}
            row["overdue"] = row["answered_late"] + row["unanswered"]
            groups[key] = row
        return groups

    totals = {**due.aggregate(**figures), **overdue_now.aggregate(**stock)}
    totals["overdue"] = totals["answered_late"] + totals["unanswered"]
    by_district, by_body = merged(DISTRICT_KEY), merged("body__code")
    return {
        "as_of": now,
        **totals,
        "by_district": _rows(by_district, _district_labels(by_district)),
        "by_body": _rows(by_body, _body_labels(by_body)),
    }


def own_reports(user) -> QuerySet:
    """The reports a registered citizen sent while logged in, newest first."""
    return (
        Report.objects.for_user(user)
        .filter(reporter=user)
        .select_related("category", "district")
        .order_by("-submitted_at", "-id")
    )


def report_family_ids(report: Report) -> list[int]:
    """The report and the reports merged into it: its timeline, photos and reporters are theirs."""
    merged = Report.objects.filter(duplicate_of_id=report.pk, status=Status.DUPLICATE).values_list("id", flat=True)
    return [report.pk, *merged]


def same_reporter_reports(report: Report, contact, user, *, limit: int = 20) -> list[Report]:
    """Other reports in the user's scope whose reporter, or someone following them, left the same
    phone or e-mail as `contact` (found by keyed hash: the contacts themselves are encrypted)."""
    match = Q()
    for field in ("phone", "email"):
        candidates = ReporterContact._meta.get_field(f"{field}_hash").candidates(getattr(contact, field))
        if candidates:
            match |= Q(**{f"contact__{field}_hash__in": candidates})
            match |= Q(**{f"supporters__{field}_hash__in": candidates, "supporters__consent_at__isnull": False})
    if not match:
        return []
    found = Report.objects.for_user(user).filter(match).exclude(pk=report.pk).distinct()
    return list(found.select_related("category").order_by("-submitted_at")[:limit])


# --- the public map: reports counted per grid cell and per district, never a report's own point ---

# A cell of the public map: about 500 m (0.005° of latitude; 0.007° of longitude at 50° N).
LAT_STEP = Decimal("0.005")
LON_STEP = Decimal("0.007")


def _months_before(moment: datetime, months: int) -> datetime:
    """The start of the day `months` calendar months before `moment` (local time)."""
    local = timezone.localtime(moment)
    year, month_index = divmod(local.year * 12 + local.month - 1 - months, 12)
    day = min(local.day, monthrange(year, month_index + 1)[1])
    return local.replace(year=year, month=month_index + 1, day=day, hour=0, minute=0, second=0, microsecond=0)


def _map_reports(filters: dict):
    """The public reports the filters select: public categories and reports only, of the period."""
    since = _months_before(timezone.now(), filters["months"])
    reports = Report.objects.filter(sensitive=False, category__sensitive=False, submitted_at__gte=since)
    if filters.get("category"):
        reports = reports.filter(category=filters["category"])
    if filters.get("district"):
        district = filters["district"]
        reports = reports.filter(Q(district=district) | Q(district__parent=district))
    if filters.get("status"):
        reports = reports.filter(status=filters["status"])
    else:
        reports = reports.exclude(status__in=FINAL_STATUSES)
    return reports.order_by(), since


def map_cells(filters: dict) -> tuple[list[dict], datetime]:
    """One aggregated query: reports counted per grid cell (and category). A cell is named by the
    indices of its centre on the grid; no report's own point leaves the database."""
    reports, since = _map_reports(filters)
    rows = (
        reports.filter(latitude__isnull=False, longitude__isnull=False)
        .annotate(
            cell_y=Cast(Round(F("latitude") / Value(LAT_STEP)), IntegerField()),
            cell_x=Cast(Round(F("longitude") / Value(LON_STEP)), IntegerField()),
        )
        .values("cell_y", "cell_x", "category_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    codes = {pk: category.code for pk, category in cached_categories()["pk"].items()}
    cells: dict[tuple[int, int], dict] = {}
    for row in rows:
        cell = cells.setdefault((row["cell_y"], row["cell_x"]), {"count": 0, "categories": {}})
        cell["count"] += row["count"]
        code = codes.get(row["category_id"], "")
        cell["categories"][code] = cell["categories"].get(code, 0) + row["count"]
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [float(cell_x * LON_STEP), float(cell_y * LAT_STEP)],
            },
            "properties": {"count": cell["count"], "categories": cell["categories"]},
        }
        for (cell_y, cell_x), cell in sorted(cells.items())
    ]
    return features, since


def map_district_counts(filters: dict) -> list[dict]:
    """The same reports counted by district (with or without a point), for the table under the map."""
    reports, _since = _map_reports(filters)
    rows = reports.values("district_id").annotate(count=Count("id")).order_by()
    counts = {row["district_id"]: row["count"] for row in rows}
    if not counts:
        return []
    names = {d.pk: d.name for d in District.objects.filter(pk__in=[pk for pk in counts if pk])}
    table = [{"name": names.get(pk, ""), "count": count} for pk, count in counts.items() if pk]
    table.sort(key=lambda row: (-row["count"], row["name"]))
    if counts.get(None):
        table.append({"name": str(_("District not known")), "count": counts[None]})
    return table
