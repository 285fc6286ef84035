"""The board's pages: a directive with its executions, addressee by addressee."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from accounts.access import get_in_scope_or_404

from .models import Directive, DirectiveAddressee
from .policy import is_overdue, may_answer, may_decide, reads_board


def require_reader(user) -> None:
    if not reads_board(user):
        raise PermissionDenied


def visible_directives(user):
    """The directives with an execution `user` reads (board.scoping)."""
    return Directive.objects.filter(pk__in=DirectiveAddressee.objects.for_user(user).values("directive_id"))


@login_required
def directive_detail(request, pk: int):
    require_reader(request.user)
    directive = get_in_scope_or_404(
        request,
        visible_directives(request.user).select_related("meeting", "controller", "project"),
        pk=pk,
    )
    now = timezone.now()
    executions = list(
        DirectiveAddressee.objects.for_user(request.user)
        .filter(directive=directive)
        .select_related("organisation")
        .prefetch_related("reports__evidence")
    )
    for execution in executions:
        execution.overdue = is_overdue(execution, now)
        execution.answerable = may_answer(request.user, execution)
    events = directive.events.select_related("actor", "addressee__organisation").order_by("at", "id")
    if not may_decide(request.user, directive):
        visible = {execution.pk for execution in executions}
        events = [event for event in events if event.addressee_id is None or event.addressee_id in visible]
    context = {
        "directive": directive,
        "executions": executions,
        "events": events,
        "decides": may_decide(request.user, directive),
    }
    return render(request, "board/directive_detail.html", context)
