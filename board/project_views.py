"""Pages of the board's projects and interdepartmental working groups.

/board/projects/ (both lists, scoped by board.scoping.projects_for and working_groups_for),
/board/projects/new/, /board/projects/<id>/ (partners, status history, the directives pointing to
it with their executions, the outreach logged for it, its metrics month by month, and the keepers'
forms), /board/projects/<id>/change/, /board/projects/<id>/status/; /board/groups/new/,
/board/groups/<id>/ (members, meetings, projects), /board/groups/<id>/change/.

Readers are the board's (board.policy.reads_board): citizens and partners get 403; a project or a
group out of the reader's scope answers 404. Recording and changing is the region's keepers'
(board.policy.may_keep_projects): others get 403. Bad input comes back on its form with the
service's reason, and nothing is saved.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import get_in_scope_or_404
from accounts.models import Organisation
from lib.forms import written_through

from .models import DirectiveAddressee, Meeting, Project, WorkingGroup
from .policy import keeps_board, may_keep_projects, reads_board
from .project_forms import ProjectForm, ProjectStatusForm, WorkingGroupForm
from .project_selectors import as_table, local_today, project_metrics, project_outreach
from .scoping import projects_for, working_groups_for
from .services.projects import project_change, project_create, working_group_change, working_group_create

PROJECT_FIELDS = (
    "name_kk",
    "name_ru",
    "name_en",
    "code",
    "area",
    "description_kk",
    "description_ru",
    "description_en",
    "lead",
    "partners",
    "started_on",
    "ended_on",
    "metric_codes",
)
GROUP_FIELDS = ("name_kk", "name_ru", "name_en", "lead", "members", "people", "projects", "created_on", "dissolved_on")


def _require_reader(user) -> None:
    if not reads_board(user):
        raise PermissionDenied


def _keeper_region(user) -> int:
    """The region a keeper records projects and groups for (their office's); 403 for others."""
    _require_reader(user)
    if not keeps_board(user) or not user.organisation_id or user.organisation.region_id is None:
        raise PermissionDenied
    return user.organisation.region_id


def _visible_project(request, pk: int) -> Project:
    _require_reader(request.user)
    visible = projects_for(request.user, Project.objects.select_related("lead", "region"))
    return get_in_scope_or_404(request, visible, pk=pk)


def _visible_group(request, pk: int) -> WorkingGroup:
    _require_reader(request.user)
    visible = working_groups_for(request.user, WorkingGroup.objects.select_related("lead", "region"))
    return get_in_scope_or_404(request, visible, pk=pk)


def _kept_project(request, pk: int) -> Project:
    project = _visible_project(request, pk)
    if not may_keep_projects(request.user, project.region_id):
        raise PermissionDenied
    return project


def _kept_group(request, pk: int) -> WorkingGroup:
    group = _visible_group(request, pk)
    if not may_keep_projects(request.user, group.region_id):
        raise PermissionDenied
    return group


def _meeting_url(meeting: Meeting) -> str | None:
    # The meeting's page is built beside this one; until it answers, the meeting is listed unlinked.
    try:
        return reverse("board:meeting", args=[meeting.pk])
    except NoReverseMatch:
        return None


@login_required
@require_GET
def project_list(request):
    user = request.user
    _require_reader(user)
    projects = projects_for(user, Project.objects.select_related("lead")).order_by("-started_on", "id")
    groups = working_groups_for(user, WorkingGroup.objects.select_related("lead")).order_by("-created_on", "id")
    context = {
        "projects": list(projects.prefetch_related("partners")),
        "groups": list(groups.prefetch_related("members")),
        "keeps": keeps_board(user) and user.organisation_id is not None,
    }
    return render(request, "board/project_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def project_new(request):
    region_id = _keeper_region(request.user)
    if request.method == "POST":
        form = ProjectForm(request.POST, region_id=region_id)
        region = request.user.organisation.region
        project = written_through(form, lambda data: project_create(actor=request.user, region=region, **data))
        if project:
            messages.success(request, _("The project is recorded."))
            return redirect("board:project", pk=project.pk)
    else:
        form = ProjectForm(region_id=region_id, initial={"status": Project.Status.ACTIVE})
    return render(request, "board/project_form.html", {"form": form, "project": None})


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, pk: int):
    project = _kept_project(request, pk)
    if request.method == "POST":
        form = ProjectForm(request.POST, region_id=project.region_id, creating=False)
        if written_through(form, lambda data: project_change(actor=request.user, project=project, **data)):
            messages.success(request, _("The project is changed."))
            return redirect("board:project", pk=project.pk)
    else:
        initial = {field: getattr(project, field) for field in PROJECT_FIELDS if field != "partners"}
        initial["partners"] = list(project.partners.all())
        form = ProjectForm(region_id=project.region_id, creating=False, initial=initial)
    return render(request, "board/project_form.html", {"form": form, "project": project})


def _status_labels(events) -> list:
    """The events, a change of status with its statuses' names and the day it took effect."""
    labels = dict(Project.Status.choices)
    events = list(events)
    for event in events:
        event.to_label = labels.get(event.data.get("to"), "")
        event.from_label = labels.get(event.data.get("from"), "")
        event.on = date.fromisoformat(event.data["on"]) if event.data.get("on") else None
    return events


def _project_context(request, project: Project, *, status_form=None) -> dict:
    today = local_today(project)
    # The directives pointing to the project that this reader follows (an execution they read, or
    # their control, as the directives' own pages allow), with those executions.
    executions = DirectiveAddressee.objects.for_user(request.user).filter(directive__project=project)
    followed = Q(pk__in=executions.values("directive_id")) | Q(controller_id=request.user.pk)
    directives = list(
        project.directives.filter(followed).select_related("meeting").order_by("-meeting__held_on", "number")
    )
    by_directive: dict[int, list] = {}
    for execution in executions.select_related("organisation"):
        by_directive.setdefault(execution.directive_id, []).append(execution)
    for directive in directives:
        directive.executions = by_directive.get(directive.pk, [])
    keep = may_keep_projects(request.user, project.region_id)
    outreach = project_outreach(project, today)
    context = {
        "project": project,
        "partners": list(project.partners.order_by("kind", "code")),
        "groups": list(working_groups_for(request.user, project.working_groups.all())),
        "events": _status_labels(project.events.select_related("actor").order_by("at", "id")),
        "directives": directives,
        "series": as_table(project_metrics(project, today)),
        "outreach": outreach,
        "outreach_table": as_table(outreach["series"]),
        "keep": keep,
    }
    if keep:
        context["status_form"] = status_form or ProjectStatusForm(
            prefix="status", initial={"status_on": today}, current=project.status
        )
    return context


@login_required
@require_GET
def project_detail(request, pk: int):
    project = _visible_project(request, pk)
    return render(request, "board/project_detail.html", _project_context(request, project))


@login_required
@require_POST
def project_status(request, pk: int):
    project = _kept_project(request, pk)
    form = ProjectStatusForm(request.POST, prefix="status", current=project.status)
    if written_through(form, lambda data: project_change(actor=request.user, project=project, **data)):
        messages.success(request, _("The project's status is changed."))
        return redirect("board:project", pk=project.pk)
    return render(request, "board/project_detail.html", _project_context(request, project, status_form=form))


@login_required
@require_http_methods(["GET", "POST"])
def working_group_new(request):
    region_id = _keeper_region(request.user)
    if request.method == "POST":
        form = WorkingGroupForm(request.POST, region_id=region_id)
        region = request.user.organisation.region
        group = written_through(form, lambda data: working_group_create(actor=request.user, region=region, **data))
        if group:
            messages.success(request, _("The working group is recorded."))
            return redirect("board:working_group", pk=group.pk)
    else:
        form = WorkingGroupForm(region_id=region_id)
    return render(request, "board/working_group_form.html", {"form": form, "group": None})


@login_required
@require_http_methods(["GET", "POST"])
def working_group_edit(request, pk: int):
    group = _kept_group(request, pk)
    if request.method == "POST":
        form = WorkingGroupForm(request.POST, region_id=group.region_id)
        if written_through(form, lambda data: working_group_change(actor=request.user, group=group, **data)):
            messages.success(request, _("The working group is changed."))
            return redirect("board:working_group", pk=group.pk)
    else:
        initial = {field: getattr(group, field) for field in GROUP_FIELDS if field not in ("members", "projects")}
        initial["members"] = list(group.members.all())
        initial["projects"] = list(group.projects.all())
        form = WorkingGroupForm(region_id=group.region_id, initial=initial)
    return render(request, "board/working_group_form.html", {"form": form, "group": group})


def _members_named(events) -> list:
    """The events, the members added and removed by name (the events keep their codes)."""
    events = list(events)
    codes = {code for event in events for key in ("added", "removed") for code in event.data.get(key, [])}
    names = {org.code: org.name for org in Organisation.objects.filter(code__in=codes)}
    for event in events:
        event.added = [names.get(code, code) for code in event.data.get("added", [])]
        event.removed = [names.get(code, code) for code in event.data.get("removed", [])]
    return events


@login_required
@require_GET
def working_group_detail(request, pk: int):
    group = _visible_group(request, pk)
    meetings = list(Meeting.objects.for_user(request.user).filter(working_group=group).order_by("-held_on", "-id"))
    for meeting in meetings:
        meeting.url = _meeting_url(meeting)
    context = {
        "group": group,
        "members": list(group.members.order_by("kind", "code")),
        "meetings": meetings,
        "projects": list(projects_for(request.user, group.projects.all()).order_by("-started_on")),
        "events": _members_named(group.events.select_related("actor").order_by("at", "id")),
        "keep": may_keep_projects(request.user, group.region_id),
    }
    return render(request, "board/working_group_detail.html", context)
