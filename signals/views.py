"""Pages of the offence reports: the public form, its tracking page, and the staff's pages.

Public: /report/ (anyone, anonymous allowed, rate-limited per address in the cache only),
/report/done/ (the reference and the private tracking link, shown once), /track/<token>/.
Staff: /signals/ (the list, scoped by Report.objects.for_user), /signals/new/ (a report taken
from a caller), /signals/<reference>/ (the detail; prosecutors re-categorise, re-route and move
the report through its workflow by small POST forms that call the services).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import get_in_scope_or_404
from accounts.audit import audit_record
from accounts.models import AuditEvent, District, Organisation, Role
from lib import ratelimit
from signals import policy, services
from signals.forms import ReportForm, StaffReportForm
from signals.models import Category, Report, ReportEvent
from signals.policy import may_see_reporter

DONE_SESSION_KEY = "signals:report_done"
RATE_WINDOW_SECONDS = 3600
PAGE_SIZE = 25

# Staff who re-categorise, re-route and move reports through the workflow.
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
    return render(request, "signals/report_form.html", _form_context(form, staff=False))


def _form_context(form, *, staff: bool) -> dict:
    categories = list(form.fields["category"].queryset)
    region = next((d.region for d in form.fields["district"].queryset[:1]), None)
    return {
        "form": form,
        "staff": staff,
        "categories": categories,
        "max_photos": settings.REPORT_PHOTO_MAX_COUNT,
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


def report_done(request):
    done = request.session.pop(DONE_SESSION_KEY, None)
    context = {}
    if done:
        context = {
            "reference": done["reference"],
            "tracking_url": request.build_absolute_uri(reverse("signals:track", args=[done["token"]])),
        }
    response = render(request, "signals/report_done.html", context)
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "no-referrer"
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


def track(request, token):
    """The private tracking page: signals.public_views.track_page (status, public timeline and
    answer, the follow-up forms); it also follows "me too" links and merged reports."""
    from signals.public_views import track_page

    return track_page(request, token)


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


# --- Staff pages -------------------------------------------------------------------------------


def _require_staff(user) -> None:
    if not policy.may_work_on_reports(user):
        raise PermissionDenied


@login_required
def staff_new(request):
    user = request.user
    if not policy.may_take_reports(user):
        raise PermissionDenied
    districts = District.objects.for_user(user).for_choices().order_by("kato")
    if request.method == "POST":
        form = StaffReportForm(request.POST, request.FILES, districts=districts)
        if form.is_valid():
            try:
                submission = services.report_submit(
                    actor=user, channel=form.cleaned_data["channel"], **form.submission()
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                report = submission.report
                messages.success(
                    request,
                    _("Report %(reference)s is registered. Tracking link for the caller: %(url)s")
                    % {
                        "reference": report.reference,
                        "url": request.build_absolute_uri(reverse("signals:track", args=[submission.tracking_token])),
                    },
                )
                if Report.objects.for_user(user).filter(pk=report.pk).exists():
                    return redirect("signals:detail", reference=report.reference)
                return redirect("signals:list")
    else:
        form = StaffReportForm(districts=districts)
    return render(request, "signals/report_form.html", _form_context(form, staff=True))


def _filters(request, user):
    districts = list(District.objects.for_user(user).for_choices().order_by("kato"))
    categories = list(Category.objects.all())
    status = request.GET.get("status", "")
    if status not in Report.Status.values:
        status = ""
    category_id = _choice_id(request.GET.get("category", ""), categories)
    district_id = _choice_id(request.GET.get("district", ""), districts)
    queue = request.GET.get("queue", "")
    if queue != "triage":
        queue = ""
    return {
        "districts": districts,
        "categories": categories,
        "statuses": Report.Status.choices,
        "selected_status": status,
        "selected_category": category_id,
        "selected_district": district_id,
        "queue": queue,
    }


def _choice_id(value: str, choices) -> int | None:
    """A filter only narrows what the user may see anyway: anything else is ignored."""
    if not value.isdigit():
        return None
    wanted = int(value)
    return wanted if any(choice.id == wanted for choice in choices) else None


@login_required
def report_list(request):
    user = request.user
    _require_staff(user)
    filters = _filters(request, user)
    reports = Report.objects.for_user(user).select_related("category", "district", "body")
    if filters["selected_status"]:
        reports = reports.filter(status=filters["selected_status"])
    if filters["selected_category"]:
        reports = reports.filter(category_id=filters["selected_category"])
    if filters["selected_district"]:
        reports = reports.filter(district_id=filters["selected_district"])
    if filters["queue"] == "triage":
        reports = reports.filter(status=Report.Status.NEW, body__isnull=True)
    page = Paginator(reports.order_by("-submitted_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **filters,
        "page": page,
        "query": query.urlencode(),
        "is_prosecutor": policy.is_prosecutor(user),
        "can_enter": policy.may_take_reports(user),
        "triage_count": Report.objects.for_user(user).filter(status=Report.Status.NEW, body__isnull=True).count()
        if policy.is_prosecutor(user)
        else None,
    }
    if request.headers.get("HX-Request"):
        return render(request, "signals/report_list_partial.html", context)
    return render(request, "signals/report_list.html", context)


def _visible_report(request, reference: str) -> Report:
    visible = Report.objects.for_user(request.user).select_related(
        "category", "district", "body", "region", "entered_by"
    )
    return get_in_scope_or_404(request, visible, reference=reference)


@login_required
def report_detail(request, reference):
    user = request.user
    _require_staff(user)
    report = _visible_report(request, reference)
    return render_detail(request, report)


def render_detail(request, report: Report, *, forms: dict | None = None):
    """The report's page; `forms` are work forms bound to a refused POST (signals.work_views),
    shown again as they were typed, with the service's message."""
    from signals import work_views

    user = request.user
    contact = None
    if may_see_reporter(user):
        contact = getattr(report, "contact", None) if _has_contact(report) else None
        if contact is not None:
            audit_record(
                action=AuditEvent.Action.PERSONAL_DATA_VIEW,
                actor=user,
                target=f"report:{report.reference}",
                details={"what": "reporter contact"},
                request=request,
            )
    # The timeline holds the events of the reports merged into this one too.
    events = work_views.timeline(report)
    context = {
        "report": report,
        "attributes": _attribute_rows(report),
        "photos": report.photos.all(),
        "events": events,
        "contact": contact,
        "shows_identity": may_see_reporter(user),
        "can_reroute": policy.may_reroute(user, report),
    }
    # Accepting and returning an answer have their own panel (with the answer beside them).
    context["transitions"] = [
        (value, label)
        for value, label in _allowed_statuses(user, report)
        if value not in (Report.Status.RESOLVED, Report.Status.RETURNED)
    ]
    context["transition_values"] = [value for value, _label in context["transitions"]]
    if context["can_reroute"]:
        context["categories"] = Category.objects.filter(is_active=True)
        context["bodies"] = _bodies_for(report)
    context.update(work_views.work_context(request, report, forms or {}))
    return render(request, "signals/report_detail.html", context)


