"""FSM Social's figures for the results summary (lib.metrics; docs/metrics.md).

Each group reads one table through signals.policy's definitions (answered on time, overdue), so
the oversight page and the summary count the same thing. Facts of reports are stamped when they
happen: a report is recorded the moment it is received (`submitted_at` is both its effective and
its recorded moment), an answer when it is given, a decision when it is taken. The stock of
overdue reports is read from the reports' dated events (signals.stocks), as it stood at any moment.
"""

import hashlib

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.zones import report_zone
from lib.metrics import Area, Feed, Hedging, Kind, Metric, MetricGroup, Sentence, Span, Unit

from . import stocks
from .categories import cached_categories
from .models import Answer, Category, Report, ReportEvent

Status = Report.Status


# Every change of a report, its answers and its registration appends one of its events
# (signals.services.events), so the events' log names the reports whose figures to count again.
def _codes_version() -> str:
    """The codes the dimensions name (a category's, a body's: editable in the admin)."""
    categories = list(Category.objects.order_by("pk").values_list("pk", "code"))
    bodies = list(Organisation.objects.order_by("pk").values_list("pk", "code"))
    return hashlib.sha256(repr((categories, bodies)).encode()).hexdigest()


REPORT_CHANGES = Feed(
    name="signals.report-events",
    log=lambda: ReportEvent.objects.all(),
    owner="report_id",
    at="at",
    region="report__region_id",
    keys_version=_codes_version,
)


def _labels(dimension: str, keys: list) -> dict:
    if dimension == "category":
        categories = cached_categories()["code"]
        return {key: categories[key].name for key in keys if key in categories}
    if dimension == "channel":
        return {key: Report.Channel(key).label for key in keys if key in Report.Channel.values}
    if dimension == "registration":
        return {key: Report.Registration(key).label for key in keys if key in Report.Registration.values}
    if dimension == "body":
        return {o.code: o.name for o in Organisation.objects.filter(code__in=[key for key in keys if key])}
    return {}


def _report_row(report: Report) -> dict:
    """A report as the rows behind a figure show it: its reference, category, district, date and
    status; never what the reporter wrote nor who they are."""
    return {
        "link": reverse("signals:detail", args=[report.reference]),
        "reference": report.reference,
        "category": report.category.name,
        "district": report.district.name if report.district else "",
        "submitted": timezone.localtime(report.submitted_at, report_zone(report)).strftime("%Y-%m-%d %H:%M"),
        "status": str(report.get_status_display()),
    }


REPORT_COLUMNS = {
    "reference": _("reference"),
    "category": _("category"),
    "district": _("district"),
    "submitted": _("received (local time)"),
    "status": _("status"),
}


def _reports_described(reports: QuerySet) -> list[dict]:
    return [_report_row(report) for report in reports.select_related("category", "district")]


def _of_reports(path: str):
    """A describer of rows that point to a report through `path` (an answer's report...)."""

    def describe(rows: QuerySet) -> list[dict]:
        ids = list(rows.values_list(f"{path}_id", flat=True))
        reports = Report.objects.filter(pk__in=ids).select_related("category", "district")
        by_pk = {report.pk: report for report in reports}
        return [_report_row(by_pk[pk]) for pk in ids if pk in by_pk]

    return describe


def _through_report(*, name: str, queryset, moment: str, dimensions: dict, metrics: tuple) -> MetricGroup:
    """A flow of facts that belong to a report (a routing, an answer, a reopening), stamped when
    they happen: in the report's region and district, sensitive with it, described by it."""
    return MetricGroup(
        name=name,
        kind=Kind.FLOW,
        queryset=queryset,
        region="report__region_id",
        district="report__district_id",
        effective=moment,
        recorded=moment,
        dimensions=dimensions,
        sensitive=Q(report__sensitive=True),
        labels=_labels,
        describe_rows=_of_reports("report"),
        columns=REPORT_COLUMNS,
        feed=REPORT_CHANGES,
        owner="report_id",
        metrics=metrics,
    )


BY_CATEGORY_AND_BODY = {"category": "report__category__code", "body": "body__code"}

# --- reports received ---------------------------------------------------------------------------

