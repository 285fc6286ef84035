"""The results summary's map draws the districts coloured by the change of a figure with Leaflet
under the strict CSP (no inline scripts, no eval: the page fixture fails on any CSP violation), and
another figure chosen is redrawn in place."""

import pytest

from conftest import make_persona
from reporting.tests import facts
from reporting.tests.facts import ALGA, TEMIR, local
from tests_browser.conftest import capture
from tests_browser.test_staff_browser import confirmed_device, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECEIVED = "fsm.reports.received"


def fills(page) -> list[str]:
    return page.locator("#summary-map path.summary-map__unit").evaluate_all(
        "paths => paths.map(path => path.getAttribute('fill'))"
    )


def test_it_draws_the_map_of_a_figure_and_redraws_another(page, reference_data):
    for day in (3, 4, 5):
        facts.submit(local(2025, 3, day), kato=ALGA)
    facts.submit(local(2024, 3, 3), kato=ALGA)
    facts.submit(local(2024, 3, 3), kato=TEMIR)
    analyst = make_persona("analyst")
    log_in(page, analyst, confirmed_device(analyst))
    page.goto(f"{page.base_url}/reporting/map/?from=2025-01-01&to=2025-09-30&code={RECEIVED}")
    page.wait_for_selector("#summary-map[data-ready='true']")
    assert page.locator("#summary-map path.summary-map__unit").count() >= 10
    before = fills(page)
    assert len(set(before)) >= 3  # a rise, a fall and units without a comparison
    assert page.locator(".leaflet-control-layers-overlays label").count() == 2  # reports, facilities
    capture(page, "summary-map-received.png")

    chooser = page.locator("#map-code")
    other = chooser.locator("option").evaluate_all(
        f"options => options.map(o => o.value).filter(v => v !== '{RECEIVED}')"
    )[0]
    title = page.locator("[data-map-title]").inner_text()
    chooser.select_option(other)
    page.wait_for_selector(f"#summary-map[data-code='{other}'][data-ready='true']")
    assert page.locator("[data-map-title]").inner_text() != title
    assert page.locator("#summary-map path.summary-map__unit").count() >= 10
    assert f"code={other}" in page.url
    capture(page, "summary-map-other.png")
