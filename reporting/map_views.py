"""The results summary's map page: the finest units of the user's remit coloured by the change of a
chosen metric over a period, with the reports and social facilities of the period (reporting.maps),
drawn by Leaflet (tartip/static/js/summary-map.js; no inline script under the CSP). A metric
chosen on the page is redrawn from the data endpoint without leaving it."""

from datetime import date
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import policy, selectors
from .figures import SummaryError, compute, parse_day
from .forms import usual_periods
from .maps import mappable_figures, page_data, summary_map

# What a version's link adds to the period, kept as the reader chooses another figure.
KEPT = ("as_of", "base_from", "base_to", "district")


def _language() -> str:
    return (translation.get_language() or "ru")[:2]


def _period(request) -> tuple[date, date]:
    """?from=&to=, both or neither; neither: the board's latest usual period already over."""
    start, end = (request.GET.get(name, "").strip() for name in ("from", "to"))
    if start or end:
        if not (start and end):
            raise SummaryError(_("Give the period: from and to."))
        return parse_day(start), parse_day(end)
    _label, start, end = usual_periods()[0]
    return start, end


def _day(request, name: str) -> date | None:
    value = request.GET.get(name, "").strip()
    return parse_day(value) if value else None


def _summary_request(request):
    """The summary of the user's remit over the asked period (?as_of=, ?base_from=&base_to= and
    ?district= as a summary's figures' links give them: a version's map), refused outside the
    user's remit (a district prosecutor's districts only)."""
    if not policy.may_read_summaries(request.user):
        raise PermissionDenied
    start, end = _period(request)
    return selectors.summary_request(
        request.user,
        start=start,
        end=end,
        katos=request.GET.getlist("district"),
        as_of=_day(request, "as_of"),
        base_start=_day(request, "base_from"),
        base_end=_day(request, "base_to"),
    )


def _kept_query(request) -> list[tuple[str, str]]:
    """The parameters the page keeps when another figure is chosen (all but the period and figure)."""
    return [(name, value) for name in KEPT for value in request.GET.getlist(name) if value]


def _errors(error) -> list[str]:
    return list(getattr(error, "messages", None) or [str(error)])


@login_required
@require_GET
def summary_map_page(request):
    """GET /reporting/map/?from=&to=&code=: the map of one metric of the user's remit over the period
    (the usual periods offered), its units beside it in a table, the units without a shape listed."""
    context = {"periods": usual_periods(), "errors": []}
    try:
        summary_request = _summary_request(request)
    except (SummaryError, ValidationError) as error:
        context["errors"] = _errors(error)
        return render(request, "reporting/summary_map.html", context, status=400)
    summary = compute(summary_request)
    figures = mappable_figures(summary)
    code = request.GET.get("code", "").strip() or None
    drawn = summary_map(summary, _language(), code)
    if code and drawn is None:
        raise Http404
    context.update(
        {
            "parameters": summary_request,
            "figures": figures,
            "map": drawn,
            "data": page_data(drawn) if drawn is not None else None,
            "data_url": reverse("reporting:summary_map_data"),
            "kept": _kept_query(request),
            "kept_query": urlencode(_kept_query(request)),
        }
    )
    return render(request, "reporting/summary_map.html", context)


@login_required
@require_GET
def summary_map_data(request):
    """GET /reporting/map/data/?from=&to=&code=: what the page's script draws for another metric."""
    try:
        summary_request = _summary_request(request)
    except (SummaryError, ValidationError) as error:
        return JsonResponse({"errors": _errors(error)}, status=400)
    code = request.GET.get("code", "").strip()
    if not code:
        raise Http404
    drawn = summary_map(compute(summary_request, only=code), _language(), code)
    if drawn is None:
        raise Http404
    return JsonResponse(page_data(drawn))