def _status_label(status: str) -> str:
    return Report.Status(status).label if status in Report.Status.values else status


def _has_contact(report: Report) -> bool:
    try:
        report.contact  # noqa: B018
    except Report.contact.RelatedObjectDoesNotExist:
        return False
    return True


def _attribute_rows(report: Report) -> list[dict]:
    """The extra fields with their questions (and choice names) in the reader's language."""
    definitions = {attribute.code: attribute for attribute in report.category.attributes.all()}
    rows = []
    for code, value in (report.attributes or {}).items():
        attribute = definitions.get(code)
        question = services.attribute_label(attribute) if attribute else code
        if attribute and attribute.values:
            names = {item["key"]: _choice_name(item) for item in attribute.values}
            values = value if isinstance(value, list) else [value]
            value = ", ".join(names.get(str(v), str(v)) for v in values)
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        rows.append({"question": question or code, "value": value})
    return rows


def _choice_name(item: dict) -> str:
    from signals.forms import _value_name

    return _value_name(item)


def _bodies_for(report: Report):
    bodies = Organisation.objects.filter(kind=Organisation.Kind.BODY, is_active=True)
    if report.district_id:
        district_ids = {report.district_id}
        if report.district.parent_id:
            district_ids.add(report.district.parent_id)
        bodies = bodies.filter(districts__in=district_ids)
    else:
        bodies = bodies.filter(region_id=report.region_id)
    return bodies.distinct().order_by("type", "code")


