"""The registry in the real browser: a district prosecutor searches a value written another way
(the form POSTs it with the page's own headers), opens the indicator, confirms it; a phone-sized
screen too. In Russian."""

import pytest
from playwright.sync_api import expect

from accounts.models import District
from conftest import make_persona
from registry import services
from registry.indicators import Kind
from registry.models import Indicator, Status
from tests_browser.conftest import PHONE, capture
from tests_browser.test_staff_browser import confirmed_device, log_in, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_prosecutor_finds_a_phone_written_another_way_and_confirms_it(page, reference_data):
    prosecutor = make_persona("alga_prosecutor")
    services.indicator_enter(
        actor=prosecutor, kind=Kind.PHONE, raw="+77051234567", district=District.objects.get(kato="153200000")
    )
    log_in(page, prosecutor, confirmed_device(prosecutor))
    switch_language(page, "ru")
    page.goto(f"{page.base_url}/registry/")
    page.fill("#id_value", "8 705 123 45 67")
    page.locator("form.registry-search button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/registry/")  # the value is in no address
    result = page.locator("#search-result")
    expect(result).to_contain_text("+77051234567")
    capture(page, "registry-search-ru.png")
    result.get_by_role("link").first.click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_contain_text("+77051234567")
    page.locator("form[action$='/confirm/'] button").click()
    page.wait_for_load_state()
    expect(page.locator(".lead .tag")).to_contain_text("подтверждён")
    assert Indicator.objects.get().status == Status.CONFIRMED
    page.set_viewport_size(PHONE)
    capture(page, "registry-indicator-phone-ru.png")
