"""The drug graffiti page in the real browser, on a phone, in Russian: the regional analyst filters
the list by district (htmx replaces the results and the map's points with them), no CSP violation."""

import pytest
from playwright.sync_api import expect

from accounts.models import District
from conftest import make_persona
from registry.tests.test_graffiti import TEMIR, answer, submit
from reporting.tests import facts
from tests_browser.conftest import PHONE, capture
from tests_browser.test_staff_browser import confirmed_device, log_in, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_analyst_filters_the_graffiti_by_district_on_a_phone(page, reference_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    alga = submit(facts.local(2025, 3, 3, 10))
    answer(alga, facts.local(2025, 3, 5, 10))
    submit(facts.local(2025, 3, 4, 10), kato=TEMIR, address="ул. Темірова 9, гаражи")
    analyst = make_persona("analyst")
    page.set_viewport_size(PHONE)
    log_in(page, analyst, confirmed_device(analyst))
    switch_language(page, "ru")
    page.goto(f"{page.base_url}/registry/graffiti/")
    results = page.locator("#graffiti-results")
    expect(results).to_contain_text("забор школы")
    expect(results).to_contain_text("гаражи")
    expect(page.locator("#graffiti-map .leaflet-interactive")).to_have_count(2)
    page.select_option("#filter-district", str(District.objects.get(kato=TEMIR).pk))
    expect(page.locator("#graffiti-results")).not_to_contain_text("забор школы")
    expect(page.locator("#graffiti-results")).to_contain_text("гаражи")
    expect(page.locator("#graffiti-map .leaflet-interactive")).to_have_count(1)
    assert "district=" in page.url  # the filter is in the address (htmx pushes it)
    capture(page, "registry-graffiti-phone-ru.png")
