"""The public report form: /report/ (anyone, anonymous allowed, rate-limited per address in the
cache only), its category fields and district shapes, and /report/done/ (the reference and the
private tracking link, shown once). Staff entry of a report (signals.views.reports) reuses its parts.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.http import require_GET

from accounts.models import District, Role
from lib import ratelimit
from signals import services
from signals.forms import ReportForm, StaffReportForm
from signals.models import Report

DONE_SESSION_KEY = "signals:report_done"
RATE_WINDOW_SECONDS = 3600

# --- The public form ---------------------------------------------------------------------------


def _public_districts():
    return District.objects.for_choices().order_by("region__kato", "kato")


def report_new(request):
    user = request.user
    citizen = user if user.is_authenticated and user.role == Role.CITIZEN else None
    if request.method == "POST":
        if not ratelimit.public_hit(request, "report-web", settings.ANON_REPORTS_PER_HOUR, RATE_WINDOW_SECONDS):
            return _rate_limited(request)
        form = ReportForm(request.POST, request.FILES, districts=_public_districts())
        if form.is_valid():
            try:
                submission = services.report_submit(
                    actor=user if user.is_authenticated else None,
                    channel=Report.Channel.WEB,
                    reporter=citizen,
                    **form.submission(),
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                request.session[DONE_SESSION_KEY] = {
                    "reference": submission.report.reference,
                    "token": submission.tracking_token,
                }
                return redirect("signals:report_done")
    else:
        initial = {}
        if request.GET.get("category", "").isdigit():
            initial["category"] = request.GET["category"]
        form = ReportForm(initial=initial, districts=_public_districts())
    return render(request, "signals/report_form.html", form_context(form, staff=False))


def form_context(form, *, staff: bool) -> dict:
    categories = list(form.fields["category"].queryset)
    region = next((d.region for d in form.fields["district"].queryset[:1]), None)
    return {
        "form": form,
        "staff": staff,
        "categories": categories,
        "max_photos": settings.REPORT_PHOTO_MAX_COUNT,
        "max_photo_bytes": settings.REPORT_PHOTO_MAX_BYTES,
        "map_centre": (region.centre_lat, region.centre_lon) if region and region.centre_lat else None,
    }


def _rate_limited(request):
    response = render(
        request,
        "signals/rate_limited.html",
        {"limit": settings.ANON_REPORTS_PER_HOUR, "description": request.POST.get("description", "")[:4000]},
        status=429,
    )
    response["Retry-After"] = str(ratelimit.retry_after(RATE_WINDOW_SECONDS))
    return response


@require_GET
def category_fields(request):
    """htmx: the chosen category's description and extra fields (server-rendered)."""
    form_class = StaffReportForm if request.GET.get("staff") and request.user.is_authenticated else ReportForm
    form = form_class(initial={"category": request.GET.get("category", "")}, districts=District.objects.none())
    return render(request, "signals/category_fields_partial.html", {"form": form})


# Pages whose URL carries a tracking token, or that show one: the token must reach no other site,
# so no referrer leaves for another origin (links, images, map tiles). Requests to this site keep
# theirs: with "no-referrer" Chromium sends "Origin: null" on the page's own forms, and Django's
# CSRF check refuses them.
TRACKING_REFERRER_POLICY = "same-origin"


def report_done(request):
    return tracking_link_once(request, DONE_SESSION_KEY, "signals/report_done.html")


def tracking_link_once(request, session_key: str, template: str):
    """The reference and the private tracking link the session holds, shown once: never cached,
    and the link kept out of every referrer."""
    done = request.session.pop(session_key, None)
    context = {}
    if done:
        context = {
            "reference": done["reference"],
            "tracking_url": request.build_absolute_uri(reverse("signals:track", args=[done["token"]])),
        }
    response = render(request, template, context)
    add_never_cache_headers(response)
    response["Referrer-Policy"] = TRACKING_REFERRER_POLICY
    return response


@require_GET
def districts_geojson(request):
    """The districts' names and shapes, for the map of the public form: nothing else."""
    features = [
        {
            "type": "Feature",
            "geometry": boundary,
            "properties": {"id": district_id, "name": name, "approximate": approximate},
        }
        for district_id, name, approximate, boundary in _district_shapes()
    ]
    response = JsonResponse({"type": "FeatureCollection", "features": features})
    patch_cache_control(response, public=True, max_age=3600)
    return response


def _district_shapes():
    rows = District.objects.filter(boundary__isnull=False).order_by("region__kato", "kato")
    return [(d.id, d.name, d.boundary_approximate, d.boundary) for d in rows]