def _allowed_statuses(user, report: Report) -> list[tuple[str, str]]:
    """The status buttons for this user; answering (with its text) belongs to the answer pages."""
    allowed = set(policy.actions_for(user, report)) - {Report.Status.ANSWERED}
    return [(status, Report.Status(status).label) for status in Report.Status.values if status in allowed]


def _prosecutor_report(request, reference) -> Report:
    """A report the user may see and decide on (PermissionDenied when they only see it)."""
    _require_staff(request.user)
    report = _visible_report(request, reference)
    if not policy.may_decide(request.user, report):
        raise PermissionDenied
    return report


def _staff_report(request, reference) -> Report:
    _require_staff(request.user)
    return _visible_report(request, reference)


def _apply(request, report: Report, action, success: str):
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDenied:
        messages.error(request, _("You may not make this change to this report."))
    else:
        messages.success(request, success)
    return redirect("signals:detail", reference=report.reference)


@login_required
@require_POST
def report_recategorise(request, reference):
    report = _prosecutor_report(request, reference)
    category = Category.objects.filter(is_active=True, pk=_int(request.POST.get("category"))).first()
    if category is None:
        messages.error(request, _("Choose a category."))
        return redirect("signals:detail", reference=report.reference)
    reason = request.POST.get("reason", "").strip()[:1000]
    return _apply(
        request,
        report,
        lambda: services.report_recategorise(report=report, category=category, actor=request.user, reason=reason),
        _("The category is changed; the deadline was recomputed."),
    )


@login_required
@require_POST
def report_reroute(request, reference):
    report = _prosecutor_report(request, reference)
    body = _bodies_for(report).filter(pk=_int(request.POST.get("body"))).first()
    if body is None:
        messages.error(request, _("Choose a body serving the report's district."))
        return redirect("signals:detail", reference=report.reference)
    reason = request.POST.get("reason", "").strip()[:1000]
    return _apply(
        request,
        report,
        lambda: services.report_reroute(report=report, body=body, actor=request.user, reason=reason),
        _("The report is re-routed; the body is notified and the deadline was recomputed."),
    )


@login_required
@require_POST
def report_transition(request, reference):
    report = _staff_report(request, reference)
    to_status = request.POST.get("to_status", "")
    if to_status not in Report.Status.values:
        messages.error(request, _("Choose a status."))
        return redirect("signals:detail", reference=report.reference)
    reason = request.POST.get("reason", "").strip()[:2000]
    extra = {}
    if to_status == Report.Status.DUPLICATE:
        # Only a report the user may see can be named as the original.
        reference_of_original = request.POST.get("duplicate_of", "").strip().upper()
        extra["duplicate_of"] = (
            Report.objects.for_user(request.user).filter(reference=reference_of_original).first()
            if reference_of_original
            else None
        )
    return _apply(
        request,
        report,
        lambda: services.report_transition(
            report=report, to_status=to_status, actor=request.user, reason=reason, **extra
        ),
        _("The status is changed."),
    )


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


@login_required
def report_photo(request, reference, photo_id):
    """A report's photo, served only to those who may see the report (never from a public URL)."""
    user = request.user
    _require_staff(user)
    report = _visible_report(request, reference)
    photo = get_object_or_404(report.photos, pk=photo_id)
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    patch_cache_control(response, private=True, max_age=3600)
    return response
