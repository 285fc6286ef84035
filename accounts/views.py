from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts import selectors
from accounts.access import get_in_scope_or_404
from accounts.middleware import CHOSEN_LANGUAGE_SESSION_KEY
from accounts.models import District, Organisation, Role
from lib.plugins import home_page_view, landing, landing_url

# --- Home: one page per role ---------------------------------------------------------------


def home(request):
    """The visitor's overview, the administrator's reference counts, the page an app declares as a
    role's home (lib.plugins' `home_pages`: the dashboards of the summary's figures), or the role's
    own page here."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "accounts/home_public.html", {"overview": selectors.public_overview()})
    if user.is_superuser or user.role == Role.ADMIN:
        return _admin_home(request)
    declared = home_page_view(user.role)
    if declared is not None:
        return declared(request)
    page = ROLE_HOMES.get(user.role, _citizen_home)
    return page(request)


def _work(user) -> dict | None:
    """The page the user's work starts on (lib.plugins.NavEntry.lands), for the home page to lead
    with: {"label", "url"}, or None."""
    entry = landing(user.role)
    url = landing_url(user.role)
    return {"label": entry.label, "url": url} if url else None


def _citizen_home(request):
    return render(request, "accounts/home_citizen.html", {"work": _work(request.user)})


def _body_officer_home(request):
    user = request.user
    organisation = selectors.organisation_with_districts(user)
    return render(request, "accounts/home_body_officer.html", {"organisation": organisation, "work": _work(user)})


def _partner_home(request):
    user = request.user
    organisation = selectors.organisation_with_districts(user)
    return render(request, "accounts/home_partner.html", {"organisation": organisation, "work": _work(user)})


def _admin_home(request):
    context = {"region": request.user.region, "counts": selectors.reference_counts()}
    return render(request, "accounts/home_admin.html", context)


# The roles that read the summary's figures have a dashboard instead (reporting's `home_pages`).
ROLE_HOMES = {
    Role.CITIZEN: _citizen_home,
    Role.BODY_OFFICER: _body_officer_home,
    Role.PARTNER: _partner_home,
}


# --- Language ------------------------------------------------------------------------------


@require_POST
def set_language(request):
    """Switch the interface language: kept in a cookie, and on the account of a logged-in user.

    An unknown code falls back to the default language rather than failing: the form is
    posted by hand-written clients too.
    """
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    response = HttpResponseRedirect(_safe_next_url(request))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    user = request.user
    if not user.is_authenticated:
        request.session[CHOSEN_LANGUAGE_SESSION_KEY] = language
    elif user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return response


def _safe_next_url(request) -> str:
    for candidate in (request.POST.get("next"), request.headers.get("referer")):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
    return "/"


# --- Directory of organisations --------------------------------------------------------------


@login_required
def directory(request):
    user = request.user
    districts = list(District.objects.for_user(user).order_by("kato"))
    kind = request.GET.get("kind", "")
    if kind not in Organisation.Kind.values:
        kind = ""
    district_id = _visible_district_id(request.GET.get("district", ""), districts)
    context = {
        "organisations": selectors.directory_organisations(user, kind=kind, district_id=district_id),
        "kinds": Organisation.Kind.choices,
        "districts": districts,
        "selected_kind": kind,
        "selected_district": district_id,
    }
    if request.headers.get("HX-Request"):
        return render(request, "accounts/directory_partial.html", context)
    return render(request, "accounts/directory.html", context)


def _visible_district_id(value: str, districts: list[District]) -> int | None:
    """A district filter only narrows the user's own scope: anything else is ignored."""
    if not value.isdigit():
        return None
    district_id = int(value)
    return district_id if any(d.id == district_id for d in districts) else None


@login_required
def directory_detail(request, code):
    user = request.user
    visible = Organisation.objects.for_user(user)
    organisation = get_in_scope_or_404(
        request, visible.select_related("region", "parent").prefetch_related("districts"), code=code
    )
    context = {
        "organisation": organisation,
        "parent_visible": organisation.parent_id and visible.filter(id=organisation.parent_id).exists(),
        "children": visible.filter(parent=organisation).order_by("type", "code"),
        "staff": selectors.organisation_staff(user, organisation),
    }
    return render(request, "accounts/directory_detail.html", context)
