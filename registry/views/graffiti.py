"""The drug graffiti page: the records of the user's scope by district and status, their places on a
small map, the photos before (the report's) and after (the answer's that showed it painted over)."""

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.models import District

from .. import policy, selectors
from ..models import Graffiti
from .indicators import PER_PAGE


@login_required
def graffiti_list(request):
    """GET /registry/graffiti/: the graffiti records of the user's scope, latest reported first,
    filtered by district and status (htmx replaces the results, the map with them)."""
    user = request.user
    if not policy.may_read_graffiti(user):
        raise PermissionDenied
    records = selectors.graffiti_for(user).select_related("district", "report")
    districts = District.objects.for_user(user).filter(pk__in=records.values("district_id")).order_by("kato")
    district = request.GET.get("district", "")
    district = district if district.isdigit() and districts.filter(pk=district).exists() else ""
    status = request.GET.get("status", "") if request.GET.get("status", "") in Graffiti.Status.values else ""
    if district:
        records = records.filter(district_id=district)
    if status:
        records = records.filter(status=status)
    page = Paginator(records.order_by("-reported_at", "-id"), PER_PAGE).get_page(request.GET.get("page"))
    photos = selectors.graffiti_photos(user, list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "rows": [(record, photos[record.pk]) for record in page.object_list],
        "points": json.dumps(
            [
                {
                    "lat": float(record.latitude),
                    "lon": float(record.longitude),
                    "status": record.status,
                    "label": record.address,
                }
                for record in page.object_list
                if record.latitude is not None and record.longitude is not None
            ]
        ),
        "query": query.urlencode(),
        "districts": districts,
        "statuses": Graffiti.Status.choices,
        "selected_district": district,
        "selected_status": status,
    }
    if request.headers.get("HX-Request"):
        return render(request, "registry/graffiti_partial.html", context)
    return render(request, "registry/graffiti.html", context)
