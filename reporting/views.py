from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from lib.metrics import Area

from . import policy
from .models import Metric


@login_required
def catalogue(request):
    """GET /reporting/metrics/: every metric of the catalogue by area, with its definition,
    source, unit and version; retired ones last, marked."""
    if not policy.may_read_summaries(request.user):
        raise PermissionDenied
    metrics = list(Metric.objects.select_related("parent").order_by("retired_at", "area", "order", "code"))
    areas = []
    for value, label in Area.choices:
        rows = [metric for metric in metrics if metric.area == value and metric.retired_at is None]
        if rows:
            areas.append({"label": label, "metrics": rows})
    retired = [metric for metric in metrics if metric.retired_at is not None]
    return render(request, "reporting/catalogue.html", {"areas": areas, "retired": retired})
