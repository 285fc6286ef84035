"""Pages of investment projects under supervision and of social facilities built from returned
assets.

/supervision/projects/ (the list, scoped by InvestmentProject.objects.for_user, filtered by status
and district), /supervision/projects/new/, /supervision/projects/<id>/ (its events, and the forms
to change its status and record problems solved); /supervision/facilities/ (the list),
/supervision/facilities/map/ (the offline map, markers coloured by status), /supervision/facilities/new/,
/supervision/facilities/<id>/ (its events and photos, the forms of progress and photos).

Readers are the act readers (supervision.scoping.reads_acts): body officers, citizens and partners
get 403; a record outside the reader's scope answers 404, as the acts do. A change is a prosecutor
of the record's office's (supervision.scoping.may_keep): anybody else gets 403. Bad input comes
back on its form with the service's reason, and nothing is saved.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import get_in_scope_or_404
from accounts.models import District
from lib.forms import written_through

from . import services
from .business_forms import (
    FacilityForm,
    FacilityPhotoForm,
    FacilityProgressForm,
    ProjectForm,
    ProjectProblemsForm,
    ProjectStatusForm,
)
from .models import CriminalCase, InvestmentProject, SocialFacility, SupervisoryAct
from .pages import PAGE_SIZE, choice, office_districts, own_office, require_reader, whole_number
from .scoping import may_keep


def _kept(request, model, pk: int):
    """A record to change: 403 unless the user is a prosecutor of its office (404 if none)."""
    require_reader(request.user)
    record = get_object_or_404(model, pk=pk)
    if not may_keep(request.user, record):
        raise PermissionDenied
    return record


def _filters(request, visible, statuses):
    districts = list(District.objects.for_choices().filter(pk__in=visible.values("district_id")).order_by("kato"))
    status = choice(request.GET.get("status", ""), statuses)
    district_id = whole_number(request.GET.get("district"))
    district_id = district_id if any(district.pk == district_id for district in districts) else None
    rows = visible
    if status:
        rows = rows.filter(status=status)
    if district_id:
        rows = rows.filter(district_id=district_id)
    return rows, {"districts": districts, "selected_status": status, "selected_district": district_id}


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- investment projects ------------------------------------------------------------------------


@login_required
@require_GET
def project_list(request):
    user = request.user
    require_reader(user)
    visible = InvestmentProject.objects.for_user(user)
    rows, context = _filters(request, visible, InvestmentProject.Status.values)
    rows = rows.select_related("district", "office").order_by("name", "id")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(
        {
            "page": page,
            "query": _query(request),
            "statuses": InvestmentProject.Status.choices,
            "can_record": own_office(user) is not None,
            "counts": dict(visible.values_list("status").annotate(n=Count("id")).order_by()),
        }
    )
    return render(request, "supervision/project_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def project_new(request):
    user = request.user
    require_reader(user)
    office = own_office(user)
    if office is None:
        raise PermissionDenied
    districts = office_districts(office)
    if request.method == "POST":
        form = ProjectForm(request.POST, districts=districts)
        project = written_through(form, lambda data: services.project_record(actor=user, office=office, **data))
        if project:
            messages.success(request, _("The project is taken under supervision."))
            return redirect("supervision:project_detail", project_id=project.pk)
    else:
        form = ProjectForm(districts=districts, initial={"on": timezone.localdate()})
    return render(request, "supervision/record_form.html", _form_context(form, office, "project"))


def _form_context(form, office, kind: str) -> dict:
    titles = {"project": _("An investment project under supervision"), "facility": _("A social facility")}
    lists = {"project": "supervision:projects", "facility": "supervision:facilities"}
    return {"form": form, "office": office, "title": titles[kind], "list_url": lists[kind], "kind": kind}


def _project_context(request, project, *, status_form=None, problems_form=None) -> dict:
    keep = may_keep(request.user, project)
    context = {
        "project": project,
        "events": list(project.events.select_related("actor").order_by("on", "at", "id")),
        "keep": keep,
    }
    if keep:
        today = timezone.localdate()
        context["status_form"] = status_form or ProjectStatusForm(
            prefix="status", initial={"on": today}, current=project.status
        )
        if project.status == InvestmentProject.Status.SUPERVISED:
            context["problems_form"] = problems_form or ProjectProblemsForm(prefix="problems", initial={"on": today})
    return context


@login_required
@require_GET
def project_detail(request, project_id):
    require_reader(request.user)
    project = get_in_scope_or_404(
        request, InvestmentProject.objects.for_user(request.user).select_related("district", "office"), pk=project_id
    )
    return render(request, "supervision/project_detail.html", _project_context(request, project))


@login_required
@require_POST
def project_status(request, project_id):
    project = _kept(request, InvestmentProject, project_id)
    form = ProjectStatusForm(request.POST, prefix="status", current=project.status)
    if written_through(form, lambda data: services.project_status(actor=request.user, project=project, **data)):
        messages.success(request, _("The project's status is changed."))
        return redirect("supervision:project_detail", project_id=project.pk)
    context = _project_context(request, project, status_form=form)
    return render(request, "supervision/project_detail.html", context)


@login_required
@require_POST
def project_problems(request, project_id):
    project = _kept(request, InvestmentProject, project_id)
    form = ProjectProblemsForm(request.POST, prefix="problems")
    if written_through(form, lambda data: services.project_problems(actor=request.user, project=project, **data)):
        messages.success(request, _("The problems solved are recorded."))
        return redirect("supervision:project_detail", project_id=project.pk)
    context = _project_context(request, project, problems_form=form)
    return render(request, "supervision/project_detail.html", context)


# --- social facilities -----------------------------------------------------------------------------


@login_required
@require_GET
def facility_list(request):
    user = request.user
    require_reader(user)
    visible = SocialFacility.objects.for_user(user)
    rows, context = _filters(request, visible, SocialFacility.Status.values)
    rows = rows.select_related("district", "office").order_by("name", "id")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(
        {
            "page": page,
            "query": _query(request),
            "statuses": SocialFacility.Status.choices,
            "can_record": own_office(user) is not None,
            "counts": dict(visible.values_list("status").annotate(n=Count("id")).order_by()),
        }
    )
    return render(request, "supervision/facility_list.html", context)


def _point(facility: SocialFacility) -> dict | None:
    """The facility's marker: its own point, else its district's centre (marked approximate)."""
    if facility.latitude is not None and facility.longitude is not None:
        lat, lon, approximate = facility.latitude, facility.longitude, False
    elif facility.district.centre_lat is not None and facility.district.centre_lon is not None:
        lat, lon, approximate = facility.district.centre_lat, facility.district.centre_lon, True
    else:
        return None
    return {
        "lat": float(lat),
        "lon": float(lon),
        "status": facility.status,
        "label": f"{facility.name} · {facility.get_status_display()} · {facility.percent_done} %",
        "approximate": approximate,
    }


@login_required
@require_GET
def facility_map(request):
    """The facilities of the user's scope on the offline map (district shapes, no base tiles unless
    the office has a tile server), coloured by status, with the same facilities in a table."""
    user = request.user
    require_reader(user)
    visible = SocialFacility.objects.for_user(user)
    rows, context = _filters(request, visible, SocialFacility.Status.values)
    facilities = list(rows.select_related("district").order_by("district__kato", "name", "id"))
    points = [point for point in (_point(facility) for facility in facilities) if point is not None]
    context.update(
        {
            "facilities": facilities,
            "points": json.dumps(points),
            "statuses": SocialFacility.Status.choices,
            "placed": len(points),
        }
    )
    return render(request, "supervision/facility_map.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def facility_new(request):
    user = request.user
    require_reader(user)
    office = own_office(user)
    if office is None:
        raise PermissionDenied
    kwargs = {
        "districts": office_districts(office),
        "acts": SupervisoryAct.objects.for_user(user).filter(region_id=office.region_id).order_by("-date", "-id"),
        "cases": CriminalCase.objects.for_user(user).filter(region_id=office.region_id).order_by("-id"),
    }
    if request.method == "POST":
        form = FacilityForm(request.POST, **kwargs)
        facility = written_through(form, lambda data: services.facility_record(actor=user, office=office, **data))
        if facility:
            messages.success(request, _("The facility is recorded."))
            return redirect("supervision:facility_detail", facility_id=facility.pk)
    else:
        form = FacilityForm(initial={"on": timezone.localdate()}, **kwargs)
    return render(request, "supervision/record_form.html", _form_context(form, office, "facility"))


def _facility_context(request, facility, *, progress_form=None, photo_form=None) -> dict:
    keep = may_keep(request.user, facility)
    source_act = facility.source_act
    source_case = facility.source_case
    context = {
        "facility": facility,
        "events": list(facility.events.select_related("actor").order_by("on", "at", "id")),
        "photos": list(facility.photos.all()),
        "keep": keep,
        "source_act": source_act
        if source_act and SupervisoryAct.objects.for_user(request.user).filter(pk=source_act.pk).exists()
        else None,
        "source_case": source_case
        if source_case and CriminalCase.objects.for_user(request.user).filter(pk=source_case.pk).exists()
        else None,
        "point": _point(facility),
    }
    context["points"] = json.dumps([context["point"]] if context["point"] else [])
    if keep and facility.status != SocialFacility.Status.COMPLETED:
        context["progress_form"] = progress_form or FacilityProgressForm(
            prefix="progress",
            initial={"status": facility.status, "percent_done": facility.percent_done, "on": timezone.localdate()},
        )
    if keep:
        context["photo_form"] = photo_form or FacilityPhotoForm(prefix="photo")
    return context


def _visible_facility(request, facility_id: int) -> SocialFacility:
    require_reader(request.user)
    return get_in_scope_or_404(
        request,
        SocialFacility.objects.for_user(request.user).select_related("district", "office", "source_act", "source_case"),
        pk=facility_id,
    )


@login_required
@require_GET
def facility_detail(request, facility_id):
    facility = _visible_facility(request, facility_id)
    return render(request, "supervision/facility_detail.html", _facility_context(request, facility))


@login_required
@require_POST
def facility_progress(request, facility_id):
    facility = _kept(request, SocialFacility, facility_id)
    form = FacilityProgressForm(request.POST, prefix="progress")
    if written_through(form, lambda data: services.facility_progress(actor=request.user, facility=facility, **data)):
        messages.success(request, _("The facility's progress is recorded."))
        return redirect("supervision:facility_detail", facility_id=facility.pk)
    context = _facility_context(request, facility, progress_form=form)
    return render(request, "supervision/facility_detail.html", context)


@login_required
@require_POST
def facility_photo_add(request, facility_id):
    facility = _kept(request, SocialFacility, facility_id)
    form = FacilityPhotoForm(request.POST, request.FILES, prefix="photo")
    if form.is_valid():
        try:
            services.facility_photo_add(
                actor=request.user,
                facility=facility,
                upload=form.cleaned_data["image"],
                taken_on=form.cleaned_data["taken_on"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The photo is added."))
            return redirect("supervision:facility_detail", facility_id=facility.pk)
    context = _facility_context(request, facility, photo_form=form)
    return render(request, "supervision/facility_detail.html", context)


@login_required
@require_GET
def facility_photo(request, facility_id, photo_id):
    """A facility's photo, served only to those who read the facility (never from a public URL)."""
    facility = _visible_facility(request, facility_id)
    photo = get_object_or_404(facility.photos, pk=photo_id)
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    patch_cache_control(response, private=True, max_age=3600)
    return response
