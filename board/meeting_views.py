"""The board's meetings: the list (/board/meetings/, by kind and year), a keeper's form to plan or
change one, and a meeting's page: its facts, the reports heard (files downloaded through
`meeting_report_file`, never a public url), its directives with their addressees' statuses, the
directives carried to it and, before it is held, the open directives its agenda takes up, the
link to the results summary of its period, and its documents.

Readers are board.policy.BOARD_READERS, each reading the meetings board.scoping gives them (a
meeting out of scope: 404); planning, changing, holding and reports heard are the keepers' (403).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import get_in_scope_or_404
from lib.forms import written_through

from .forms import MeetingForm, MeetingReportForm
from .models import DirectiveAddressee, Meeting
from .pages import (
    PAGE_SIZE,
    attachment,
    choice,
    require_reader,
    text_of,
    title_of,
    url_or_none,
    visible_directives,
    whole_number,
)
from .policy import is_overdue, keeps_board, may_keep_meeting, reads_region_summary
from .services import meetings as services

MEETING_FIELDS = (
    "held_on",
    "kind",
    "working_group",
    "period_start",
    "period_end",
    "title_kk",
    "title_ru",
    "title_en",
    "chair",
    "participants",
    "agenda",
)


def _visible(request, pk: int) -> Meeting:
    require_reader(request.user)
    return get_in_scope_or_404(
        request, Meeting.objects.for_user(request.user).select_related("working_group", "region"), pk=pk
    )


@login_required
@require_GET
def meeting_list(request):
    user = request.user
    require_reader(user)
    meetings = Meeting.objects.for_user(user)
    years = sorted({day.year for day in meetings.dates("held_on", "year")}, reverse=True)
    kind = choice(request.GET.get("kind", ""), Meeting.Kind.values)
    year = whole_number(request.GET.get("year"))
    if kind:
        meetings = meetings.filter(kind=kind)
    if year:
        meetings = meetings.filter(held_on__year=year)
    meetings = meetings.select_related("working_group").annotate(directive_count=Count("directives", distinct=True))
    page = Paginator(meetings.order_by("-held_on", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    for meeting in page.object_list:
        meeting.title = title_of(meeting)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "query": query.urlencode(),
        "kinds": Meeting.Kind.choices,
        "years": years,
        "selected_kind": kind,
        "selected_year": year,
        "can_plan": keeps_board(user),
    }
    return render(request, "board/meeting_list.html", context)


def _region_id(user) -> int:
    if user.organisation_id is None or user.organisation.region_id is None:
        raise PermissionDenied
    return user.organisation.region_id


@login_required
def meeting_new(request):
    user = request.user
    require_reader(user)
    if not keeps_board(user):
        raise PermissionDenied
    region_id = _region_id(user)
    form = MeetingForm(request.POST or None, region_id=region_id, initial={"kind": Meeting.Kind.BOARD})
    if request.method == "POST":
        region = user.organisation.region
        meeting = written_through(form, lambda data: services.meeting_plan(actor=user, region=region, **data))
        if meeting:
            messages.success(request, _("The meeting is planned."))
            return redirect("board:meeting", pk=meeting.pk)
    status = 400 if form.errors else 200
    return render(request, "board/meeting_form.html", {"form": form, "meeting": None}, status=status)


@login_required
def meeting_change(request, pk: int):
    user = request.user
    meeting = _visible(request, pk)
    if not may_keep_meeting(user, meeting):
        raise PermissionDenied
    initial = {name: getattr(meeting, name) for name in MEETING_FIELDS}
    form = MeetingForm(request.POST or None, region_id=meeting.region_id, initial=initial)
    if request.method == "POST" and written_through(
        form, lambda data: services.meeting_change(actor=user, meeting=meeting, **data)
    ):
        messages.success(request, _("The meeting is changed."))
        return redirect("board:meeting", pk=meeting.pk)
    status = 400 if form.errors else 200
    return render(request, "board/meeting_form.html", {"form": form, "meeting": meeting}, status=status)


def _with_executions(directives, user):
    """The directives with the executions `user` reads, each marked overdue or not."""
    now = timezone.now()
    executions = DirectiveAddressee.objects.for_user(user).select_related("organisation").order_by("organisation__code")
    directives = list(directives.prefetch_related(Prefetch("addressees", queryset=executions, to_attr="visible")))
    for directive in directives:
        directive.shown_text = text_of(directive)
        for execution in directive.visible:
            execution.overdue = is_overdue(execution, now)
    return directives


def _documents(meeting: Meeting) -> list[tuple[str, str]]:
    """The meeting's documents, as far as their pages exist (the resolution, the materials pack)."""
    found = []
    for language, label in (("kk", _("in Kazakh")), ("ru", _("in Russian"))):
        for kind in ("docx", "pdf"):
            url = url_or_none("board:resolution", meeting.pk, kind, language)
            if url:
                found.append(
                    (_("Resolution, %(format)s, %(language)s") % {"format": kind.upper(), "language": label}, url)
                )
    url = url_or_none("board:materials", meeting.pk)
    if url:
        found.append((_("Materials pack (PDF)"), url))
    return found


