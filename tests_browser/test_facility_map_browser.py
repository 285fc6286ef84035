"""The social facilities' map in the real browser: the analyst sees the facilities of the region as
markers coloured by status over the district shapes (Leaflet served by Tartip, no CDN, no tiles),
filters them by status, and opens one; no CSP violation."""

from datetime import date

import pytest
from playwright.sync_api import expect

from conftest import make_persona
from supervision.models import SocialFacility
from supervision.services import facility_progress
from supervision.tests.factories import TEMIR, office, record
from supervision.tests.records import new_facility
from tests_browser.conftest import capture
from tests_browser.test_staff_browser import confirmed_device, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_analyst_sees_the_facilities_on_the_map_coloured_by_status(page, reference_data):
    alga = make_persona("alga_prosecutor")
    temir = make_persona("temir_prosecutor")
    school = new_facility(alga, name="Школа на 300 мест", latitude="49.91", longitude="57.35")
    facility_progress(actor=alga, facility=school, status="building", percent_done=40, on=date(2025, 4, 1))
    park = new_facility(
        temir, name="Спортивная площадка", kato=TEMIR, act=record(temir, addressee=office("akt-police-temir"))
    )
    facility_progress(actor=temir, facility=park, status="building", percent_done=10, on=date(2025, 4, 1))
    facility_progress(
        actor=temir,
        facility=park,
        status="completed",
        percent_done=100,
        on=date(2025, 9, 1),
        completed_on=date(2025, 9, 1),
    )
    analyst = make_persona("analyst")
    log_in(page, analyst, confirmed_device(analyst))
    page.goto(f"{page.base_url}/supervision/facilities/map/")
    markers = page.locator("#facility-map path.facility-marker")
    expect(markers).to_have_count(2)
    expect(page.locator("#facility-map path.facility-marker--completed")).to_have_count(1)
    expect(page.locator("#facility-map path.facility-marker--building")).to_have_count(1)
    expect(page.locator("#facility-map[data-ready=true]")).to_have_count(1)  # the district shapes drawn too
    assert page.evaluate("typeof L") == "object"  # Leaflet, served by Tartip
    capture(page, "supervision-facility-map.png")
    page.select_option("#filter-status", SocialFacility.Status.COMPLETED)
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#facility-map path.facility-marker")).to_have_count(1)
    page.get_by_role("link", name="Спортивная площадка").click()
    expect(page.locator("h1")).to_have_text("Спортивная площадка")
    expect(page.locator("#facility-map path.facility-marker--completed")).to_have_count(1)
