"""Projects the board runs with its partners and the interdepartmental working groups.

A project is recorded planned or under way; each later change of its status is a ProjectEvent
STATUS dated by the day it took effect (`data`: "from", "to", "on"), so "the projects under way on
a day" is read from the events for any day (status_on, projects_under_way) and never from the
project's row, which only holds its status now. The creation event carries the first status and
its day the same way.

A working group's creation, changes, changes of members and dissolution are WorkingGroupEvents.

Who: the board's keepers of the project's region (board.policy.may_keep_projects). Partners and
members are organisations of the region; a national partner (a bank, the National Bank's antifraud
centre: no region) may be a project's partner, not a working group's member.
"""

import re
from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from accounts.zones import local_date, region_id_zone
from lib import plugins
from lib.metrics import Area

from ..models import Project, ProjectEvent, WorkingGroup, WorkingGroupEvent
from ..policy import may_keep_projects
from . import Refused

Status = Project.Status
NAMES = ("name_kk", "name_ru", "name_en")
DESCRIPTIONS = ("description_kk", "description_ru", "description_en")
CODE = re.compile(r"^[a-z0-9]+(?:[_-][a-z0-9]+)*$")
CODE_MAX = 40
NAME_MAX = 200
DESCRIPTION_MAX = 4000
# A project is recorded as it stands when it is entered; its later statuses are dated changes.
FIRST_STATUSES = (Status.PLANNED, Status.ACTIVE)
# The statuses a project carries into its creation event and its status changes.
STATUS_KINDS = (ProjectEvent.Kind.CREATED, ProjectEvent.Kind.STATUS)


def _require_keeper(actor, region_id: int) -> None:
    if not may_keep_projects(actor, region_id):
        raise PermissionDenied(
            _("Only the regional prosecutor or the board's secretary keeps the board's projects and working groups.")
        )


def _add(problems: dict, field: str, message: str) -> None:
    problems.setdefault(field, []).append(message)


def _day_text(day: date) -> str:
    return f"{day:%d.%m.%Y}"


def _names_check(record, problems: dict) -> None:
    for field in NAMES:
        setattr(record, field, getattr(record, field).strip())
        if len(getattr(record, field)) > NAME_MAX:
            _add(problems, field, _("A name has at most %(limit)d characters.") % {"limit": NAME_MAX})
    if not any(getattr(record, field) for field in NAMES):
        _add(problems, "name_en", _("Write the name in at least one language."))


def known_metric_codes() -> set[str]:
    """The codes of the platform's metrics: those the apps compute (lib.plugins.metric_groups) and
    those the districts submit (the catalogue's, lib.plugins.submitted_catalogue)."""
    computed = {metric.code for group in plugins.metric_groups() for metric in group.metrics}
    submitted = {metric.code for metric in plugins.submitted_catalogue()[0]}
    return computed | submitted


def _metric_codes(codes: Iterable[str], problems: dict) -> list[str]:
    codes = sorted({code.strip() for code in codes if code and code.strip()})
    unknown = sorted(set(codes) - known_metric_codes())
    if unknown:
        _add(
            problems,
            "metric_codes",
            _("No metric of the catalogue has the code %(codes)s.") % {"codes": ", ".join(unknown)},
        )
    return codes


def _partners_check(region_id: int, partners: list[Organisation], problems: dict) -> None:
    # A national partner (no region) works with every region's projects.
    def national(org) -> bool:
        return org.region_id is None and org.kind == Organisation.Kind.PARTNER

    if any(org.region_id != region_id and not national(org) for org in partners):
        _add(problems, "partners", _("A partner belongs to another region."))