def _detail_context(request, meeting: Meeting, report_form=None) -> dict:
    user = request.user
    keeper = may_keep_meeting(user, meeting)
    visible = visible_directives(user)
    planned = meeting.status == Meeting.Status.PLANNED
    earlier = services.open_directives_before(meeting).filter(pk__in=visible) if planned else None
    return {
        "meeting": meeting,
        "title": title_of(meeting),
        "reports": meeting.reports.select_related("office"),
        "directives": _with_executions(meeting.directives.filter(pk__in=visible), user),
        "carried": meeting.carried_directives.filter(pk__in=visible).select_related("meeting"),
        "earlier": list(earlier) if earlier is not None else None,
        "keeper": keeper,
        "can_hold": keeper and planned,
        "report_form": report_form or (MeetingReportForm(region_id=meeting.region_id) if keeper else None),
        "documents": _documents(meeting),
        # The summary of the period as of the meeting's day (board:meeting_summary), as the pack prints it.
        "reads_summary": reads_region_summary(user),
    }


@login_required
@require_GET
def meeting_detail(request, pk: int):
    meeting = _visible(request, pk)
    return render(request, "board/meeting_detail.html", _detail_context(request, meeting))


@login_required
@require_POST
def meeting_hold(request, pk: int):
    meeting = _visible(request, pk)
    if not may_keep_meeting(request.user, meeting):
        raise PermissionDenied
    try:
        services.meeting_hold(actor=request.user, meeting=meeting)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The meeting is marked as held: the open directives before it are on its agenda."))
    return redirect("board:meeting", pk=meeting.pk)


@login_required
@require_POST
def meeting_report_add(request, pk: int):
    """A report heard, with its file; refused input comes back on the meeting's page, as typed."""
    meeting = _visible(request, pk)
    if not may_keep_meeting(request.user, meeting):
        raise PermissionDenied
    form = MeetingReportForm(request.POST, request.FILES, region_id=meeting.region_id)
    if written_through(form, lambda data: services.meeting_report_add(actor=request.user, meeting=meeting, **data)):
        messages.success(request, _("The report is added to the meeting."))
        return redirect("board:meeting", pk=meeting.pk)
    context = _detail_context(request, meeting, report_form=form)
    return render(request, "board/meeting_detail.html", context, status=400)


@login_required
@require_GET
def meeting_report_file(request, pk: int, report_id: int):
    """A report's file, to those who read the meeting."""
    meeting = _visible(request, pk)
    report = get_object_or_404(meeting.reports, pk=report_id)
    if not report.file:
        raise Http404
    return attachment(report.file, report.file_name or "report")
