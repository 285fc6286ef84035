"""The directives' executions as a list (/board/directives/): an addressee's staff read their own
organisation's, overdue first then by deadline, and answer many at once, in the page's table or
by an XLSX round trip (download the open ones, fill in what was done, upload it: all the rows or
none, each refused row named); the region-wide roles read every execution of the region, filtered
by status, lateness, office, meeting and area."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Organisation
from accounts.scoping import is_region_wide
from accounts.zones import local_date, region_id_zone
from lib import tables
from lib.metrics import Area
from lib.spreadsheets import XLSX_TYPE

from . import progress_files
from .models import DirectiveAddressee, Meeting
from .pages import PAGE_SIZE, answers_for_office, choice, require_reader, text_of, whole_number
from .policy import AWAITING_ADDRESSEE, is_overdue, may_answer, overdue_at
from .services.directives import ProgressRow, execution_report_many

Status = DirectiveAddressee.Status
# An uploaded workbook: the board's file cap, unpacked at most this much and at this ratio.
MAX_UNZIPPED = 50 * 1024 * 1024
MAX_RATIO = 100


def _filters(request, region_wide: bool) -> dict:
    get = request.GET
    return {
        "status": choice(get.get("status", ""), Status.values),
        "overdue": get.get("overdue") == "1",
        "office": whole_number(get.get("office")) if region_wide else None,
        "meeting": whole_number(get.get("meeting")),
        "area": choice(get.get("area", ""), Area.values),
    }


def _executions(user, selected: dict, now):
    found = DirectiveAddressee.objects.for_user(user)
    if selected["status"]:
        found = found.filter(status=selected["status"])
    if selected["overdue"]:
        found = found.filter(overdue_at(now))
    if selected["office"]:
        found = found.filter(organisation_id=selected["office"])
    if selected["meeting"]:
        found = found.filter(directive__meeting_id=selected["meeting"])
    if selected["area"]:
        found = found.filter(directive__area=selected["area"])
    late_first = Case(When(overdue_at(now), then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        found.select_related("directive__meeting", "organisation")
        .annotate(late_first=late_first)
        .order_by("late_first", "deadline_at", "directive__meeting__held_on", "directive__number", "organisation__code")
    )


def _list_context(request, typed: dict | None = None, problems=()) -> dict:
    """The list's context; `typed` holds the bulk table's input by execution id, kept on a refusal."""
    user = request.user
    region_wide = is_region_wide(user)
    selected = _filters(request, region_wide)
    now = timezone.now()
    page = Paginator(_executions(user, selected, now), PAGE_SIZE).get_page(request.GET.get("page"))
    typed = typed or {}
    answerable = 0
    for execution in page.object_list:
        execution.overdue = is_overdue(execution, now)
        execution.text = text_of(execution.directive)
        execution.answerable = may_answer(user, execution) and execution.status in AWAITING_ADDRESSEE
        execution.typed_text, execution.typed_final = typed.get(execution.pk, ("", False))
        answerable += execution.answerable
    query = request.GET.copy()
    query.pop("page", None)
    meetings = Meeting.objects.for_user(user).order_by("-held_on")
    offices = Organisation.objects.filter(region_id=user.organisation.region_id) if region_wide else None
    return {
        "page": page,
        "query": query.urlencode(),
        "selected": selected,
        "statuses": Status.choices,
        "areas": Area.choices,
        "meetings": meetings,
        "offices": offices.exclude(kind=Organisation.Kind.PARTNER).order_by("code") if offices is not None else None,
        "region_wide": region_wide,
        "answerable": answerable,
        "answers": answers_for_office(user),
        "problems": problems,
    }


@login_required
@require_GET
def directive_list(request):
    require_reader(request.user)
    return render(request, "board/directive_list.html", _list_context(request))


def _back_to_list(request):
    """The list with the filters it was posted from."""
    query = request.GET.urlencode()
    return redirect(reverse("board:directives") + (f"?{query}" if query else ""))


def _typed(post) -> dict[int, tuple[str, bool]]:
    """The bulk table's rows: `text-<id>` and `final-<id>` for each execution shown."""
    typed = {}
    for key, text in post.items():
        if key.startswith("text-") and key[5:].isdigit():
            pk = int(key[5:])
            typed[pk] = (text, post.get(f"final-{pk}") == "on")
    return typed


