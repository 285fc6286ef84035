"""The pages of the banks' and the antifraud centre's notices: the list of the region's notices,
the upload, the columns' mapping over a preview of the first rows, and a notice's page with its
progress (polled by htmx while it is read) and its rows' errors."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib import tables

from .. import notices, policy, selectors, services, tasks
from ..forms import NoticeMappingForm, NoticeUploadForm
from ..models import Notice

PER_PAGE = 30
ERRORS_PER_PAGE = 50
# A preview's cell of twelve or more digits (a card, an IIN) is shown masked but to prosecutors.
LONG_NUMBER = re.compile(r"^[\d\s\-]{12,}$")


def _require_importer(user) -> None:
    if not policy.may_import_notices(user):
        raise PermissionDenied


def _visible(user, pk: int) -> Notice:
    _require_importer(user)
    return get_object_or_404(selectors.notices_for(user).select_related("organisation", "uploaded_by"), pk=pk)


@login_required
def notice_list(request):
    """GET /registry/notices/: the notices of the user's region, the latest first, with their counts."""
    _require_importer(request.user)
    notices_ = selectors.notices_for(request.user).select_related("organisation", "uploaded_by")
    page = Paginator(notices_, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "registry/notice_list.html", {"page": page})


@login_required
def notice_new(request):
    """GET, POST /registry/notices/new/: a notice's file uploaded, then its columns to map."""
    user = request.user
    _require_importer(user)
    form = NoticeUploadForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = services.notice_upload(
                actor=user,
                upload=data["file"],
                organisation=data["organisation"],
                number=data["number"],
                dated=data["dated"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return redirect("registry:notice_columns", pk=notice.pk)
    return render(request, "registry/notice_form.html", {"form": form}, status=400 if form.errors else 200)


def _masked(cell: str) -> str:
    """A long number (a card, an IIN, an account's digits) as its first and last two digits: the
    preview only shows which column is which, so nobody sees a value in full there (unmasking is
    the indicator page's, audited)."""
    if not LONG_NUMBER.match(cell.strip()):
        return cell
    digits = re.sub(r"\D", "", cell)
    return f"{digits[:2]}…{digits[-2:]}"


@login_required
def notice_columns(request, pk: int):
    """GET, POST /registry/notices/<id>/columns/: the first rows of the file and a select a column;
    the mapping saved starts the reading."""
    user = request.user
    notice = _visible(user, pk)
    if notice.status != Notice.Status.UPLOADED:
        return redirect("registry:notice", pk=notice.pk)
    form = NoticeMappingForm(request.POST or None, header=notice.header, mapping=notice.mapping)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                tasks.notice_read_start(actor=user, notice=notice, mapping=form.mapping())
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("The notice is being read."))
                return redirect("registry:notice", pk=notice.pk)
        status = 400
    rows = [(number, [_masked(cell) for cell in cells]) for number, cells in services.notice_preview(notice=notice)]
    guessed = any(field in notices.INDICATOR_FIELDS for field in notice.mapping)
    context = {"notice": notice, "form": form, "rows": rows, "guessed": guessed, "columns": list(form)}
    return render(request, "registry/notice_columns.html", context, status=status)


def _page_context(request, notice: Notice) -> dict:
    errors = Paginator(notice.errors.all(), ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    failure = tables.Problem(notice.failure["message"], notice.failure.get("params") or {}) if notice.failure else None
    return {"notice": notice, "errors": errors, "failure": failure.text() if failure else ""}


@login_required
def notice_detail(request, pk: int):
    """GET /registry/notices/<id>/: the notice, its progress (htmx polls it while it is read), its
    rows' errors paged."""
    notice = _visible(request.user, pk)
    if request.headers.get("HX-Request") and request.GET.get("part") == "progress":
        return render(request, "registry/notice_progress_partial.html", _page_context(request, notice))
    return render(request, "registry/notice_detail.html", _page_context(request, notice))


@login_required
@require_POST
def notice_read_again(request, pk: int):
    """POST /registry/notices/<id>/read-again/: a stopped reading started again from where it stopped."""
    notice = _visible(request.user, pk)
    try:
        tasks.notice_read_again(actor=request.user, notice=notice)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The notice is being read again from where it stopped."))
    return redirect("registry:notice", pk=notice.pk)