def _project_check(project: Project, problems: dict) -> None:
    _names_check(project, problems)
    for field in DESCRIPTIONS:
        setattr(project, field, getattr(project, field).strip())
        if len(getattr(project, field)) > DESCRIPTION_MAX:
            _add(problems, field, _("A description has at most %(limit)d characters.") % {"limit": DESCRIPTION_MAX})
    project.code = (project.code or "").strip().lower()
    if not CODE.match(project.code) or len(project.code) > CODE_MAX:
        _add(
            problems,
            "code",
            _("Give the project a code of Latin letters and digits, words joined by “_” or “-”: without_fraud."),
        )
    elif Project.objects.filter(region_id=project.region_id, code=project.code).exclude(pk=project.pk).exists():
        _add(problems, "code", _("Another project of the region has this code."))
    if project.area and project.area not in Area.values:
        _add(problems, "area", _("Choose the project's area."))
    if project.lead_id is None:
        _add(problems, "lead", _("Choose the office that leads the project."))
    elif project.lead.region_id != project.region_id:
        _add(problems, "lead", _("The leading office belongs to another region."))
    if not isinstance(project.started_on, date):
        _add(problems, "started_on", _("Enter the project's start."))
    elif project.ended_on is not None and project.ended_on < project.started_on:
        _add(problems, "ended_on", _("The project cannot end before it starts."))


def _event(project: Project, kind: str, actor, now: datetime, **data) -> ProjectEvent:
    return ProjectEvent.objects.create(project=project, kind=kind, actor=actor, at=now, data=data)


@transaction.atomic
def project_create(
    *,
    actor,
    region,
    code: str,
    lead: Organisation | None,
    started_on: date,
    name_kk: str = "",
    name_ru: str = "",
    name_en: str = "",
    description_kk: str = "",
    description_ru: str = "",
    description_en: str = "",
    partners: Iterable[Organisation] = (),
    ended_on: date | None = None,
    status: str = Status.ACTIVE,
    area: str = "",
    metric_codes: Iterable[str] = (),
    now: datetime | None = None,
) -> Project:
    """A project of `region`, planned or under way. Refused: no name in any language, a code not
    a slug or taken in the region, an end before the start, a leading office or a partner of
    another region, a metric code the catalogue does not know, a project under way that has not
    started yet."""
    _require_keeper(actor, region.pk)
    now = now or timezone.now()
    today = local_date(now, region)
    project = Project(
        region=region,
        code=code,
        lead=lead,
        started_on=started_on,
        ended_on=ended_on,
        status=status,
        area=area,
        name_kk=name_kk,
        name_ru=name_ru,
        name_en=name_en,
        description_kk=description_kk,
        description_ru=description_ru,
        description_en=description_en,
        created_at=now,
    )
    problems: dict = {}
    _project_check(project, problems)
    partners = list(dict.fromkeys(partners))
    _partners_check(region.pk, partners, problems)
    project.metric_codes = _metric_codes(metric_codes, problems)
    if status not in FIRST_STATUSES:
        _add(
            problems,
            "status",
            _("Record a project as planned or under way; a later status is a change dated when it happened."),
        )
    elif status == Status.ACTIVE and isinstance(started_on, date) and started_on > today:
        _add(problems, "status", _("A project starting after today is recorded as planned."))
    if problems:
        raise Refused(problems)
    project.save()
    project.partners.set(partners)
    # Under way from its start; planned from the day it is recorded.
    on = started_on if status == Status.ACTIVE else today
    _event(project, ProjectEvent.Kind.CREATED, actor, now, to=status, on=on.isoformat())
    return project


def _last_status_day(project: Project) -> date | None:
    days = [event.data.get("on") for event in project.events.filter(kind__in=STATUS_KINDS)]
    days = [date.fromisoformat(day) for day in days if day]
    return max(days) if days else None


CHANGEABLE = {"code", "area", "lead", "partners", "started_on", "ended_on", "metric_codes", *NAMES, *DESCRIPTIONS}