RECEIVED = MetricGroup(
    name="fsm-reports",
    kind=Kind.FLOW,
    queryset=lambda: Report.objects.all(),
    effective="submitted_at",
    recorded="submitted_at",
    dimensions={"category": "category__code", "channel": "channel"},
    sensitive=Q(sensitive=True),
    labels=_labels,
    describe_rows=_reports_described,
    columns=REPORT_COLUMNS,
    feed=REPORT_CHANGES,
    owner="pk",
    metrics=(
        Metric(
            code="fsm.reports.received",
            name=_("Reports received"),
            definition=_(
                "Offence reports received in the period through every channel (web form, REST API, Open311, "
                "hotline, reception), duplicates included, by the local day they were received."
            ),
            hedging=Hedging.MORE_THAN,
            dimensions=("category", "channel"),
            order=10,
        ),
    ),
)

# --- routed to a body -----------------------------------------------------------------------------

ROUTED = _through_report(
    name="fsm-routing",
    queryset=lambda: ReportEvent.objects.filter(kind=ReportEvent.Kind.ROUTED),
    moment="at",
    dimensions=BY_CATEGORY_AND_BODY,
    metrics=(
        Metric(
            code="fsm.reports.routed",
            name=_("Reports routed to a responsible body"),
            definition=_(
                "Reports sent to a responsible body for the first time in the period, on receipt or from the "
                "prosecutor's triage; a later re-routing is not counted again."
            ),
            dimensions=("category", "body"),
            order=20,
        ),
    ),
)

# --- answers of the bodies -----------------------------------------------------------------------

ANSWERS = _through_report(
    name="fsm-answers",
    queryset=lambda: Answer.objects.all(),
    moment="at",
    dimensions=BY_CATEGORY_AND_BODY,
    metrics=(
        Metric(
            code="fsm.answers.given",
            name=_("Answers given by the bodies"),
            definition=_(
                "Answers the responsible bodies gave in the period; a new answer after a return counts again."
            ),
            dimensions=("category", "body"),
            order=30,
        ),
        Metric(
            code="fsm.answers.on_time",
            name=_("Answers given on time"),
            definition=_("Of the answers given in the period, those given at or before the report's deadline."),
            where=Q(on_time=True),
            rise_is_good=True,
            parent="fsm.answers.given",
            dimensions=("category", "body"),
            order=31,
        ),
        Metric(
            code="fsm.answers.late",
            name=_("Answers given late"),
            definition=_("Of the answers given in the period, those given after the report's deadline."),
            where=Q(on_time=False),
            rise_is_good=False,
            parent="fsm.answers.given",
            dimensions=("category", "body"),
            order=32,
        ),
        Metric(
            code="fsm.answers.on_time_share",
            name=_("Share of answers given on time"),
            definition=_("Answers given on time, in percent of the answers given in the period."),
            unit=Unit.PERCENT,
            ratio=("fsm.answers.on_time", "fsm.answers.given"),
            rise_is_good=True,
            dimensions=("category", "body"),
            order=33,
        ),
    ),
)

RETURNS = _through_report(
    name="fsm-returns",
    queryset=lambda: Answer.objects.filter(decision=Answer.Decision.RETURNED),
    moment="decided_at",
    dimensions=BY_CATEGORY_AND_BODY,
    metrics=(
        Metric(
            code="fsm.answers.returned",
            name=_("Answers returned by prosecutors"),
            definition=_("Bodies' answers a prosecutor returned for re-work in the period, by the day of the return."),
            dimensions=("category", "body"),
            order=40,
        ),
    ),
)

REOPENED = _through_report(
    name="fsm-reopened",
    queryset=lambda: ReportEvent.objects.filter(kind=ReportEvent.Kind.STATUS, to_status=Status.REOPENED),
    moment="at",
    dimensions={"category": "report__category__code"},
    metrics=(
        Metric(
            code="fsm.reports.reopened",
            name=_("Reports reopened by their reporters"),
            definition=_("Times in the period a reporter said the answer did not resolve the matter."),
            rise_is_good=False,
            dimensions=("category",),
            order=50,
        ),
    ),
)

REGISTERED = MetricGroup(
    name="fsm-registrations",
    kind=Kind.FLOW,
    queryset=lambda: Report.objects.exclude(registration=""),
    effective="registered_at",
    recorded="registered_at",
    dimensions={"category": "category__code", "registration": "registration"},
    sensitive=Q(sensitive=True),
    labels=_labels,
    describe_rows=_reports_described,
    columns=REPORT_COLUMNS,
    feed=REPORT_CHANGES,
    owner="pk",
    metrics=(
        Metric(
            code="fsm.reports.registered",
            name=_("Confirmed offences registered (KUI or ERDR)"),
            definition=_(
                "Reports registered in the period in the book of accounting of information (KUI) or the unified "
                "register of pre-trial investigations (ERDR), with their number."
            ),
            dimensions=("category", "registration"),
            order=60,
        ),
    ),
)

