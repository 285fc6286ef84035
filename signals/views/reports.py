"""The staff's pages of reports: /signals/ (the list, scoped by Report.objects.for_user),
/signals/new/ (a report taken from a caller), and the prosecutor's changes from a report's page
(re-categorise, re-route, move it along the workflow) as small POST forms calling the services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import District
from signals import policy, services
from signals.forms import StaffReportForm
from signals.models import Category, Report
from signals.views.detail import bodies_for, decidable_report, require_staff, visible_report
from signals.views.report_form import form_context

PAGE_SIZE = 25


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
    return render(request, "signals/report_form.html", form_context(form, staff=True))


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
    require_staff(user)
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
    report = decidable_report(request, reference)
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
    report = decidable_report(request, reference)
    body = bodies_for(report).filter(pk=_int(request.POST.get("body"))).first()
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
    report = visible_report(request, reference)
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
    require_staff(user)
    report = visible_report(request, reference)
    photo = get_object_or_404(report.photos, pk=photo_id)
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    patch_cache_control(response, private=True, max_age=3600)
    return response
