"""Base tiles under the maps: from the tile server the office configures (MAP_TILES_URL, with
its attribution), and none at all by default (closed networks). The tile server here is at the
live server's address, answered by the browser itself (404s: what counts is that the map asks for
tiles there)."""

import pytest

from conftest import make_persona
from tests_browser.conftest import DESKTOP, PHONE, capture
from tests_browser.test_staff_browser import confirmed_device, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ATTRIBUTION = "Tiles: the land office"
MAPS = {"report-form": ("/report/", "#report-map"), "public-map": ("/map/", "#public-map")}


def tile_requests(page) -> list[str]:
    """The tile urls the page asks for. The browser answers them 404 itself: a tile asked while the
    test's database is being emptied must not reach the live server."""
    requested = []
    page.on("request", lambda request: "/test-tiles/" in request.url and requested.append(request.url))
    page.route("**/test-tiles/**", lambda route: route.fulfill(status=404, body=""))
    return requested


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("name", list(MAPS))
def test_it_asks_the_configured_tile_server_for_tiles(page, reference_data, settings, name, size):
    settings.MAP_TILES_URL = page.base_url + "/test-tiles/{z}/{x}/{y}.png"
    settings.MAP_TILES_ATTRIBUTION = ATTRIBUTION
    path, selector = MAPS[name]
    page.set_viewport_size(size)
    requested = tile_requests(page)
    page.goto(page.base_url + path)
    page.wait_for_selector(f"{selector} img.leaflet-tile", state="attached")  # 404s: never shown
    assert requested and all(url.endswith(".png") for url in requested)
    assert ATTRIBUTION in page.locator(f"{selector} .leaflet-control-attribution").inner_text()
    capture(page, f"map-tiles-{name}-{'phone' if size is PHONE else 'desktop'}.png")


def test_it_draws_the_district_map_over_the_configured_tiles(page, reference_data, settings):
    settings.MAP_TILES_URL = page.base_url + "/test-tiles/{z}/{x}/{y}.png"
    analyst = make_persona("analyst")
    log_in(page, analyst, confirmed_device(analyst))
    requested = tile_requests(page)
    page.goto(f"{page.base_url}/accounts/map/")
    page.wait_for_selector("#district-map img.leaflet-tile", state="attached")
    assert requested
    assert page.locator("#district-map .leaflet-control-attribution").count() == 0  # none configured


@pytest.mark.parametrize("name", list(MAPS))
def test_it_asks_no_tile_server_by_default(page, reference_data, name):
    path, selector = MAPS[name]
    requested = tile_requests(page)
    page.goto(page.base_url + path)
    page.wait_for_selector(f"{selector} path.leaflet-interactive")
    assert page.locator("#map-tiles").count() == 0
    assert page.locator(f"{selector} img.leaflet-tile").count() == 0
    assert requested == []