OVERDUE = MetricGroup(
    name="fsm-overdue",
    kind=Kind.STOCK,
    queryset=lambda: ReportEvent.objects.all(),
    region="report__region_id",
    district="report__district_id",
    state_at=stocks.overdue_at,
    span=Span(member=stocks.OVERDUE_MEMBER, enters=stocks.overdue_enters, leaves="until"),
    feed=REPORT_CHANGES,
    owner="report_id",
    dimensions={"category": "report__category__code", "body": "body__code"},
    sensitive=Q(report__sensitive=True),
    labels=_labels,
    describe_rows=_of_reports("report"),
    columns=REPORT_COLUMNS,
    metrics=(
        Metric(
            code="fsm.reports.overdue",
            name=_("Reports overdue"),
            definition=_(
                "Reports awaiting the responsible body's answer whose deadline had passed, as they stood at the end "
                "of the “as of” day (a returned report awaits a new answer against its new deadline)."
            ),
            rise_is_good=False,
            dimensions=("category", "body"),
            order=70,
        ),
    ),
)


# --- the summary's sentences about FSM Social (reporting.sentences) --------------------------------

SENTENCES = (
    Sentence(
        code="fsm.received",
        area=Area.FSM_SOCIAL,
        order=10,
        kk="«FSM Social» арқылы азаматтардан {fsm.reports.received|өтініш} түсті, оның ішінде "
        "{fsm.reports.routed} жауапты органдарға жіберілді.",
        ru="Через «FSM Social» от граждан поступило {fsm.reports.received|обращение}, из них "
        "{fsm.reports.routed} направлено в ответственные органы.",
        en="{fsm.reports.received|report/reports} came in from citizens through FSM Social, "
        "{fsm.reports.routed} of them sent to the responsible bodies.",
    ),
    Sentence(
        code="fsm.received.change",
        area=Area.FSM_SOCIAL,
        order=20,
        kk="Өткен жылмен салыстырғанда өтініштер санының {fsm.reports.received.trend|өсуі|азаюы}: "
        "{fsm.reports.received.change}.",
        ru="{fsm.reports.received.trend|Рост|Снижение} числа обращений к прошлому году: {fsm.reports.received.change}.",
        en="The number of reports {fsm.reports.received.trend|rose|fell} by {fsm.reports.received.change} "
        "against the previous year.",
    ),
    Sentence(
        code="fsm.answers",
        area=Area.FSM_SOCIAL,
        order=30,
        kk="Органдар {fsm.answers.given|жауап} берді, оның ішінде мерзімінде берілгені "
        "{fsm.answers.on_time_share}; прокурорлар {fsm.answers.returned|жауап} пысықтауға қайтарды.",
        ru="Органы дали {fsm.answers.given|ответ}, из них в срок — {fsm.answers.on_time_share}; прокуроры "
        "вернули на доработку {fsm.answers.returned|ответ}.",
        en="The bodies gave {fsm.answers.given|answer/answers}, {fsm.answers.on_time_share} of them on time; "
        "prosecutors returned {fsm.answers.returned|answer/answers} for re-work.",
    ),
    Sentence(
        code="fsm.overdue",
        area=Area.FSM_SOCIAL,
        order=40,
        kk="Кезең соңында {fsm.reports.overdue|өтініш} бойынша жауап мерзімі өтіп кетті.",
        ru="На конец периода просрочено {fsm.reports.overdue|обращение}.",
        en="{fsm.reports.overdue|report/reports} overdue at the end of the period.",
    ),
    Sentence(
        code="fsm.registered",
        area=Area.FSM_SOCIAL,
        order=50,
        kk="Ақпаратты есепке алу кітабында және сотқа дейінгі тергеп-тексерулердің бірыңғай тізілімінде "
        "{fsm.reports.registered|құқық бұзушылық} тіркелді.",
        ru="В КУИ и ЕРДР зарегистрировано {fsm.reports.registered|правонарушение}.",
        en="{fsm.reports.registered|offence/offences} registered in the KUI and the ERDR.",
    ),
)
