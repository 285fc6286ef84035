"""A bank's partner answers a blocking request in the real browser, in Russian, on a desk and on a
phone: it logs in with its second factor, lands on its requests, opens the one sent to it and
answers two items at once (one blocked with the amount frozen, one not found)."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect
from schwifty import IBAN

from accounts.models import District
from conftest import make_persona
from registry import services
from registry.indicators import Kind
from registry.models import BlockingItem, BlockingRequest
from tests_browser.conftest import DESKTOP, PHONE, capture
from tests_browser.test_staff_browser import confirmed_device, log_in, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sent_to_halyk() -> BlockingRequest:
    prosecutor, analyst = make_persona("regional_prosecutor"), make_persona("analyst")
    alga = District.objects.get(kato="153200000")
    indicators = []
    for account in ("0000012345678", "0000087654321"):
        raw = IBAN.generate("KZ", bank_code="601", account_code=account).compact
        sighting = services.indicator_enter(actor=prosecutor, kind=Kind.IBAN, raw=raw, district=alga)
        indicators.append(services.indicator_confirm(actor=prosecutor, indicator=sighting.indicator))
    services.blocking_requests_draft(actor=analyst, indicators=indicators)
    request = BlockingRequest.objects.get()
    services.blocking_request_change(actor=analyst, request=request, legal_basis="Test basis.", language="ru")
    return services.blocking_request_send(actor=analyst, request=request)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desk", "phone"])
def test_the_partner_answers_two_items_in_the_page(page, reference_data, viewport):
    request = sent_to_halyk()
    first, second = request.items.order_by("id")
    partner = make_persona("bank_partner")
    page.set_viewport_size(viewport)
    log_in(page, partner, confirmed_device(partner))  # lands on its requests
    switch_language(page, "ru")
    listed = page.locator("table.blocking-requests")
    expect(listed).to_contain_text(request.outgoing_number)
    listed.get_by_role("link", name=request.outgoing_number).click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_contain_text(request.outgoing_number)
    page.select_option(f"select[name=state-{first.pk}]", "blocked")
    page.fill(f"input[name=amount-{first.pk}]", "1 250 000,50")
    page.select_option(f"select[name=state-{second.pk}]", "not_found")
    page.fill(f"input[name=note-{second.pk}]", "Счёт закрыт")
    capture(page, f"blocking-answer-{'phone' if viewport == PHONE else 'desk'}-ru.png")
    page.locator("#answers button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(f"#item-{first.pk}")).to_contain_text("1250000,50")  # the Russian decimal comma
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.amount) == (BlockingItem.State.BLOCKED, Decimal("1250000.50"))
    assert (second.status, second.note) == (BlockingItem.State.NOT_FOUND, "Счёт закрыт")
    assert BlockingRequest.objects.get().status == BlockingRequest.State.ANSWERED
