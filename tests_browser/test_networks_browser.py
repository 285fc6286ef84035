"""An indicator's network in the real browser: a regional prosecutor opens a ring's phone, sees its
network drawn (the SVG, under the site's CSP) with its table, chooses one step out (htmx replaces
the section alone) and follows a card's node to its page; a phone-sized screen too."""

import pytest
from playwright.sync_api import expect

from conftest import make_persona
from registry.indicators import Kind
from registry.models import Indicator
from registry.tests.test_networks import ALGA, TEMIR, account, card, phone, take
from tests_browser.conftest import PHONE, capture
from tests_browser.test_staff_browser import confirmed_device, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_prosecutor_sees_a_rings_network_and_chooses_its_depth(page, reference_data):
    prosecutor = make_persona("regional_prosecutor")
    for n in range(1, 6):  # each card in a notice row with the phone
        centre = take(Kind.PHONE, phone(0), f"notice:1:{n}")
        take(Kind.CARD, card(n), f"notice:1:{n}", kato=ALGA if n % 2 else TEMIR, amount="10000")
    take(Kind.CARD, card(1), "notice:2:0")
    far = take(Kind.IBAN, account(1), "notice:2:0")  # two steps out, through the first card
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(page, prosecutor, confirmed_device(prosecutor))
    page.goto(f"{page.base_url}/registry/{centre.pk}/")
    network = page.locator("#network")
    expect(network.locator("svg.network__drawing path.network-node")).to_have_count(7)
    expect(network.locator("table tbody tr")).to_have_count(7)
    capture(page, "registry-network-desk.png")
    page.select_option("#network-depth", "1")
    expect(network.locator("svg.network__drawing path.network-node")).to_have_count(6)
    assert f"/registry/{far.pk}/" not in network.inner_html()
    assert not [error for error in errors if "Content Security Policy" in error]
    page.set_viewport_size(PHONE)
    capture(page, "registry-network-phone.png")
    first_card = Indicator.objects.get(kind=Kind.CARD, links=2)
    page.locator(f"#network svg a[href$='/registry/{first_card.pk}/']").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_contain_text(first_card.shown)
