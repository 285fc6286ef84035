"""The board's dashboard: for a period, each addressee office's executions of the directives (assigned,
executed on time and late, open and overdue, carried over), read through the board's metrics. The
region-wide readers see every office and the region's total; an office's or a body's staff their
own organisation's row."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.scoping import is_region_wide
from accounts.zones import local_today, region_id_zone

from .pages import answers_for_office, require_reader
from .selectors import dashboard_window, office_figures


def _period(request, today: date) -> tuple[date, date, str]:
    """The period asked (?from=&to=, ISO days), or the year to date; and why an asked one was not taken."""
    default = (today.replace(month=1, day=1), today)
    asked = request.GET.get("from"), request.GET.get("to")
    if not any(asked):
        return (*default, "")
    try:
        start, end = (date.fromisoformat(value or "") for value in asked)
    except ValueError:
        return (*default, _("Enter both dates of the period as YYYY-MM-DD: the year to date is shown."))
    if end < start:
        return (*default, _("The period ends before it starts: the year to date is shown."))
    return start, end, ""


@login_required
@require_GET
def dashboard(request):
    user = request.user
    require_reader(user)
    region_id = user.organisation.region_id if user.organisation_id else None
    today = local_today(region_id_zone(region_id))
    start, end, problem = _period(request, today)
    office_ids = None if is_region_wide(user) else ({user.organisation_id} if answers_for_office(user) else set())
    rows = office_figures(dashboard_window(region_id, start, end), office_ids) if region_id else []
    context = {
        "start": start,
        "end": end,
        "problem": problem,
        "offices": rows[:-1],
        "total": rows[-1] if rows and office_ids is None else None,
        "region_wide": office_ids is None,
    }
    return render(request, "board/dashboard.html", context, status=400 if problem else 200)