@transaction.atomic
def project_change(
    *,
    actor,
    project: Project,
    status: str | None = None,
    status_on: date | None = None,
    note: str = "",
    now: datetime | None = None,
    **changes,
) -> Project:
    """Change the project's names, descriptions, code, leading office, partners, dates or metrics
    (one CHANGED event with what they were), and/or its status as of `status_on` (a STATUS event
    "from", "to", "on"; `status_on` defaults to today). Completing a project ends it on that day
    unless it has an end already; taking a completed one up again clears its end. A status change
    is dated on or after the project's start and its last change of status, and not after today."""
    _require_keeper(actor, project.region_id)
    unknown = set(changes) - CHANGEABLE
    if unknown:
        raise ValueError(f"not a project's field: {sorted(unknown)}")
    now = now or timezone.now()
    project = Project.objects.select_for_update().get(pk=project.pk)
    problems: dict = {}
    before = {}
    partners = None
    for field, value in changes.items():
        if field == "partners":
            partners = list(dict.fromkeys(value))
            if set(partners) != set(project.partners.all()):
                before["partners"] = sorted(project.partners.values_list("code", flat=True))
            continue
        if field == "metric_codes":
            value = _metric_codes(value, problems)
        value = value.strip() if isinstance(value, str) else value
        if getattr(project, field) != value:
            before[field] = str(getattr(project, field))
            setattr(project, field, value)
    if partners is not None:
        _partners_check(project.region_id, partners, problems)
    status_from = project.status
    changes_status = status is not None and status != project.status
    if changes_status:
        status_on = _status_check(
            project, status, status_on, local_date(now, region_id_zone(project.region_id)), problems
        )
    _project_check(project, problems)
    if problems:
        raise Refused(problems)
    if changes_status:
        project.status = status
        if status == Status.COMPLETED and project.ended_on is None:
            project.ended_on = status_on
        elif status_from == Status.COMPLETED:
            project.ended_on = None
    if not before and not changes_status:
        return project
    project.save()
    if partners is not None:
        project.partners.set(partners)
    if before:
        _event(project, ProjectEvent.Kind.CHANGED, actor, now, before=before)
    if changes_status:
        data = {"from": status_from, "to": status, "on": status_on.isoformat()}
        if note.strip():
            data["note"] = note.strip()
        _event(project, ProjectEvent.Kind.STATUS, actor, now, **data)
    return project


def _status_check(project: Project, status: str, on: date | None, today: date, problems: dict) -> date:
    on = on or today
    if status not in Status.values:
        _add(problems, "status", _("Choose the project's status."))
    if on > today:
        _add(problems, "status_on", _("A change of status is dated today or earlier."))
    if isinstance(project.started_on, date) and on < project.started_on and status != Status.PLANNED:
        _add(
            problems,
            "status_on",
            _("The project starts on %(date)s: its status changes on or after its start.")
            % {"date": _day_text(project.started_on)},
        )
    last = _last_status_day(project)
    if last is not None and on < last:
        _add(
            problems,
            "status_on",
            _("The project's last change of status is dated %(date)s: a new one is dated on or after it.")
            % {"date": _day_text(last)},
        )
    return on


# --- the status as it stood on a day ----------------------------------------------------------------


def status_on(project: Project, day: date) -> str | None:
    """The project's status on `day`, read from its dated events (None before it was recorded as
    planned or started)."""
    events = [event for event in project.events.all() if event.kind in STATUS_KINDS]
    return _status_from(events, day)


def _status_from(events: list[ProjectEvent], day: date) -> str | None:
    dated = [
        (event.data["on"], event.at, event.pk, event.data["to"])
        for event in events
        if event.data.get("on") and event.data["on"] <= day.isoformat()
    ]
    return max(dated)[3] if dated else None


def projects_under_way(region_id: int, day: date) -> list[Project]:
    """The region's projects under way on `day` (the stock "projects under way as of a date")."""
    projects = Project.objects.filter(region_id=region_id).prefetch_related("events")
    return [
        project
        for project in projects
        if _status_from([e for e in project.events.all() if e.kind in STATUS_KINDS], day) == Status.ACTIVE
    ]


# --- working groups ---------------------------------------------------------------------------------

GROUP_CHANGEABLE = {"lead", "members", "people", "projects", "created_on", "dissolved_on", *NAMES}
PEOPLE_MAX = 4000


def _group_event(group: WorkingGroup, kind: str, actor, now: datetime, **data) -> WorkingGroupEvent:
    return WorkingGroupEvent.objects.create(group=group, kind=kind, actor=actor, at=now, data=data)


