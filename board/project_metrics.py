"""The board's figures of its projects and interdepartmental working groups (lib.metrics; the
directives' figures are board.metrics'): the projects under way and those protecting children's
rights, the working groups operating, each as it stood on the "as of" day, read from the dated
events (a project's status changes, a group's dissolution) entered by the moment."""

from datetime import datetime

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from lib.metrics import Area, Kind, MetricGroup, Window

from .metrics import DISTRICT, board_metric, labels, no_district, row_link
from .models import Project, ProjectEvent, WorkingGroup, WorkingGroupEvent

# A project's status on a day is that of its latest status event dated by the day (`data["on"]`),
# as board.services.projects reads it (status_on): its creation and its dated changes of status.
PROJECT_STATES = (ProjectEvent.Kind.CREATED, ProjectEvent.Kind.STATUS)
ON, TO = "status_on", "status_to"


def _text(key: str) -> Cast:
    """A key of the event's data as text (a plain text, so that its lookups compare texts)."""
    return Cast(KT(f"data__{key}"), output_field=CharField())


def _project_event_fields(window: Window | None = None) -> dict:
    return {ON: _text("on"), TO: _text("to"), **no_district(window)}


def project_state_at(moment: datetime) -> Q:
    """Over ProjectEvent (annotated): each project's status at `moment`, the latest of its status
    events dated by the moment's day and entered by the moment (by day, entry, id)."""
    day = moment.date().isoformat()  # the window's moments are in the region's zone: their dates are its days
    known = Q(kind__in=PROJECT_STATES, **{f"{ON}__lte": day}, at__lte=moment)
    later = (
        ProjectEvent.objects.annotate(**{ON: _text("on")})
        .filter(known, project=OuterRef("project"))
        .filter(
            Q(**{f"{ON}__gt": OuterRef(ON)})
            | Q(**{ON: OuterRef(ON)}, at__gt=OuterRef("at"))
            | Q(**{ON: OuterRef(ON)}, at=OuterRef("at"), pk__gt=OuterRef("pk"))
        )
    )
    return known & ~Exists(later)


def group_operating_at(moment: datetime) -> Q:
    """Over WorkingGroup: recorded by `moment` and created by its day, and not dissolved by then (a
    dissolution dated by the day and entered by the moment)."""
    day = moment.date()
    dissolved = WorkingGroupEvent.objects.filter(
        kind=WorkingGroupEvent.Kind.DISSOLVED, group=OuterRef("pk"), at__lte=moment
    )
    return Q(created_at__lte=moment, created_on__lte=day) & ~(Q(dissolved_on__lte=day) & Exists(dissolved))


def _status_label(status) -> str:
    return str(Project.Status(status).label) if status in Project.Status.values else ""


def _projects_described(events: QuerySet) -> list[dict]:
    """The projects behind a figure, with their status as it stood then (the event's)."""
    described = []
    for event in events.select_related("project"):
        project = event.project
        described.append(
            {
                "link": row_link("board:project", project.pk),
                "name": project.name,
                "area": str(project.get_area_display()) if project.area else "",
                "status": _status_label(event.data.get("to")),
                "date": event.data.get("on", ""),
            }
        )
    return described


def _groups_described(rows: QuerySet) -> list[dict]:
    return [
        {
            "link": row_link("board:working_group", group.pk),
            "name": group.name,
            "lead": group.lead.name,
            "start": group.created_on.isoformat(),
            "end": group.dissolved_on.isoformat() if group.dissolved_on else "",
        }
        for group in rows.select_related("lead")
    ]


PROJECTS = MetricGroup(
    name="board-projects",
    kind=Kind.STOCK,
    queryset=lambda: ProjectEvent.objects.all(),
    region="project__region_id",
    district=DISTRICT,
    annotate=_project_event_fields,
    state_at=project_state_at,
    dimensions={"area": "project__area"},
    labels=labels,
    describe_rows=_projects_described,
    columns={"name": _("project"), "area": _("area"), "status": _("status"), "date": _("since")},
    metrics=(
        board_metric(
            "board.projects_under_way",
            _("Projects under way"),
            _(
                "The projects the board runs with its partners that were under way on the “as of” day, by their "
                "changes of status dated by that day and entered in Tartip by then; by area."
            ),
            50,
            where=Q(**{TO: Project.Status.ACTIVE}),
            dimensions=("area",),
        ),
        board_metric(
            "board.projects_children",
            _("Projects protecting children's rights"),
            _("Of the projects under way on the “as of” day, those of the area of children's rights."),
            51,
            where=Q(**{TO: Project.Status.ACTIVE}, project__area=Area.CHILDREN),
            parent="board.projects_under_way",
        ),
    ),
)

WORKING_GROUPS = MetricGroup(
    name="board-working-groups",
    kind=Kind.STOCK,
    queryset=lambda: WorkingGroup.objects.all(),
    district=DISTRICT,
    annotate=no_district,
    state_at=group_operating_at,
    dimensions={"office": "lead__code"},
    labels=labels,
    describe_rows=_groups_described,
    columns={
        "name": _("working group"),
        "lead": _("office it works under"),
        "start": _("created"),
        "end": _("dissolved"),
    },
    metrics=(
        board_metric(
            "board.working_groups",
            _("Interdepartmental working groups operating"),
            _(
                "Interdepartmental working groups created by the “as of” day and not dissolved by then (by the "
                "dates recorded by then); by the office each works under."
            ),
            52,
            dimensions=("office",),
        ),
    ),
)
