"""The pages of the crime statistics' imports: the region's imports, the upload, and an import's
page with its progress (polled by htmx while it is read), what changed, and its rows' problems.
The analyst imports; the region-wide roles read the imports."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.models import District
from accounts.scoping import is_region_wide
from lib import tables

from . import crimefile, crimetable, services, tasks
from .forms import CrimeImportForm, CrimeTableForm
from .models import CrimeImport, CrimeTableImport, Gravity
from .scoping import may_import_crime

PER_PAGE = 30
PROBLEMS_PER_PAGE = 50


def _require_reader(user) -> None:
    """The imports are the region's: its analyst and its region-wide roles read them."""
    if not (user.is_authenticated and (may_import_crime(user) or is_region_wide(user))):
        raise PermissionDenied


def _imports_for(user):
    if user.is_superuser:
        return CrimeImport.objects.all()
    return CrimeImport.objects.filter(region_id=user.organisation.region_id if user.organisation_id else None)


@login_required
def crime_import_list(request):
    """GET /supervision/crime/imports/: the region's imports, the latest first."""
    _require_reader(request.user)
    imports = _imports_for(request.user).select_related("uploaded_by")
    page = Paginator(imports, PER_PAGE).get_page(request.GET.get("page"))
    tables_ = _tables_for(request.user).select_related("uploaded_by")[:24]
    context = {"page": page, "tables": tables_, "may_import": may_import_crime(request.user)}
    return render(request, "supervision/crime_import_list.html", context)


def _tables_for(user):
    if user.is_superuser:
        return CrimeTableImport.objects.all()
    return CrimeTableImport.objects.filter(region_id=user.organisation.region_id if user.organisation_id else None)


@login_required
def crime_table_new(request):
    """GET, POST /supervision/crime/tables/new/: a month's aggregated table and its mapping; read at once."""
    user = request.user
    if not may_import_crime(user):
        raise PermissionDenied
    mappings = crimetable.shipped()
    form = CrimeTableForm(request.POST or None, request.FILES or None, mappings=mappings)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["mapping_file"]:
                mapping = crimetable.parse_mapping(data["mapping_file"].read(), services.crime_tables_known_codes())
            else:
                mapping = mappings[data["mapping"]]
            table = services.crime_table_import(actor=user, upload=data["file"], mapping=mapping, month=data["month"])
        except tables.TableFileError as error:
            form.add_error("mapping_file", error.text())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The table is imported: its month's figures are recorded."))
            return redirect("supervision:crime_table", pk=table.pk)
    context = {"form": form, "mappings": mappings.values()}
    return render(request, "supervision/crime_table_form.html", context, status=400 if form.errors else 200)


@login_required
def crime_table_detail(request, pk: int):
    """GET /supervision/crime/tables/<id>/: a month's table, its mapping, what it changed."""
    _require_reader(request.user)
    table = get_object_or_404(_tables_for(request.user).select_related("uploaded_by"), pk=pk)
    districts = {district.kato: district.name for district in District.objects.filter(region_id=table.region_id)}
    changes = [
        {**change, "district_name": districts.get(change["district"], change["district"])} for change in table.changes
    ]
    return render(request, "supervision/crime_table_detail.html", {"table": table, "changes": changes})


@login_required
def crime_import_new(request):
    """GET, POST /supervision/crime/imports/new/: a file uploaded with its period; read by a worker."""
    user = request.user
    if not may_import_crime(user):
        raise PermissionDenied
    form = CrimeImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            crime_import = tasks.crime_import_start(
                actor=user, upload=data["file"], period_start=data["period_start"], period_end=data["period_end"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The file is being read."))
            return redirect("supervision:crime_import", pk=crime_import.pk)
    context = {"form": form, "fields": _template_fields()}
    return render(request, "supervision/crime_import_form.html", context, status=400 if form.errors else 200)


def _template_fields() -> list[dict]:
    return [
        {
            "name": crimefile.FIELD_NAMES[name],
            "required": name in crimefile.REQUIRED,
            "headers": ", ".join(f"“{title}”" for title in titles),
        }
        for name, titles in crimefile.HEADERS.items()
    ]


@login_required
def crime_import_template(request):
    """GET /supervision/crime/imports/template.csv: the columns' headers, in Russian, and one example row."""
    _require_reader(request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="crime-statistics-template.csv"'
    response.write("\ufeff")  # a byte-order mark: spreadsheet programs then read the file as UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow([crimefile.HEADERS[name][2] for name in crimefile.HEADERS])
    example_kato = District.objects.filter(region_id=getattr(request.user.organisation, "region_id", None))
    kato = example_kato.order_by("kato").values_list("kato", flat=True).first() or ""
    writer.writerow(["15.03.2025", kato, "190", "2", "средней тяжести", "преступление", "нет", "нет", "нет", ""])
    return response


def _page_context(request, crime_import: CrimeImport) -> dict:
    problems = Paginator(crime_import.problems.all(), PROBLEMS_PER_PAGE).get_page(request.GET.get("page"))
    for problem in problems.object_list:
        problem.text = tables.Problem(problem.message, problem.params).text()
    failure = tables.Problem(crime_import.problem, crime_import.problem_params).text() if crime_import.problem else ""
    districts = {district.kato: district.name for district in District.objects.filter(region_id=crime_import.region_id)}
    changes = [
        {
            **change,
            "district_name": districts.get(change["district"], change["district"]),
            "gravity_name": Gravity(change["gravity"]).label if change["gravity"] else _("gravity unknown"),
        }
        for change in crime_import.changes
    ]
    percent = round(100 * crime_import.rows_read / crime_import.rows_total) if crime_import.rows_total else 0
    return {
        "crime_import": crime_import,
        "problems": problems,
        "failure": failure,
        "changes": changes,
        "percent": min(percent, 100) if crime_import.status != CrimeImport.Status.DONE else 100,
    }


@login_required
def crime_import_detail(request, pk: int):
    """GET /supervision/crime/imports/<id>/: the import, its progress, what changed, its problems."""
    _require_reader(request.user)
    crime_import = get_object_or_404(_imports_for(request.user).select_related("uploaded_by"), pk=pk)
    if request.headers.get("HX-Request") and request.GET.get("part") == "progress":
        return render(request, "supervision/crime_import_progress_partial.html", _page_context(request, crime_import))
    return render(request, "supervision/crime_import_detail.html", _page_context(request, crime_import))
