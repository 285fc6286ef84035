"""The dashboards' page (reporting.dashboards): the home page of the roles reading the figures
(declared in reporting.apps as their `home_pages`, so accounts' home shows it at /), and at
/reporting/dashboard/. The period is the picker's (reporting.forms.PeriodForm), kept in the query
string; the picker asks htmx for the figures alone and puts the period in the address bar."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from accounts.zones import local_today
from lib.plugins import landing, landing_url

from . import policy
from .dashboards import dashboard, region_of
from .figures import SummaryError
from .forms import DEFAULT_PERIOD_KIND, PERIOD_KINDS, PeriodForm, period_of


def _work(user) -> dict | None:
    """The page the user's work starts on (lib.plugins.NavEntry.lands), as the home pages lead to it."""
    entry, url = landing(user.role), landing_url(user.role)
    return {"label": entry.label, "url": url} if entry and url else None


def _figures_only(request) -> bool:
    """htmx swapping the figures in, not restoring a page from its history (that takes the page)."""
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-History-Restore-Request")


@login_required
@require_GET
def dashboard_page(request):
    """GET /reporting/dashboard/?period=month|quarter|half|nine_months|year|custom&from=&to=: the
    user's dashboard of the period (this year to date by default)."""
    user = request.user
    kind = policy.dashboard_of(user)
    if kind is None:
        raise PermissionDenied
    region = region_of(user)
    today = local_today(region)
    form = PeriodForm(request.GET, today=today)
    form.is_valid()
    problems = []
    language = (translation.get_language() or "ru")[:2]
    try:
        board = dashboard(user, *form.chosen(), language)
    except (SummaryError, ValidationError) as error:
        problems = list(getattr(error, "messages", None) or [str(error)])
        board = dashboard(user, *period_of(DEFAULT_PERIOD_KIND, today), language)
    context = {
        "dashboard": board,
        "form": form,
        "kinds": PERIOD_KINDS,
        "query": form.query(),
        "problems": problems,
        "region": region,
        "work": _work(user),
        "page_path": request.path,
        "language": language,
    }
    template = "reporting/_dashboard_figures.html" if _figures_only(request) else "reporting/dashboard.html"
    status = 400 if form.errors or problems else 200
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
