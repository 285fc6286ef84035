"""The figures of investment projects under supervision and of social facilities built from
returned assets, for the results summary (lib.metrics; docs/supervision.md).

Both are **stocks** counted from their dated events (ProjectEvent, FacilityEvent), each carrying the
record's state after the change: a record's state at a moment is its latest event dated by that
moment's local day (`on`) and entered in Tartip by the moment itself (`at`), the latest by
(`on`, `at`, id). So "110 projects under supervision" or "12 facilities, 4 completed" read as of 16
October 2025 stay what they were that day: a facility completed in November, or a completion dated
in October but entered on 20 October, is not completed as of 16 October.

The problems solved on the projects are a **flow**: the "problems" events dated in the period and
entered by the "as of" moment. A project's problems events carry no state: the stock reads its
recording and its changes of status only.
"""

from datetime import datetime

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lib.metrics import Area, Hedging, Kind, Metric, MetricGroup, Sentence, Unit

from .models import FacilityEvent, InvestmentProject, ProjectEvent, SocialFacility
from .stocks import latest_by

PROJECT_STATES = (ProjectEvent.Kind.RECORDED, ProjectEvent.Kind.STATUS)


def project_state_at(moment: datetime) -> Q:
    """Over ProjectEvent: each project's state at `moment` (none for a project not yet recorded)."""
    return latest_by(ProjectEvent, "project", moment, kind__in=PROJECT_STATES)


def facility_state_at(moment: datetime) -> Q:
    """Over FacilityEvent: each facility's state at `moment` (none for one not yet recorded)."""
    return latest_by(FacilityEvent, "facility", moment)


def _labels(dimension: str, keys: list) -> dict:
    choices = {
        "level": InvestmentProject.Level,
        "status": InvestmentProject.Status,
        "facility_status": SocialFacility.Status,
        "type": SocialFacility.Type,
    }.get(dimension)
    if choices is None:
        return {}
    return {key: choices(key).label for key in keys if key in choices.values}


def _projects_described(events: QuerySet) -> list[dict]:
    """The projects behind a figure, with their status as it stood then (the event's)."""
    described = []
    for event in events.select_related("project__district"):
        project = event.project
        described.append(
            {
                "link": reverse("supervision:project_detail", args=[project.pk]),
                "name": project.name,
                "investor": project.investor,
                "district": project.district.name,
                "level": str(project.get_level_display()),
                "status": str(InvestmentProject.Status(event.status).label),
                "date": event.on.isoformat(),
            }
        )
    return described


def _facilities_described(events: QuerySet) -> list[dict]:
    """The facilities behind a figure, with their status and percent done as they stood then."""
    described = []
    for event in events.select_related("facility__district"):
        facility = event.facility
        described.append(
            {
                "link": reverse("supervision:facility_detail", args=[facility.pk]),
                "name": facility.name,
                "type": str(facility.get_type_display()),
                "district": facility.district.name,
                "status": str(SocialFacility.Status(event.status).label),
                "percent": event.percent_done,
                "date": event.on.isoformat(),
            }
        )
    return described


PROJECTS = MetricGroup(
    name="supervision-projects",
    kind=Kind.STOCK,
    queryset=lambda: ProjectEvent.objects.all(),
    region="project__region_id",
    district="project__district_id",
    state_at=project_state_at,
    dimensions={"level": "project__level", "status": "status"},
    labels=_labels,
    describe_rows=_projects_described,
    columns={
        "name": _("project"),
        "investor": _("investor"),
        "district": _("district"),
        "level": _("level"),
        "status": _("status"),
        "date": _("since"),
    },
    metrics=(
        Metric(
            code="business.projects_supervised",
            name=_("Investment projects under supervision"),
            definition=_(
                "Investment projects of regional and national level under the prosecutor's office's supervision as "
                "they stood at the end of the “as of” day: taken under supervision, and not commissioned or removed, "
                "by changes dated by that day and entered in Tartip by then."
            ),
            area=Area.BUSINESS,
            where=Q(status=InvestmentProject.Status.SUPERVISED),
            rise_is_good=None,
            hedging=Hedging.EXACT,
            dimensions=("level",),
            order=10,
        ),
        Metric(
            code="business.projects_amount",
            name=_("Investments of the projects under supervision"),
            definition=_(
                "The investments (in tenge) of the investment projects under supervision at the end of the “as of” "
                "day, as recorded with each project."
            ),
            unit=Unit.TENGE,
            area=Area.BUSINESS,
            where=Q(status=InvestmentProject.Status.SUPERVISED),
            sums="project__amount",
            rise_is_good=None,
            hedging=Hedging.ABOUT,
            dimensions=("level",),
            order=11,
        ),
    ),
)