def _group_check(group: WorkingGroup, members: list, projects: list, problems: dict) -> None:
    _names_check(group, problems)
    group.people = (group.people or "").strip()
    if len(group.people) > PEOPLE_MAX:
        _add(
            problems,
            "people",
            _("The list of members by name has at most %(limit)d characters.") % {"limit": PEOPLE_MAX},
        )
    if group.lead_id is None:
        _add(problems, "lead", _("Choose the office the working group works under."))
    elif group.lead.region_id != group.region_id:
        _add(problems, "lead", _("The office belongs to another region."))
    if not members:
        _add(problems, "members", _("Name the offices and bodies that sit in the working group."))
    elif any(org.region_id != group.region_id for org in members):
        _add(problems, "members", _("A member belongs to another region."))
    if any(project.region_id != group.region_id for project in projects):
        _add(problems, "projects", _("The project belongs to another region."))
    if not isinstance(group.created_on, date):
        _add(problems, "created_on", _("Enter the day the working group was created."))
    elif group.dissolved_on is not None and group.dissolved_on < group.created_on:
        _add(problems, "dissolved_on", _("The working group cannot be dissolved before it was created."))


@transaction.atomic
def working_group_create(
    *,
    actor,
    region,
    lead: Organisation | None,
    members: Iterable[Organisation],
    created_on: date,
    dissolved_on: date | None = None,
    name_kk: str = "",
    name_ru: str = "",
    name_en: str = "",
    people: str = "",
    projects: Iterable[Project] = (),
    now: datetime | None = None,
) -> WorkingGroup:
    """An interdepartmental working group of `region`, its member offices and bodies (of the
    region) and the projects it runs."""
    _require_keeper(actor, region.pk)
    now = now or timezone.now()
    group = WorkingGroup(
        region=region,
        lead=lead,
        created_on=created_on,
        dissolved_on=dissolved_on,
        name_kk=name_kk,
        name_ru=name_ru,
        name_en=name_en,
        people=people,
        created_at=now,
    )
    members, projects = list(dict.fromkeys(members)), list(dict.fromkeys(projects))
    problems: dict = {}
    _group_check(group, members, projects, problems)
    if problems:
        raise Refused(problems)
    group.save()
    group.members.set(members)
    group.projects.set(projects)
    _group_event(group, WorkingGroupEvent.Kind.CREATED, actor, now, members=sorted(org.code for org in members))
    if dissolved_on is not None:
        # Recorded after it was dissolved: its dissolution is an event, as a later one is (board.metrics).
        _group_event(group, WorkingGroupEvent.Kind.DISSOLVED, actor, now, on=dissolved_on.isoformat())
    return group


@transaction.atomic
def working_group_change(*, actor, group: WorkingGroup, now: datetime | None = None, **changes) -> WorkingGroup:
    """Change the group's names, office, members, members by name, projects or dates: the members
    added and removed are a MEMBERS event, a dissolution a DISSOLVED event, the rest one CHANGED
    event with what it was."""
    _require_keeper(actor, group.region_id)
    unknown = set(changes) - GROUP_CHANGEABLE
    if unknown:
        raise ValueError(f"not a working group's field: {sorted(unknown)}")
    now = now or timezone.now()
    group = WorkingGroup.objects.select_for_update().get(pk=group.pk)
    members_before = list(group.members.all())
    projects_before = list(group.projects.all())
    members = list(dict.fromkeys(changes.pop("members", members_before)))
    projects = list(dict.fromkeys(changes.pop("projects", projects_before)))
    before = {}
    dissolved = None
    for field, value in changes.items():
        value = value.strip() if isinstance(value, str) else value
        if getattr(group, field) != value:
            if field == "dissolved_on" and group.dissolved_on is None:
                dissolved = value
            else:
                before[field] = str(getattr(group, field))
            setattr(group, field, value)
    if set(projects) != set(projects_before):
        before["projects"] = sorted(project.code for project in projects_before)
    problems: dict = {}
    _group_check(group, members, projects, problems)
    if problems:
        raise Refused(problems)
    added = sorted(org.code for org in set(members) - set(members_before))
    removed = sorted(org.code for org in set(members_before) - set(members))
    if not (before or added or removed or dissolved):
        return group
    group.save()
    group.members.set(members)
    group.projects.set(projects)
    if before:
        _group_event(group, WorkingGroupEvent.Kind.CHANGED, actor, now, before=before)
    if added or removed:
        _group_event(group, WorkingGroupEvent.Kind.MEMBERS, actor, now, added=added, removed=removed)
    if dissolved:
        _group_event(group, WorkingGroupEvent.Kind.DISSOLVED, actor, now, on=dissolved.isoformat())
    return group
