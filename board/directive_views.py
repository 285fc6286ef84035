"""A directive: issued from its meeting's page (/board/meetings/<id>/directives/new/, the keepers'),
its page (/board/directives/<id>/: the texts, each addressee's execution with its reports and
evidence, the timeline), the addressee's report of progress or execution with evidence files, the
controller's decision (accept, or return with a comment), and the evidence downloaded by those who
read the execution, never from a public url.

A report on an execution addressed to another office: 403 (issue 18), as is a decision by
someone who does not decide. A directive out of the reader's scope: 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import get_in_scope_or_404

from .files import ACCEPT
from .forms import DecisionForm, DirectiveForm, ExecutionReportForm
from .models import DirectiveAddressee, Evidence, Meeting
from .pages import attachment, require_reader, text_of, visible_directives
from .policy import MAY_DECIDE_FROM, MAY_PROGRESS_FROM, is_overdue, may_answer, may_decide, may_keep_meeting
from .series import directive_series
from .services import directives as services


@login_required
def directive_new(request, pk: int):
    """The meeting's next directive; refused input (no addressee, a deadline before the meeting...)
    comes back with the reasons, as typed."""
    user = request.user
    require_reader(user)
    meeting = get_in_scope_or_404(request, Meeting.objects.for_user(user), pk=pk)
    if not may_keep_meeting(user, meeting):
        raise PermissionDenied
    initial = {"controller": user.pk}
    form = DirectiveForm(request.POST or None, region_id=meeting.region_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            directive = services.directive_issue(actor=user, meeting=meeting, **form.service_arguments())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The directive is issued to its addressees."))
            return redirect("board:directive", pk=directive.pk)
    status = 400 if form.errors else 200
    return render(request, "board/directive_form.html", {"form": form, "meeting": meeting}, status=status)


def _directive_context(request, directive, bound: dict | None = None) -> dict:
    """The page's context; `bound` holds a refused form by its execution's id, shown as typed."""
    user = request.user
    bound = bound or {}
    now = timezone.now()
    decides = may_decide(user, directive)
    executions = directive.addressees.all() if decides else DirectiveAddressee.objects.for_user(user)
    executions = list(
        executions.filter(directive=directive)
        .select_related("organisation")
        .prefetch_related("reports__evidence", "reports__actor")
        .order_by("organisation__code")
    )
    for execution in executions:
        execution.overdue = is_overdue(execution, now)
        answerable = may_answer(user, execution) and execution.status in MAY_PROGRESS_FROM
        execution.report_form = bound.get(execution.pk) or (ExecutionReportForm() if answerable else None)
        execution.decidable = decides and execution.status in MAY_DECIDE_FROM
    events = directive.events.select_related("actor", "addressee__organisation").order_by("at", "id")
    if not decides:
        visible = {execution.pk for execution in executions}
        events = [event for event in events if event.addressee_id is None or event.addressee_id in visible]
    return {
        "directive": directive,
        "text": text_of(directive),
        "executions": executions,
        "events": events,
        "decides": decides,
        "accept": ACCEPT,
        # The metrics it aims to move, month by month since it was issued (the summary's figures).
        "series": directive_series(directive),
    }


def _visible_directive(request, pk: int):
    require_reader(request.user)
    related = visible_directives(request.user).select_related("meeting", "controller", "project")
    return get_in_scope_or_404(request, related, pk=pk)


@login_required
@require_GET
def directive_detail(request, pk: int):
    directive = _visible_directive(request, pk)
    return render(request, "board/directive_detail.html", _directive_context(request, directive))


@login_required
@require_POST
def execution_report(request, pk: int):
    """The addressee's report of progress or execution, with its evidence files."""
    execution = get_object_or_404(DirectiveAddressee.objects.select_related("directive"), pk=pk)
    if not may_answer(request.user, execution):
        raise PermissionDenied  # 403 even for an execution the user cannot read: issue 18 says so
    form = ExecutionReportForm(request.POST)
    if form.is_valid():
        try:
            services.execution_report(
                actor=request.user,
                addressee=execution,
                text=form.cleaned_data["text"],
                final=form.cleaned_data["final"],
                files=request.FILES.getlist("files"),
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            if form.cleaned_data["final"]:
                messages.success(request, _("The execution is reported: the controller accepts it or returns it."))
            else:
                messages.success(request, _("The progress is reported."))
            return redirect("board:directive", pk=execution.directive_id)
    directive = _visible_directive(request, execution.directive_id)
    context = _directive_context(request, directive, bound={execution.pk: form})
    return render(request, "board/directive_detail.html", context, status=400)


@login_required
@require_POST
def execution_decide(request, pk: int):
    """The controller's (or a keeper's) decision on a reported execution."""
    execution = get_object_or_404(DirectiveAddressee.objects.select_related("directive"), pk=pk)
    if not may_decide(request.user, execution.directive):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to accept the execution or to return it."))
        return redirect("board:directive", pk=execution.directive_id)
    comment = form.cleaned_data["comment"]
    try:
        if form.cleaned_data["action"] == "accept":
            services.execution_accept(actor=request.user, addressee=execution, comment=comment)
            messages.success(request, _("The execution is accepted."))
        else:
            services.execution_return(actor=request.user, addressee=execution, comment=comment)
            messages.success(request, _("The execution is returned with your comment."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("board:directive", pk=execution.directive_id)


@login_required
@require_GET
def evidence_file(request, pk: int):
    """An evidence file, to those who read its execution (its addressee, the region-wide roles) and
    to those who decide on it."""
    require_reader(request.user)
    evidence = get_object_or_404(Evidence.objects.select_related("report__addressee__directive"), pk=pk)
    execution = evidence.report.addressee
    readable = DirectiveAddressee.objects.for_user(request.user).filter(pk=execution.pk).exists()
    if not (readable or may_decide(request.user, execution.directive)):
        get_in_scope_or_404(request, Evidence.objects.none(), pk=pk)  # 404, the attempt audited
    return attachment(evidence.file, evidence.name)
