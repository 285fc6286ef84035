"""The board's figures for the results summary (lib.metrics; docs/metrics.md): the directives issued
and their executions, addressee by addressee (a directive to five offices is five executions),
executed on time or late, open and overdue as of a day, carried to a later meeting's agenda; and the
projects and interdepartmental working groups the board runs.

- **Directives issued** count the directives (the board's decisions), by the moment they were
  issued; **executions assigned** count their addressees, so that the summary can say, office by
  office, what each was asked and how it answered. The directives are the region's: they count in
  the region's total only, while an execution counts in the district its office serves (a city's
  office in the city, its districts included; an office or body serving several, the region's own
  office and its departments, in the region's total only).
- **Executed on time / late**: the executions accepted as executed (a DirectiveEvent "accepted",
  entered by the "as of" moment), by the moment of execution (the report that was accepted, which
  lateness judges: lib.deadlines against the end of the deadline day).
- **Open / overdue** are stocks read from the events, not from the current row: an execution is
  open at a moment when its directive was issued by then and no "accepted" event was entered by
  then (accepted is final: board.policy); overdue when, open, its deadline had passed. So "3
  overdue as of 16 October 2025" stays 3 though they were accepted since. At the present moment
  this is board.policy.overdue_at.
- **Carried over**: the directives carried to a later meeting's agenda (a DirectiveEvent "carried"
  in the period), and the executions carried with them (those of their addressees not yet accepted
  when carried).
- **Projects under way, working groups operating**: stocks as of the day, by their dates (a project
  between its start and its end, a group between its creation and its dissolution) among those
  recorded by the moment; the projects by their area, so that "two projects aimed at protecting
  the rights of children" is a figure.
"""

from datetime import datetime

