"""The offices' monthly submissions as figures of the results summary (lib.metrics; docs/metrics.md):
the versions the offices sent to the analyst, those sent after their due day, and those the analyst
returned for re-work. The analyst's dashboard reads them, as every figure, from the catalogue.

Each is a flow of the submissions' events (SubmissionEvent, stamped when it happens, so its moment
is both the effective and the recorded one): a version sent again after a return counts again, as
the analyst reads it again. A version is **late** when it was sent after the due day of the month
following its own (settings.SUPERVISION_SUBMISSION_DUE_DAY, the 5th by default; the day ends at
local midnight in the region's zone): the same day after which the offices are reminded. An
event counts in the district the office serves (a city's office in the city), a department's or a
specialised office's in the region's total only (supervision.services.submissions.office_district_id).
"""

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import District, Organisation
from accounts.zones import local_date, region_id_zone
from lib.metrics import Area, Kind, Metric, MetricGroup, Window

from .models import SubmissionEvent

EventKind = SubmissionEvent.Kind
OFFICE = "submission__organisation"
DISTRICT = "office_district"  # the annotation naming the district an event counts in
LATE = "sent_late"  # the annotation: the version was sent after its due day
# Offices whose figures count in the region as a whole (supervision.services.submissions).
REGION_WIDE_OFFICES = (Organisation.Type.REGIONAL_DEPARTMENT, Organisation.Type.SPECIALISED_OFFICE)


def _office_district() -> dict:
    """The district the submitting office serves when it serves one unit (its district; a city's
    office the city, its city districts being the city's), else None: the region's total only.
    The same reading as board.metrics.district_served, over the submission's office."""
    served = District.objects.filter(organisations=OuterRef(OFFICE))
    units = served.exclude(parent__in=District.objects.filter(organisations=OuterRef(OuterRef(OFFICE))))
    count = units.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    first = units.order_by("pk").values("pk")[:1]
    return {
        "units_served": Subquery(count, output_field=IntegerField()),
        DISTRICT: Case(
            When(**{f"{OFFICE}__type__in": REGION_WIDE_OFFICES}, then=Value(None)),
            When(units_served=1, then=Subquery(first)),
            default=Value(None),
            output_field=IntegerField(),
        ),
    }


def _sent_late(window: Window) -> dict:
    """Whether the event came after the due day of the month following the submission's month, in
    the region's local days: months counted as year × 12 + month, so that no database's date
    arithmetic is needed."""
    zone = region_id_zone(window.region_id)
    months_after = ExpressionWrapper(
        (ExtractYear("at", tzinfo=zone) * 12 + ExtractMonth("at", tzinfo=zone))
        - (ExtractYear("submission__month") * 12 + ExtractMonth("submission__month")),
        output_field=IntegerField(),
    )
    due_day = settings.SUPERVISION_SUBMISSION_DUE_DAY
    late = Q(months_after__gt=1) | Q(months_after=1, day_sent__gt=due_day)
    return {
        "months_after": months_after,
        "day_sent": ExtractDay("at", tzinfo=zone),
        LATE: Case(When(late, then=Value(True)), default=Value(False), output_field=BooleanField()),
    }


def _annotations(window: Window) -> dict:
    return {**_office_district(), **_sent_late(window)}


def _labels(dimension: str, keys: list) -> dict:
    if dimension == "office":
        return {office.code: office.name for office in Organisation.objects.filter(code__in=[k for k in keys if k])}
    return {}


COLUMNS = {
    "office": _("Office"),
    "month": _("Month"),
    "version": _("Version"),
    "event": _("Event"),
    "at": _("Time"),
}


def _describe(rows: QuerySet) -> list[dict]:
    """The events behind a figure: the office, its month and version, what happened and when (the
    region's local day); linked to the office's month, whose page applies its own policy."""
    described = []
    for event in rows.select_related("submission__organisation", "submission__region"):
        submission = event.submission
        described.append(
            {
                "link": reverse(
                    "supervision:submission_month", args=[submission.organisation_id, f"{submission.month:%Y-%m}"]
                ),
                "office": submission.organisation.name,
                "month": f"{submission.month:%m.%Y}",
                "version": submission.version,
                "event": str(event.get_kind_display()),
                "at": f"{local_date(event.at, submission.region):%d.%m.%Y}",
            }
        )
    return described


def _events() -> QuerySet:
    return SubmissionEvent.objects.filter(kind__in=(EventKind.SUBMITTED, EventKind.RETURNED))


def _metric(code: str, name, definition, order: int, where: Q, **more) -> Metric:
    return Metric(
        code=code,
        name=name,
        definition=definition,
        where=where,
        area=Area.SUBMISSIONS,
        order=order,
        dimensions=("office",),
        **more,
    )


SUBMISSIONS = MetricGroup(
    name="supervision-submissions",
    kind=Kind.FLOW,
    queryset=_events,
    region="submission__region_id",
    district=DISTRICT,
    annotate=_annotations,
    effective="at",
    recorded="at",
    dimensions={"office": f"{OFFICE}__code"},
    labels=_labels,
    describe_rows=_describe,
    columns=COLUMNS,
    metrics=(
        _metric(
            "submissions.received",
            _("Monthly submissions received"),
            _(
                "The versions of their monthly figures the offices sent to the regional analyst in the period "
                "(a version sent again after a return counts again); by office."
            ),
            90,
            Q(kind=EventKind.SUBMITTED),
        ),
        _metric(
            "submissions.late",
            _("Monthly submissions received late"),
            _(
                "Of the versions received, those sent after the due day of the month following their own (the "
                "day after which the offices are reminded), in the region's local time; by office."
            ),
            91,
            Q(kind=EventKind.SUBMITTED, **{LATE: True}),
            parent="submissions.received",
            rise_is_good=False,
        ),
        _metric(
            "submissions.returned",
            _("Monthly submissions returned for re-work"),
            _("The versions the regional analyst returned to their office with comments in the period; by office."),
            92,
            Q(kind=EventKind.RETURNED),
            rise_is_good=False,
        ),
    ),
)
