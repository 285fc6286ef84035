"""The board's documents to download: a meeting's resolution (DOCX or PDF, in Kazakh or Russian),
issued first by a keeper's POST that numbers and dates it, and the meeting's materials pack (PDF).

Whoever reads the meeting (Meeting.objects.for_user) downloads them; a document that cannot be
written yet (no directives, the resolution not issued) answers a page saying why, with a link back
to the meeting, never an empty document. Every download is audited (who took which document of
which meeting, in which language): the pack carries the results summary before it is published;
a refused attempt is audited by get_in_scope_or_404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import get_in_scope_or_404
from accounts.audit import audit_record
from accounts.models import AuditEvent

from . import documents
from .models import Meeting
from .policy import may_keep_meeting, reads_board, reads_region_summary
from .services import Refused
from .services.meetings import resolution_issue as issue

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {"docx": DOCX_TYPE, "pdf": "application/pdf"}


def _meeting(request, pk: int) -> Meeting:
    if not reads_board(request.user):
        raise PermissionDenied
    return get_in_scope_or_404(request, Meeting.objects.for_user(request.user).select_related("region"), pk=pk)


def _refused(request, meeting: Meeting, message: str, status: int) -> HttpResponse:
    """Why the document cannot be had, on a page linking back to the meeting."""
    return render(request, "board/document_refused.html", {"meeting": meeting, "message": message}, status=status)


def _file(request, meeting: Meeting, content: bytes, extension: str, name: str, **details) -> HttpResponse:
    audit_record(
        action=AuditEvent.Action.DOWNLOAD,
        actor=request.user,
        target=f"board.meeting:{meeting.pk}",
        details={"file": name, "format": extension, **details},
        request=request,
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_GET
def resolution(request, pk: int, extension: str, language: str):
    """GET /board/meetings/<pk>/resolution/<docx|pdf>/<kk|ru>/: the issued resolution's file."""
    meeting = _meeting(request, pk)
    if extension not in documents.RESOLUTION_FORMATS or language not in documents.RESOLUTION_LANGUAGES:
        message = _("The resolution is written as DOCX or PDF, in Kazakh or Russian: choose one of those.")
        return _refused(request, meeting, message, 404)
    problem = documents.resolution_problem(meeting)
    if problem:
        return _refused(request, meeting, problem, 409)
    write = documents.resolution_docx if extension == "docx" else documents.resolution_pdf
    name = documents.resolution_filename(meeting, language, extension)
    return _file(request, meeting, write(meeting, language), extension, name, document="resolution", language=language)


@login_required
@require_POST
def resolution_issue(request, pk: int):
    """POST /board/meetings/<pk>/resolution/issue/: the keepers number and date the resolution."""
    meeting = _meeting(request, pk)
    if not may_keep_meeting(request.user, meeting):
        raise PermissionDenied
    had_number = meeting.resolution_number
    try:
        meeting = issue(actor=request.user, meeting=meeting)
    except Refused as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        named = {"number": meeting.resolution_number, "date": documents.day_text(meeting.resolution_on)}
        if had_number:
            messages.info(request, _("The resolution is already issued: No. %(number)s of %(date)s.") % named)
        else:
            messages.success(request, _("The resolution is issued: No. %(number)s of %(date)s.") % named)
    return redirect("board:meeting", pk=meeting.pk)


@login_required
@require_GET
def materials(request, pk: int):
    """GET /board/meetings/<pk>/materials.pdf?lang=: the meeting's materials pack, in the page's
    language or the one asked (kk, ru, en)."""
    meeting = _meeting(request, pk)
    language = request.GET.get("lang") or (translation.get_language() or "kk")[:2]
    if language not in documents.PACK_LANGUAGES:
        return _refused(request, meeting, _("The materials are written in Kazakh, Russian or English."), 400)
    content = documents.materials_pdf(meeting, language, reader=request.user)
    name = documents.materials_filename(meeting, language)
    return _file(request, meeting, content, "pdf", name, document="materials", language=language)


@login_required
@require_GET
def meeting_summary(request, pk: int):
    """The results summary of the meeting's period as of its day, as the pack prints it: for the
    region-wide readers of summaries (board.policy.reads_region_summary)."""
    meeting = _meeting(request, pk)
    if not reads_region_summary(request.user):
        raise PermissionDenied
    language = translation.get_language()
    summary, summary_note = documents.region_summary(meeting, language, request.user)
    context = {"meeting": meeting, "summary": summary, "summary_note": summary_note}
    return render(request, "board/meeting_summary.html", context)