from django.db.models import (
    BooleanField,
    Case,
    Exists,
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
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import District, Organisation
from lib.deadlines import late_at
from lib.metrics import Area, Kind, Metric, MetricGroup, Sentence, Unit, Window

from .models import (
    Directive,
    DirectiveAddressee,
    DirectiveEvent,
    Meeting,
)

EventKind = DirectiveEvent.Kind
DISTRICT = "office_district"  # the annotation naming the district an execution counts in
LATE = "late_as_of"  # the annotation: the deadline had passed at the "as of" moment


# --- where an execution counts --------------------------------------------------------------------


def district_served(organisation: str) -> dict:
    """Annotations giving the district an organisation (the path to it from the row) serves when it
    serves one unit: a district's office its district, a city's office the city (its city districts
    are the city's); None for one serving several units (the region's office, a region-wide body)."""
    served = District.objects.filter(organisations=OuterRef(organisation))
    # Its units: the districts it serves whose parent it does not serve too.
    units = served.exclude(parent__in=District.objects.filter(organisations=OuterRef(OuterRef(organisation))))
    count = units.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    first = units.order_by("pk").values("pk")[:1]
    return {
        "units_served": Subquery(count, output_field=IntegerField()),
        DISTRICT: Case(When(units_served=1, then=Subquery(first)), default=Value(None), output_field=IntegerField()),
    }


def no_district(window: Window | None) -> dict:
    """A directive, a project, a working group is the region's: it counts in the total only."""
    return {DISTRICT: Value(None, output_field=IntegerField())}


def accepted_by(moment, addressee: str = "pk") -> Exists:
    """The execution (the path to it from the row) was accepted as executed by `moment` (entered)."""
    return Exists(DirectiveEvent.objects.filter(kind=EventKind.ACCEPTED, addressee=OuterRef(addressee), at__lte=moment))


def open_at(moment: datetime) -> Q:
    """Over DirectiveAddressee: the executions issued by `moment` and not accepted by then."""
    return Q(directive__issued_at__lte=moment) & ~accepted_by(moment)


def overdue_as_of(moment: datetime) -> Q:
    """Over DirectiveAddressee: board.policy.overdue_at as it stood at `moment`, from the events."""
    return open_at(moment) & late_at(moment)


# --- labels and rows behind a figure -------------------------------------------------------------


def labels(dimension: str, keys: list) -> dict:
    if dimension == "office":
        return {org.code: org.name for org in Organisation.objects.filter(code__in=[key for key in keys if key])}
    choices = {"area": Area, "meeting": Meeting.Kind}.get(dimension)
    return {key: choices(key).label for key in keys if choices and key in choices.values}


def row_link(name: str, pk: int) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:  # a page another part of the board adds
        return ""


def _directive_row(directive: Directive, **more) -> dict:
    return {
        "link": row_link("board:directive", directive.pk),
        "meeting": f"{directive.meeting.held_on:%d.%m.%Y}",
        "number": directive.number,
        "area": str(directive.get_area_display()),
        "deadline": directive.deadline.isoformat(),
        **more,
    }


def _directives_described(rows: QuerySet) -> list[dict]:
    return [_directive_row(directive) for directive in rows.select_related("meeting")]


def _executions_described(path: str = ""):
    """The executions behind a figure (over DirectiveAddressee, or over events: `path` to it)."""

    def describe(rows: QuerySet) -> list[dict]:
        prefix = f"{path}__" if path else ""
        rows = rows.select_related(f"{prefix}directive__meeting", f"{prefix}organisation")
        described = []
        for row in rows:
            execution = getattr(row, path) if path else row
            described.append(
                _directive_row(
                    execution.directive,
                    office=execution.organisation.name,
                    status=str(execution.get_status_display()),
                )
            )
        return described

    return describe


DIRECTIVE_COLUMNS = {
    "meeting": _("meeting"),
    "number": _("item"),
    "area": _("area"),
    "deadline": _("deadline"),
}
EXECUTION_COLUMNS = {**DIRECTIVE_COLUMNS, "office": _("addressee"), "status": _("status now")}


# --- the groups -----------------------------------------------------------------------------------


def board_metric(code, name, definition, order, **more) -> Metric:
    return Metric(code=code, name=name, definition=definition, area=Area.DIRECTIVES, order=order, version=1, **more)


DIRECTIVES = MetricGroup(
    name="board-directives",
    kind=Kind.FLOW,
    queryset=lambda: Directive.objects.all(),
    district=DISTRICT,
    annotate=no_district,
    effective="issued_at",
    recorded="issued_at",
    dimensions={"area": "area", "meeting": "meeting__kind"},
    labels=labels,
    describe_rows=_directives_described,
    columns=DIRECTIVE_COLUMNS,
    metrics=(
        board_metric(
            "board.directives_issued",
            _("Directives issued"),
            _(
                "Directives issued in the period at the board's meetings, coordination meetings and working-group "
                "meetings, one whatever the number of its addressees; by area and by kind of meeting."
            ),
            10,
            dimensions=("area", "meeting"),
        ),
    ),
)


def _executions_annotated(window: Window) -> dict:
    return district_served("organisation")


EXECUTIONS = MetricGroup(
    name="board-executions",
    kind=Kind.FLOW,
    queryset=lambda: DirectiveAddressee.objects.all(),
    district=DISTRICT,
    annotate=_executions_annotated,
    effective="directive__issued_at",
    recorded="directive__issued_at",
    dimensions={"office": "organisation__code", "area": "directive__area"},
    labels=labels,
    describe_rows=_executions_described(),
    columns=EXECUTION_COLUMNS,
    metrics=(
        board_metric(
            "board.executions_assigned",
            _("Executions assigned"),
            _(
                "The addressees of the directives issued in the period: a directive to five offices is five "
                "executions, each followed on its own; by addressee and by area."
            ),
            11,
            dimensions=("office", "area"),
        ),
    ),
)


def _executed_annotated(window: Window) -> dict:
    return district_served("addressee__organisation")


# lib.deadlines' lateness with the moment of execution as the moment judged.
EXECUTED_LATE = late_at(F("addressee__executed_at"), deadline="addressee__deadline_at")

EXECUTED = MetricGroup(
    name="board-executed",
    kind=Kind.FLOW,
    queryset=lambda: DirectiveEvent.objects.filter(kind=EventKind.ACCEPTED, addressee__isnull=False),
    region="directive__region_id",
    district=DISTRICT,
    annotate=_executed_annotated,
    effective="addressee__executed_at",
    recorded="at",
    dimensions={"office": "addressee__organisation__code", "area": "directive__area"},
    labels=labels,
    describe_rows=_executions_described("addressee"),
    columns=EXECUTION_COLUMNS,
    metrics=(
        board_metric(
            "board.executions_executed",
            _("Directives executed"),
            _(
                "Executions accepted as executed, by the moment of execution (the report that was accepted) in "
                "the period, accepted by the “as of” moment; by addressee and by area."
            ),
            20,
            dimensions=("office", "area"),
            rise_is_good=True,
        ),
        board_metric(
            "board.executions_on_time",
            _("Directives executed on time"),
            _("Of the executions executed in the period, those executed by the end of their deadline day."),
            21,
            where=~EXECUTED_LATE,
            dimensions=("office", "area"),
            parent="board.executions_executed",
            rise_is_good=True,
        ),
        board_metric(
            "board.executions_late",
            _("Directives executed late"),
            _("Of the executions executed in the period, those executed after their deadline day."),
            22,
            where=EXECUTED_LATE,
            dimensions=("office", "area"),
            parent="board.executions_executed",
            rise_is_good=False,
        ),
        board_metric(
            "board.executions_on_time_share",
            _("Share of directives executed on time"),
            _("The executions executed on time, in percent of those executed in the period."),
            23,
            unit=Unit.PERCENT,
            ratio=("board.executions_on_time", "board.executions_executed"),
            dimensions=("office", "area"),
            rise_is_good=True,
        ),
    ),
)


def _open_annotated(window: Window) -> dict:
    late = ExpressionWrapper(late_at(window.as_of), output_field=BooleanField())
    return {**district_served("organisation"), LATE: late}


OPEN = MetricGroup(
    name="board-open",
    kind=Kind.STOCK,
    queryset=lambda: DirectiveAddressee.objects.all(),
    district=DISTRICT,
    annotate=_open_annotated,
    state_at=open_at,
    dimensions={"office": "organisation__code", "area": "directive__area"},
    labels=labels,
    describe_rows=_executions_described(),
    columns=EXECUTION_COLUMNS,
    metrics=(
        board_metric(
            "board.executions_open",
            _("Directives under execution"),
            _(
                "Executions of the directives issued by the “as of” moment and not accepted as executed by then "
                "(reported ones waiting for the controller's decision included); by addressee and by area."
            ),
            30,
            dimensions=("office", "area"),
        ),
        board_metric(
            "board.executions_overdue",
            _("Directives overdue"),
            _(
                "Of the executions under execution at the “as of” moment, those whose deadline (the end of the "
                "deadline day in the region's time) had passed by then: read from the directives' events, so a "
                "later acceptance does not change it."
            ),
            31,
            where=Q(**{LATE: True}),
            dimensions=("office", "area"),
            parent="board.executions_open",
            rise_is_good=False,
        ),
    ),
)


def _carried_annotated(window: Window) -> dict:
    return district_served("organisation")


CARRIED_DIRECTIVES = MetricGroup(
    name="board-carried-directives",
    kind=Kind.FLOW,
    queryset=lambda: DirectiveEvent.objects.filter(kind=EventKind.CARRIED),
    region="directive__region_id",
    district=DISTRICT,
    annotate=no_district,
    effective="at",
    recorded="at",
    dimensions={"area": "directive__area"},
    labels=labels,
    describe_rows=lambda rows: _directives_described(Directive.objects.filter(pk__in=rows.values("directive_id"))),
    columns=DIRECTIVE_COLUMNS,
    metrics=(
        board_metric(
            "board.directives_carried",
            _("Directives carried over"),
            _(
                "Directives not executed by all their addressees, carried in the period to a later meeting's "
                "agenda (once for each meeting they are carried to); by area."
            ),
            40,
            dimensions=("area",),
            rise_is_good=False,
        ),
    ),
)


def _carried_executions() -> QuerySet:
    """One row per execution and carrying of its directive (the same join gives the moment), for the
    executions not accepted when carried."""
    carried = DirectiveAddressee.objects.filter(directive__events__kind=EventKind.CARRIED).annotate(
        carried_at=F("directive__events__at")
    )
    return carried.filter(~accepted_by(OuterRef("carried_at")))


CARRIED_EXECUTIONS = MetricGroup(
    name="board-carried-executions",
    kind=Kind.FLOW,
    queryset=_carried_executions,
    district=DISTRICT,
    annotate=_carried_annotated,
    effective="carried_at",
    recorded="carried_at",
    dimensions={"office": "organisation__code", "area": "directive__area"},
    labels=labels,
    describe_rows=_executions_described(),
    columns=EXECUTION_COLUMNS,
    metrics=(
        board_metric(
            "board.executions_carried",
            _("Executions carried over"),
            _(
                "The executions not yet accepted when their directive was carried, in the period, to a later "
                "meeting's agenda; by addressee and by area."
            ),
            41,
            dimensions=("office", "area"),
            parent="board.directives_carried",
            rise_is_good=False,
        ),
    ),
)


# --- the summary's sentences (reporting.sentences) -------------------------------------------------
#
# In the reference documents' tone ("Following the results of the board meeting, the regional
# prosecutor issued a series of directives..."). One fact a sentence, so that a kind without any is
# left out rather than written as zero.

SENTENCES = (
    Sentence(
        code="board.directives",
        area=Area.DIRECTIVES,
        order=10,
        kk="Алқа отырыстарының қорытындысы бойынша облыс прокуроры {board.directives_issued|тапсырма} берді.",
        ru="По итогам заседаний коллегии прокурором области дано {board.directives_issued|поручение}.",
        en="Following the results of the board meetings, the regional prosecutor issued "
        "{board.directives_issued|directive/directives}.",
    ),
    Sentence(
        code="board.executed",
        area=Area.DIRECTIVES,
        order=20,
        kk="{board.executions_on_time|тапсырма} белгіленген мерзімде орындалды.",
        ru="В установленный срок исполнено {board.executions_on_time|поручение}.",
        en="{board.executions_on_time|directive/directives} executed on time.",
    ),
    Sentence(
        code="board.executed_late",
        area=Area.DIRECTIVES,
        order=21,
        kk="{board.executions_late|тапсырма} мерзімі бұзылып орындалды.",
        ru="С нарушением срока исполнено {board.executions_late|поручение}.",
        en="{board.executions_late|directive/directives} executed late.",
    ),
    Sentence(
        code="board.overdue",
        area=Area.DIRECTIVES,
        order=30,
        kk="Орындау мерзімі өткен {board.executions_overdue|тапсырма} бақылауда қалып отыр.",
        ru="На контроле остаётся {board.executions_overdue|поручение} с истёкшим сроком исполнения.",
        en="{board.executions_overdue|overdue directive/overdue directives} remain under control.",
    ),
    Sentence(
        code="board.carried",
        area=Area.DIRECTIVES,
        order=40,
        kk="Орындалмаған {board.directives_carried|тапсырма} келесі отырыстың күн тәртібіне шығарылды.",
        ru="На повестку следующего заседания перенесено неисполненных поручений: {board.directives_carried}.",
        en="{board.directives_carried|unexecuted directive/unexecuted directives} carried over to the next "
        "meeting's agenda.",
    ),
    Sentence(
        code="board.working_groups",
        area=Area.DIRECTIVES,
        order=50,
        kk="Облыс прокуратурасы жанында {board.working_groups|ведомствоаралық жұмыс тобы} жұмыс істейді.",
        ru="Количество межведомственных рабочих групп, действующих при прокуратуре области, — {board.working_groups}.",
        en="{board.working_groups|interdepartmental working group/interdepartmental working groups} in operation "
        "under the regional prosecutor's office.",
    ),
    Sentence(
        code="board.projects_children",
        area=Area.DIRECTIVES,
        order=51,
        kk="Балалардың құқықтарын қорғауға бағытталған {board.projects_children|жоба} жүзеге асырылуда.",
        ru="Количество реализуемых проектов, направленных на защиту прав детей, — {board.projects_children}.",
        en="{board.projects_children|project/projects} aimed at protecting the rights of children being implemented.",
    ),
)
