"""Public pages around a report: duplicate suggestions and "me too", the reporter's follow-up
through the private tracking link, and the public map of reports.

Anonymous, rate-limited per client address in the cache only (lib.ratelimit: no address is
stored). Nothing here shows a description, a contact or anything about who reported; sensitive
categories and reports never appear (the tracking page of a sensitive report is its reporter's).
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lib import ratelimit
from signals import selectors, services
from signals.models import Report, ReportEvent, ReportSupporter
from signals.nearby import nearby_reports
from signals.policy import ANSWERED_STATUSES, FINAL_STATUSES, may_join
from signals.public_forms import (
    FollowUpForm,
    MapFilterForm,
    MeTooForm,
    NearbyForm,
    NotResolvedForm,
    RatingForm,
)
from signals.references import is_reference, token_hash
from signals.views.report_form import TRACKING_REFERRER_POLICY, tracking_link_once

# --- Tracking ----------------------------------------------------------------------------------

PUBLIC_EVENT_KINDS = {
    ReportEvent.Kind.SUBMITTED,
    ReportEvent.Kind.ROUTED,
    ReportEvent.Kind.TRIAGE,
    ReportEvent.Kind.REROUTED,
    ReportEvent.Kind.RECATEGORISED,
    ReportEvent.Kind.STATUS,
    ReportEvent.Kind.FORWARDED,
    ReportEvent.Kind.OVERDUE,
    ReportEvent.Kind.MERGED,
    ReportEvent.Kind.ME_TOO,
    ReportEvent.Kind.FOLLOW_UP,
}
Status = Report.Status


def _public_event(event: ReportEvent) -> dict:
    """What the reporter may read of an event: its time and a plain sentence (no staff, no notes,
    nothing another reporter wrote)."""
    kind = ReportEvent.Kind
    body = event.body.name if event.body_id else ""
    if event.kind == kind.SUBMITTED:
        text = _("The report was received.")
    elif event.kind in (kind.ROUTED, kind.REROUTED, kind.FORWARDED) and body:
        text = _("Passed to %(body)s.") % {"body": body}
    elif event.kind == kind.TRIAGE:
        text = _("The prosecutor's office is choosing the body that must act.")
    elif event.kind == kind.RECATEGORISED:
        text = _("The category of the report was corrected.")
    elif event.kind == kind.STATUS and event.to_status in Report.Status.values:
        text = _("Status: %(status)s.") % {"status": Report.Status(event.to_status).label}
    elif event.kind == kind.OVERDUE:
        text = _("The deadline for the answer has passed.")
    elif event.kind == kind.MERGED:
        text = _("A report about the same thing was joined to this one.")
    elif event.kind == kind.ME_TOO:
        text = _("Another person reported the same thing.")
    elif event.kind == kind.FOLLOW_UP:
        text = _("A reporter added information.")
    else:
        text = event.get_kind_display().capitalize()
    return {"at": event.at, "text": text}


RATE_WINDOW_SECONDS = 3600
# Suggestions are asked as the person moves the point: many more than reports are sent.
NEARBY_PER_REPORT = 30
ME_TOO_SESSION_KEY = "signals:me_too_done"
MAP_MAX_AGE = 60


def _within_limit(request, scope: str, limit: int) -> bool:
    return ratelimit.public_hit(request, scope, limit, RATE_WINDOW_SECONDS)


def _too_many(request, *, kept_text: str = "", template="signals/public/rate_limited.html"):
    response = render(
        request,
        template,
        {"limit": settings.ANON_REPORTS_PER_HOUR, "kept_text": (kept_text or "")[:4000]},
        status=429,
    )
    response["Retry-After"] = str(ratelimit.retry_after(RATE_WINDOW_SECONDS))
    add_never_cache_headers(response)
    return response


def _private(response):
    """Pages that carry or follow a tracking link: never cached, never referred to another site,
    never indexed."""
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    response["Referrer-Policy"] = TRACKING_REFERRER_POLICY
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# --- duplicate suggestions and "me too" ---------------------------------------------------------


@require_GET
def nearby(request):
    """The public form asks, once a category and a point are chosen: open public reports of the
    same category within 250 m (an HTML fragment; empty when there are none)."""
    if not _within_limit(request, "report-nearby", settings.ANON_REPORTS_PER_HOUR * NEARBY_PER_REPORT):
        return _too_many(request, template="signals/public/nearby_limited_partial.html")
    form = NearbyForm(request.GET)
    if not form.is_valid():
        return HttpResponse(_("Choose a category and a point on the map."), status=400, content_type="text/plain")
    data = form.cleaned_data
    suggestions = nearby_reports(category=data["category"], latitude=data["latitude"], longitude=data["longitude"])
    response = render(request, "signals/public/nearby_partial.html", {"suggestions": suggestions})
    add_never_cache_headers(response)
    return response


def _public_report_or_404(reference: str) -> Report:
    """The report of a public category with this reference. A sensitive one answers exactly as a
    reference nobody was given: whether it exists is not for the public to learn."""
    reference = (reference or "").strip().upper()
    if not is_reference(reference):
        raise Http404
    public = Report.objects.public().filter(category__sensitive=False).select_related("category", "district")
    return get_object_or_404(public, reference=reference)


@require_http_methods(["GET", "POST"])
def me_too(request, reference):
    """Join an open public report instead of sending the same one again: an optional contact
    (prosecutors alone see it) and, in return, the person's own private tracking link."""
    report = _public_report_or_404(reference)
    refused = "" if may_join(report) else _("This report cannot be joined.")
    status = 200
    if request.method == "POST":
        if not _within_limit(request, "report-me-too", settings.ANON_REPORTS_PER_HOUR):
            return _too_many(request)
        form = MeTooForm(request.POST)
        if form.is_valid():
            try:
                _supporter, token = services.report_me_too(report=report, contact=form.contact())
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    form.add_service_errors(error)
                else:
                    refused = " ".join(error.messages)
            else:
                request.session[ME_TOO_SESSION_KEY] = {"reference": report.reference, "token": token}
                return redirect("signals:me_too_done")
        status = 400
    else:
        form = MeTooForm()
    context = {"report": report if not refused else None, "reference": report.reference, "form": form}
    context["refused"] = refused
    return render(request, "signals/public/me_too.html", context, status=status)


