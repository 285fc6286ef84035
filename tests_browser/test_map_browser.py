"""The map page draws the districts with Leaflet and the population with Vega-Lite under the
strict CSP (no inline scripts, no eval): the page fixture fails on any CSP violation."""

import pytest

from conftest import make_persona
from tests_browser.test_staff_browser import confirmed_device, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_draws_the_district_map_and_the_population_chart(page, reference_data, screenshots):
    analyst = make_persona("analyst")
    log_in(page, analyst, confirmed_device(analyst))
    page.goto(f"{page.base_url}/accounts/map/")
    page.wait_for_selector("#district-map path.leaflet-interactive")
    shapes = page.locator("#district-map path.leaflet-interactive").count()
    assert shapes >= 10  # district cells and centre markers
    page.wait_for_selector("#population-chart canvas")
    assert page.locator("#population-chart canvas").bounding_box()["height"] > 100
    page.screenshot(path=str(screenshots / "analyst-map.png"), full_page=True)
