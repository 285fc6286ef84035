"""The social facilities on the results summary's map (lib.plugins `map_layers`): the facilities
built from returned assets as they stood at the summary's "as of" moment (their dated events,
supervision.business_metrics), in its region and districts, each at its own point or, without one,
at its district's centre (as the facilities' own map places them)."""

from django.utils import translation
from django.utils.translation import gettext as _

from lib.metrics import Window

from .business_metrics import facility_state_at
from .models import FacilityEvent, SocialFacility


def facility_points(window: Window, language: str) -> dict:
    """One point per facility recorded by the "as of" moment, labelled with its name and status then."""
    events = FacilityEvent.objects.filter(facility_state_at(window.as_of))
    if window.region_id is not None:
        events = events.filter(facility__region_id=window.region_id)
    if window.district_ids is not None:
        events = events.filter(facility__district_id__in=window.district_ids)
    points = []
    with translation.override(language):
        for event in events.select_related("facility__district").order_by("facility__name", "facility_id"):
            point = _place(event.facility)
            if point is None:
                continue
            status = SocialFacility.Status(event.status).label
            label = f"{event.facility.name} · {status} · {event.percent_done} %"
            points.append({"lat": point[0], "lon": point[1], "label": label, "approximate": point[2]})
        return {"key": "facilities", "label": _("Social facilities"), "points": points}


def _place(facility: SocialFacility) -> tuple[float, float, bool] | None:
    """The facility's point, else its district's centre (approximate), else none."""
    if facility.latitude is not None and facility.longitude is not None:
        return float(facility.latitude), float(facility.longitude), False
    district = facility.district
    if district.centre_lat is not None and district.centre_lon is not None:
        return float(district.centre_lat), float(district.centre_lon), True
    return None