def me_too_done(request):
    """The person's own tracking link, shown once (like /report/done/)."""
    return tracking_link_once(request, ME_TOO_SESSION_KEY, "signals/public/me_too_done.html")


# --- the tracking page and the reporter's follow-up ---------------------------------------------

MAX_MERGE_HOPS = 10


@dataclass
class Tracking:
    """What a private tracking link follows: `report` (the one merged into, when the link's own
    report was merged), `own` (the link's report, or the joined one for a "me too")."""

    report: Report
    own: Report
    supporter: ReportSupporter | None = None

    @property
    def merged(self) -> bool:
        return self.own.pk != self.report.pk


def resolve_tracking(token: str) -> Tracking | None:
    """The report a tracking link follows: a reporter's, a "me too" follower's; a report merged
    into another is followed in the one it was merged into."""
    report = services.find_report_by_token(token)
    supporter = None
    if report is None:
        if not token or len(token) > 200:
            return None
        supporter = (
            ReportSupporter.objects.select_related("report").filter(tracking_token_hash=token_hash(token)).first()
        )
        if supporter is None:
            return None
        report = supporter.report
    own, seen = report, {report.pk}
    while report.status == Status.DUPLICATE and report.duplicate_of_id and len(seen) <= MAX_MERGE_HOPS:
        if report.duplicate_of_id in seen:
            break
        report = Report.objects.get(pk=report.duplicate_of_id)
        seen.add(report.pk)
    return Tracking(report=report, own=own, supporter=supporter)


def _tracking_or_404(token: str) -> Tracking:
    tracking = resolve_tracking(token)
    if tracking is None:
        raise Http404
    return tracking


def _timeline(report: Report) -> tuple[Report, list[dict]]:

    report = (
        Report.objects.select_related("category", "district", "body", "duplicate_of")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=ReportEvent.objects.filter(kind__in=PUBLIC_EVENT_KINDS).select_related("body"),
                to_attr="public_events",
            )
        )
        .get(pk=report.pk)
    )
    return report, [_public_event(event) for event in report.public_events]


