"""The region at a glance: a map of its districts (Leaflet, no base tiles) and their
population (Vega-Lite), both drawn from reference data under the strict CSP."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render

from accounts.models import District


def _visible_districts(user):
    return District.objects.for_user(user).select_related("region").order_by("kato")


@login_required
def region_overview(request):
    districts = list(_visible_districts(request.user))
    return render(
        request,
        "accounts/region.html",
        {
            "any_approximate": any(d.boundary and d.boundary_approximate for d in districts),
            "missing_shapes": [d for d in districts if not d.boundary and d.kind != District.Kind.CITY_DISTRICT],
        },
    )


@login_required
def districts_geojson(request):
    """The visible districts as a GeoJSON FeatureCollection, with names in the active language."""
    features = []
    for district in _visible_districts(request.user):
        properties = {
            "kato": district.kato,
            "name": district.name,
            "kind": district.kind,
            "population": district.population,
            "population_year": district.population_year,
            "approximate": district.boundary_approximate,
        }
        if district.boundary:
            features.append({"type": "Feature", "geometry": district.boundary, "properties": properties})
        if district.centre_lat is not None and district.centre_lon is not None:
            centre = {"type": "Point", "coordinates": [float(district.centre_lon), float(district.centre_lat)]}
            features.append(
                {"type": "Feature", "geometry": centre, "properties": {**properties, "centre": district.centre}}
            )
    return JsonResponse({"type": "FeatureCollection", "features": features})
