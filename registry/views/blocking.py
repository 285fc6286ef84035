"""The blocking requests' pages: the selection of confirmed indicators grouped into one draft per
addressee, the list of requests, a request's page (its items, letter and list, the legal basis and
sending for a draft, the answers for a sent one) and its files, each download audited.

A partner sees only the requests sent to its organisation and answers their items; answering
another's request is refused (403), whatever the item named."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.audit import audit_record
from accounts.models import AuditEvent, Organisation
from lib.spreadsheets import XLSX_TYPE

from .. import documents, policy, selectors, services
from ..indicators import Kind
from ..models import BlockingItem, BlockingRequest

SELECT_PER_PAGE = 100
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _require_reader(user) -> None:
    if not policy.may_read_requests(user):
        raise PermissionDenied


def _visible_request(user, pk: int) -> BlockingRequest:
    _require_reader(user)
    requests = selectors.requests_for(user).select_related("addressee", "office", "created_by")
    return get_object_or_404(requests, pk=pk)


def _messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def requests_list(request):
    """GET /registry/requests/: the requests of the user's scope (a partner: those sent to it), by
    status and addressee, latest first."""
    user = request.user
    _require_reader(user)
    requests = selectors.requests_for(user).select_related("addressee")
    status = request.GET.get("status", "")
    if status in BlockingRequest.State.values:
        requests = requests.filter(status=status)
    addressee = request.GET.get("addressee", "")
    if addressee.isdigit():
        requests = requests.filter(addressee_id=int(addressee))
    page = Paginator(requests.order_by("-created_at", "-id"), 30).get_page(request.GET.get("page"))
    addressees = Organisation.objects.filter(pk__in=selectors.requests_for(user).values("addressee_id")).order_by(
        "code"
    )
    context = {
        "page": page,
        "statuses": BlockingRequest.State.choices,
        "selected_status": status,
        "addressees": addressees,
        "selected_addressee": addressee,
        "can_request": policy.may_request_blocking(user),
    }
    return render(request, "registry/requests.html", context)


@login_required
def blocking_select(request):
    """GET /registry/requests/new/: the indicators a request may be made for (confirmed, of a kind
    with an addressee, in no open request), by kind, to select some or all; POST: the selected ones
    grouped into one draft per addressee, with what was left out and why."""
    user = request.user
    if not policy.may_request_blocking(user):
        raise PermissionDenied
    kind = request.GET.get("kind") or request.POST.get("kind") or ""
    kind = kind if kind in selectors.ADDRESSED_KINDS else ""
    candidates = selectors.requestable_for(user, kind).select_related("bank")
    if request.method == "POST":
        if request.POST.get("all") == "1":
            chosen = list(candidates)
        else:
            ids = [int(pk) for pk in request.POST.getlist("indicator") if pk.isdigit()]
            chosen = list(selectors.indicators_for(user).filter(pk__in=ids).select_related("bank"))
        if not chosen:
            messages.error(request, _("Select at least one indicator."))
            return redirect(request.path + (f"?kind={kind}" if kind else ""))
        try:
            grouping = services.blocking_requests_draft(
                actor=user, indicators=chosen, language=request.POST.get("language", "ru")
            )
        except ValidationError as error:
            _messages(request, error)
            return redirect(request.path)
        drafts = selectors.requests_for(user).filter(
            status=BlockingRequest.State.DRAFT, addressee__in=list(grouping.by_addressee)
        )
        context = {"grouping": grouping, "drafts": drafts.select_related("addressee")}
        return render(request, "registry/blocking_drafted.html", context)
    page = Paginator(candidates.order_by("kind", "-last_seen_at", "-id"), SELECT_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "total": page.paginator.count,
        "kinds": [(value, Kind(value).label) for value in selectors.ADDRESSED_KINDS],
        "selected_kind": kind,
        "query": f"kind={kind}" if kind else "",
        "languages": BlockingRequest.Language.choices,
    }
    return render(request, "registry/blocking_select.html", context)


@login_required
def request_detail(request, pk: int):
    """GET /registry/requests/<id>/: the request's items with their answers, its letter and list;
    a draft's legal basis and sending, a sent one's answers (in the page, or the partner's list)."""
    user = request.user
    blocking = _visible_request(user, pk)
    items = blocking.items.select_related("indicator", "answered_by").order_by("id")
    manage = policy.may_manage_request(user, blocking)
    context = {
        "blocking": blocking,
        "rows": [
            (item, [(state, BlockingItem.State(state).label) for state in sorted(policy.ANSWERS.get(item.status, ()))])
            for item in items
        ],
        "is_draft": blocking.status == BlockingRequest.State.DRAFT,
        "can_manage": manage,
        "can_answer": policy.may_answer(user, blocking),
        "languages": BlockingRequest.Language.choices,
        "events": blocking.events.select_related("actor").order_by("at", "id"),
        # The items link to the indicators' pages for those who read the registry (a partner reads
        # its list instead, audited); what a page shows of a value is the page's to decide.
        "links_indicators": policy.may_read_registry(user),
    }
    return render(request, "registry/request_detail.html", context)


@login_required
@require_POST
def request_change(request, pk: int):
    blocking = _visible_request(request.user, pk)
    try:
        services.blocking_request_change(
            actor=request.user,
            request=blocking,
            legal_basis=request.POST.get("legal_basis", ""),
            language=request.POST.get("language", ""),
        )
    except ValidationError as error:
        _messages(request, error)
    else:
        messages.success(request, _("The request is saved."))
    return redirect("registry:request", pk=blocking.pk)


@login_required
@require_POST
def request_send(request, pk: int):
    blocking = _visible_request(request.user, pk)
    try:
        services.blocking_request_send(actor=request.user, request=blocking)
    except ValidationError as error:
        _messages(request, error)
    else:
        messages.success(
            request, _("The request is sent with number %(number)s.") % {"number": blocking.outgoing_number}
        )
    return redirect("registry:request", pk=blocking.pk)


@login_required
@require_POST
def item_remove(request, pk: int, item_id: int):
    blocking = _visible_request(request.user, pk)  # another region's request: 404, never 403
    item = get_object_or_404(BlockingItem.objects.select_related("request"), pk=item_id, request=blocking)
    try:
        services.blocking_item_remove(actor=request.user, item=item)
    except ValidationError as error:
        _messages(request, error)
    return redirect("registry:request", pk=pk)


def _answers_posted(post) -> tuple[list, list[str]]:
    """The answers of the page's table: each item whose answer was chosen, its amount, date, note."""
    answers, problems = [], []
    for key in post:
        if not key.startswith("state-") or not post[key]:
            continue
        item_id = key.removeprefix("state-")
        if not item_id.isdigit():
            continue
        raw_day = post.get(f"day-{item_id}", "").strip()
        day = parse_date(raw_day) if raw_day else None
        if raw_day and day is None:
            problems.append(_("Item %(item)s: the date is not a date.") % {"item": item_id})
            continue
        try:
            amount = services.parse_amount(post.get(f"amount-{item_id}", ""))
        except ValueError:
            problems.append(_("Item %(item)s: the amount is not a sum of tenge.") % {"item": item_id})
            continue
        note = post.get(f"note-{item_id}", "").strip()
        answers.append(services.Answer(int(item_id), post[key], day, amount, note))
    return answers, problems


@login_required
@require_POST
def request_answer(request, pk: int):
    """POST /registry/requests/<id>/answer/: the answers chosen in the page's table, all or none.
    Refused (403) to anyone but the addressee's users and the requesters, and for an item of
    another request."""
    # Looked up unscoped: a partner answering another partner's request is refused as the issue
    # asks (403), not told it does not exist.
    blocking = get_object_or_404(BlockingRequest, pk=pk)
    if not policy.may_answer(request.user, blocking):
        raise PermissionDenied
    answers, problems = _answers_posted(request.POST)
    if problems:
        for problem in problems:
            messages.error(request, problem)
        return redirect("registry:request", pk=pk)
    try:
        count = services.blocking_items_answer(actor=request.user, request=blocking, answers=answers)
    except ValidationError as error:
        for item, problems in getattr(error, "message_dict", {"": error.messages}).items():
            for problem in problems:
                messages.error(
                    request, _("Item %(item)s: %(problem)s") % {"item": item, "problem": problem} if item else problem
                )
        return redirect("registry:request", pk=pk)
    if count:
        messages.success(request, _("Answers recorded: %(count)d.") % {"count": count})
    else:
        messages.info(request, _("No answer was chosen."))
    return redirect("registry:request", pk=pk)


@login_required
@require_POST
def request_upload(request, pk: int):
    """POST /registry/requests/<id>/upload/: the partner's filled list, recorded by a requester: the
    rows matched by the value's normal form, all recorded or none, what could not be read listed."""
    blocking = _visible_request(request.user, pk)
    if not policy.may_manage_request(request.user, blocking) or blocking.status == BlockingRequest.State.DRAFT:
        raise PermissionDenied
    upload = request.FILES.get("list")
    if upload is None:
        messages.error(request, _("Choose the XLSX file the addressee sent back."))
        return redirect("registry:request", pk=pk)
    if upload.size > documents.UPLOAD_MAX_BYTES:
        messages.error(
            request,
            _("The file is larger than %(size)d MB.") % {"size": documents.UPLOAD_MAX_BYTES // 1024 // 1024},
        )
        return redirect("registry:request", pk=pk)
    try:
        rows = documents.list_rows(upload.read(documents.UPLOAD_MAX_BYTES + 1))
        count = services.blocking_answer_import(actor=request.user, request=blocking, rows=rows)
    except documents.UnreadableList as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, _("Nothing was recorded: correct these rows and upload the list again."))
        for problem in error.messages:
            messages.error(request, problem)
    else:
        messages.success(request, _("Answers recorded from the list: %(count)d.") % {"count": count})
    return redirect("registry:request", pk=pk)


# --- the files ---------------------------------------------------------------------------------------


def _sent_request(request, pk: int, document: str) -> BlockingRequest:
    """A sent request the user sees, its download audited (a list holds cards in full)."""
    blocking = _visible_request(request.user, pk)
    if not blocking.outgoing_number:
        raise Http404  # a draft has no letter yet: sending numbers it
    audit_record(
        action=AuditEvent.Action.PERSONAL_DATA_VIEW,
        actor=request.user,
        target=f"registry.blocking_request:{blocking.pk}",
        details={"document": document, "number": blocking.outgoing_number},
        request=request,
    )
    return blocking


def _file(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_GET
def letter_docx(request, pk: int):
    blocking = _sent_request(request, pk, "letter.docx")
    return _file(documents.letter_docx(blocking), DOCX_TYPE, documents.letter_filename(blocking, "docx"))


@login_required
@require_GET
def letter_pdf(request, pk: int):
    blocking = _sent_request(request, pk, "letter.pdf")
    return _file(documents.letter_pdf(blocking), "application/pdf", documents.letter_filename(blocking, "pdf"))


@login_required
@require_GET
def list_xlsx(request, pk: int):
    blocking = _sent_request(request, pk, "list.xlsx")
    name = documents.letter_filename(blocking, "xlsx")
    return _file(documents.list_xlsx(blocking), XLSX_TYPE, name)