PROBLEMS = MetricGroup(
    name="supervision-project-problems",
    kind=Kind.FLOW,
    queryset=lambda: ProjectEvent.objects.filter(kind=ProjectEvent.Kind.PROBLEMS),
    region="project__region_id",
    district="project__district_id",
    effective="on",  # a local day, compared with the window's days
    effective_is_day=True,
    recorded="at",
    dimensions={"level": "project__level"},
    labels=_labels,
    describe_rows=_projects_described,
    columns={
        "name": _("project"),
        "investor": _("investor"),
        "district": _("district"),
        "level": _("level"),
        "status": _("status"),
        "date": _("date"),
    },
    metrics=(
        Metric(
            code="business.problems_solved",
            name=_("Problems of investment projects solved"),
            definition=_(
                "Problems of investment projects under supervision solved with the prosecutor's office's "
                "intervention, dated in the period and entered in Tartip by the end of the “as of” day."
            ),
            area=Area.BUSINESS,
            sums="problems_added",
            rise_is_good=True,
            hedging=Hedging.EXACT,
            dimensions=("level",),
            order=12,
        ),
    ),
)

FACILITIES = MetricGroup(
    name="supervision-facilities",
    kind=Kind.STOCK,
    queryset=lambda: FacilityEvent.objects.all(),
    region="facility__region_id",
    district="facility__district_id",
    state_at=facility_state_at,
    dimensions={"facility_status": "status", "type": "facility__type"},
    labels=_labels,
    describe_rows=_facilities_described,
    columns={
        "name": _("facility"),
        "type": _("type"),
        "district": _("district"),
        "status": _("status"),
        "percent": _("percent done"),
        "date": _("since"),
    },
    metrics=(
        Metric(
            code="returned_assets.facilities",
            name=_("Social facilities built from returned assets"),
            definition=_(
                "Social facilities paid for by assets returned to the state through the prosecutor's office, "
                "recorded by the end of the “as of” day, whatever their stage (planned, under construction, "
                "completed) as it stood then."
            ),
            area=Area.RETURNED_ASSETS,
            rise_is_good=True,
            hedging=Hedging.EXACT,
            dimensions=("facility_status", "type"),
            order=10,
        ),
        Metric(
            code="returned_assets.facilities_completed",
            name=_("Social facilities completed"),
            definition=_(
                "Of the social facilities built from returned assets, those completed (all work done, with the date of "
                "completion) by changes dated by the end of the “as of” day and entered in Tartip by then."
            ),
            area=Area.RETURNED_ASSETS,
            where=Q(status=SocialFacility.Status.COMPLETED),
            rise_is_good=True,
            hedging=Hedging.EXACT,
            parent="returned_assets.facilities",
            dimensions=("type",),
            order=11,
        ),
        Metric(
            code="returned_assets.facilities_amount",
            name=_("Cost of the social facilities built from returned assets"),
            definition=_(
                "The amount (in tenge) of returned assets allotted to the social facilities recorded by the end of "
                "the “as of” day."
            ),
            unit=Unit.TENGE,
            area=Area.RETURNED_ASSETS,
            sums="facility__amount",
            rise_is_good=True,
            hedging=Hedging.ABOUT,
            dimensions=("facility_status",),
            order=12,
        ),
    ),
)


# --- the summary's sentences (reporting.sentences) -------------------------------------------------

SENTENCES = (
    Sentence(
        code="business.projects",
        area=Area.BUSINESS,
        order=10,
        kk="Прокуратураның қадағалауында өңірлік және республикалық деңгейдегі "
        "{business.projects_supervised|инвестициялық жоба} бар.",
        ru="На надзоре прокуратуры находится {business.projects_supervised|проект} инвестиционной сферы "
        "регионального и республиканского уровня.",
        en="The prosecutor's office oversees {business.projects_supervised|investment project/investment projects} "
        "of regional and national level.",
    ),
    Sentence(
        code="business.problems",
        area=Area.BUSINESS,
        order=11,
        kk="Прокуратураның араласуымен осы жобалар бойынша {business.problems_solved|мәселе} шешілді.",
        ru="Количество проблем, решённых по этим проектам при содействии прокуратуры, — {business.problems_solved}.",
        en="The prosecutor's office helped solve {business.problems_solved|problem/problems} of these projects.",
    ),
    Sentence(
        code="returned_assets.facilities",
        area=Area.RETURNED_ASSETS,
        order=10,
        kk="Прокуратура органдары мемлекетке қайтарған активтер есебінен өңірде "
        "{returned_assets.facilities|әлеуметтік нысан} салынуда, оның ішінде "
        "{returned_assets.facilities_completed} нысан пайдалануға берілді.",
        ru="За счёт активов, возвращённых государству органами прокуратуры, в регионе возводится "
        "{returned_assets.facilities|объект} социального назначения, из них завершено — "
        "{returned_assets.facilities_completed}.",
        en="Assets returned to the state by the prosecutor's offices pay for "
        "{returned_assets.facilities|social facility/social facilities} in the region, "
        "{returned_assets.facilities_completed} of them completed.",
    ),
    Sentence(
        code="returned_assets.facilities_amount",
        area=Area.RETURNED_ASSETS,
        order=11,
        kk="Оларға бөлінген қаражат — {returned_assets.facilities_amount}.",
        ru="На них направлено {returned_assets.facilities_amount}.",
        en="They are allotted {returned_assets.facilities_amount}.",
    ),
)