def _render_track(request, token: str, tracking: Tracking, forms: dict | None = None, status: int = 200):
    report, timeline = _timeline(tracking.report)
    forms = forms or {}
    may = {
        "followup": report.status not in FINAL_STATUSES,
        "not_resolved": report.status in ANSWERED_STATUSES and report.status != Status.REOPENED,
        "rating": report.status in ANSWERED_STATUSES,
    }
    # A refusal (the status does not allow it), or errors of a form the page does not show now,
    # are said at the top of the page.
    page_errors = []
    for key, form in forms.items():
        if may[key]:
            page_errors += form.non_field_errors()
        else:
            page_errors += [error for errors in form.errors.values() for error in errors]
    context = {
        "report": report,
        "timeline": timeline,
        "own_reference": tracking.own.reference if tracking.merged else "",
        "joined": tracking.supporter is not None,
        "token": token,
        # The answer is the body's public text; while the prosecutor has it re-worked it is not shown.
        "show_answer": bool(report.public_answer) and report.status != Status.RETURNED,
        "may_add": may["followup"],
        "may_reopen": may["not_resolved"],
        "may_rate": may["rating"],
        "page_errors": page_errors,
        "followup_form": forms.get("followup") or FollowUpForm(),
        "not_resolved_form": forms.get("not_resolved") or NotResolvedForm(),
        "rating_form": forms.get("rating") or RatingForm(initial={"rating": report.rating}),
        "max_photos": settings.REPORT_PHOTO_MAX_COUNT,
    }
    return _private(render(request, "signals/track.html", context, status=status))


def track(request, token):
    """GET /track/<token>/: the status, the public timeline and answer, the reporter's follow-up
    forms; it also follows "me too" links and merged reports."""
    return _render_track(request, token, _tracking_or_404(token))


def _follow_up(request, token: str, *, form_class, key: str, action, success: str):
    tracking = _tracking_or_404(token)
    prefix = form_class().prefix
    if not _within_limit(request, "report-follow-up", settings.ANON_REPORTS_PER_HOUR):
        return _private(_too_many(request, kept_text=request.POST.get(f"{prefix}-text", "")))
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            action(tracking.report, form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, success)
            return redirect(reverse("signals:track", args=[token]) + f"#{key.replace('_', '-')}")
    return _render_track(request, token, tracking, {key: form}, status=400)


@require_POST
def followup_add(request, token):
    return _follow_up(
        request,
        token,
        form_class=FollowUpForm,
        key="followup",
        action=lambda report, data: services.followup_add(
            report=report, text=data.get("text", ""), photos=data.get("photos") or []
        ),
        success=_("Thank you: your information was added to the report. The prosecutor's office is told."),
    )


@require_POST
def followup_not_resolved(request, token):
    return _follow_up(
        request,
        token,
        form_class=NotResolvedForm,
        key="not_resolved",
        action=lambda report, data: services.followup_not_resolved(report=report, text=data["text"]),
        success=_("Thank you: the prosecutor's office will look at the report again and decide."),
    )


@require_POST
def followup_rate(request, token):
    return _follow_up(
        request,
        token,
        form_class=RatingForm,
        key="rating",
        action=lambda report, data: services.followup_rate(report=report, rating=data["rating"]),
        success=_("Thank you for rating the answer."),
    )


# --- the public map -----------------------------------------------------------------------------


@require_GET
def public_map(request):
    """/map/: reports of public categories on the district shapes, coarsened to about 500 m."""
    form = MapFilterForm(request.GET)
    valid = form.is_valid()
    filters = form.cleaned_data if valid else {}
    selected = {name: request.GET.get(name, "").strip() for name in ("category", "district", "status", "months")}
    if valid:
        selected = {
            "category": filters["category"].code if filters.get("category") else "",
            "district": str(filters["district"].pk) if filters.get("district") else "",
            "status": filters.get("status") or "",
            "months": str(filters["months"]),
        }
    districts = selectors.map_district_counts(filters) if valid else []
    context = {
        "form": form,
        "error": "" if valid else form.first_error(),
        "selected": selected,
        "query": form.query() if valid else "",
        "districts": districts,
        "total": sum(row["count"] for row in districts),
    }
    return render(request, "signals/public/map.html", context, status=200 if valid else 400)


@require_GET
def map_reports(request):
    """GeoJSON of the map: one point per grid cell with the number of reports in it (and per
    category code); public, briefly cacheable, the same for everybody."""
    form = MapFilterForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"error": form.first_error()}, status=400)
    features, since = selectors.map_cells(form.cleaned_data)
    response = JsonResponse(
        {
            "type": "FeatureCollection",
            "features": features,
            "since": since.date().isoformat(),
            "total": sum(feature["properties"]["count"] for feature in features),
        }
    )
    patch_cache_control(response, public=True, max_age=MAP_MAX_AGE)
    return response
