"""The social facilities on the results summary's map (lib.plugins map_layers): as they stood on
the window's "as of" moment, in its region and districts only, at their point or their district's
centre."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from accounts.models import District
from lib.metrics import Window
from lib.plugins import map_layers
from supervision.map_layers import facility_points
from supervision.models import SocialFacility
from supervision.services import facility_progress

from .factories import ALGA
from .records import new_facility

pytestmark = pytest.mark.django_db

AKTOBE = ZoneInfo("Asia/Aqtobe")


def moment(year, month, day, hour=12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=AKTOBE)


def window(as_of: datetime, *katos) -> Window:
    alga = District.objects.get(kato=ALGA)
    ids = frozenset(District.objects.filter(kato__in=katos).values_list("pk", flat=True)) if katos else None
    return Window(alga.region_id, ids, moment(2025, 1, 1, 0), moment(2025, 10, 1, 0), as_of)


def test_it_shows_each_facility_as_it_stood_on_the_as_of_day(persona):
    prosecutor = persona("alga_prosecutor")
    facility = new_facility(prosecutor, latitude="49.9", longitude="57.33", now=moment(2025, 3, 1))
    facility_progress(
        actor=prosecutor,
        facility=facility,
        status=SocialFacility.Status.BUILDING,
        percent_done=40,
        on=date(2025, 6, 1),
        now=moment(2025, 6, 1),
    )
    spring = facility_points(window(moment(2025, 4, 30)), "en")
    assert spring["key"] == "facilities"
    assert spring["points"] == [
        {"lat": 49.9, "lon": 57.33, "label": "Спортивная площадка · planned · 0 %", "approximate": False}
    ]
    autumn = facility_points(window(moment(2025, 9, 30)), "en")
    assert autumn["points"][0]["label"] == "Спортивная площадка · under construction · 40 %"
    assert facility_points(window(moment(2025, 2, 28)), "en")["points"] == []  # not recorded yet


def test_it_keeps_to_the_windows_districts_and_places_a_facility_without_a_point_at_its_centre(persona):
    new_facility(persona("alga_prosecutor"), now=moment(2025, 3, 1))
    alga = District.objects.get(kato=ALGA)
    placed = facility_points(window(moment(2025, 9, 30), ALGA), "en")["points"]
    assert [(point["lat"], point["lon"], point["approximate"]) for point in placed] == [
        (float(alga.centre_lat), float(alga.centre_lon), True)
    ]
    assert facility_points(window(moment(2025, 9, 30), "155600000"), "en")["points"] == []


def test_it_is_declared_to_the_summarys_map(persona):
    new_facility(persona("alga_prosecutor"), now=moment(2025, 3, 1))
    keys = [layer["key"] for layer in map_layers(window(moment(2025, 9, 30)), "en")]
    assert keys == ["reports", "facilities"]