@login_required
@require_POST
def directives_progress(request):
    """The bulk table: every row written in one go, or none (the refusals named, the input kept)."""
    require_reader(request.user)
    if not answers_for_office(request.user):
        raise PermissionDenied
    typed = _typed(request.POST)
    rows = [ProgressRow(pk, text, final) for pk, (text, final) in typed.items()]
    if not any(row.text.strip() for row in rows):
        messages.error(request, _("Write what was done on at least one row."))
        return _back_to_list(request)
    try:
        written = execution_report_many(actor=request.user, rows=rows)
    except ValidationError as error:
        context = _list_context(request, typed=typed, problems=error.messages)
        return render(request, "board/directive_list.html", context, status=400)
    messages.success(
        request, ngettext("%(count)d report saved.", "%(count)d reports saved.", written) % {"count": written}
    )
    return _back_to_list(request)


def _open_for_office(user):
    return (
        DirectiveAddressee.objects.for_user(user)
        .filter(organisation_id=user.organisation_id, status__in=AWAITING_ADDRESSEE)
        .select_related("directive__meeting")
        .order_by("deadline_at", "directive__meeting__held_on", "directive__number")
    )


@login_required
@require_GET
def directives_xlsx(request):
    """The office's open executions as a workbook to fill in."""
    user = request.user
    require_reader(user)
    if not answers_for_office(user):
        raise PermissionDenied
    rows = [
        {
            "id": execution.pk,
            "meeting": str(execution.directive.meeting),
            "item": execution.directive.number,
            "text": text_of(execution.directive),
            "deadline": execution.directive.deadline,
            "status": str(execution.get_status_display()),
        }
        for execution in _open_for_office(user)
    ]
    response = HttpResponse(progress_files.template(rows), content_type=XLSX_TYPE)
    today = local_date(timezone.now(), region_id_zone(user.organisation.region_id))
    response["Content-Disposition"] = f'attachment; filename="{progress_files.filename(user.organisation.code, today)}"'
    return response


def _read_upload(upload) -> tuple[list[progress_files.Row], list[str]]:
    caps = tables.Caps(max_bytes=settings.BOARD_FILE_MAX_BYTES, max_unzipped_bytes=MAX_UNZIPPED, max_ratio=MAX_RATIO)
    if upload.size > caps.max_bytes:
        return [], [_("The file is too large.")]
    try:
        layout = tables.read_layout(upload, caps)
        if layout.file_type != tables.XLSX:
            return [], [_("Upload the XLSX file downloaded from this page, filled in.")]
        return progress_files.read(tables.rows(upload, layout), layout.header)
    except tables.TableFileError as error:
        return [], [error.text()]


@login_required
@require_POST
def directives_upload(request):
    """The filled-in workbook: all its rows reported, or none (each refused row named)."""
    user = request.user
    require_reader(user)
    if not answers_for_office(user):
        raise PermissionDenied
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose the filled-in file to upload."))
        return redirect("board:directives")
    rows, problems = _read_upload(upload)
    mine = set(_open_for_office(user).filter(pk__in=[row.addressee_id for row in rows]).values_list("pk", flat=True))
    problems += [
        _("Row %(line)d: the directive %(id)d is not one your office answers now.")
        % {"line": row.line, "id": row.addressee_id}
        for row in rows
        if row.addressee_id not in mine
    ]
    if not problems and not rows:
        problems = [_("The file has no row with what was done.")]
    if not problems:
        try:
            written = execution_report_many(
                actor=user, rows=[ProgressRow(row.addressee_id, row.text, row.final, line=row.line) for row in rows]
            )
        except (ValidationError, PermissionDenied) as error:
            problems = getattr(error, "messages", None) or [str(error)]
        else:
            saved = ngettext("%(count)d report saved from the file.", "%(count)d reports saved from the file.", written)
            messages.success(request, saved % {"count": written})
            return redirect("board:directives")
    messages.error(request, _("Nothing was saved from the file:"))
    for problem in problems:
        messages.error(request, problem)
    return redirect("board:directives")
