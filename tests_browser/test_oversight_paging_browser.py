"""The oversight page's overdue answers in a real browser: the regional prosecutor pages them
with htmx (the list alone is replaced, the address follows) and narrows them to a district, at a
desk in Kazakh and on a phone in Russian; screenshots go to var/screenshots/."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import District
from conftest import make_persona
from signals import oversight
from signals.tests.test_oversight import TEMIR, new_report, set_state
from tests_browser.conftest import DESKTOP, PHONE, capture
from tests_browser.test_staff_browser import confirmed_device, log_in, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The overdue list's note, translated: the page is in the language chosen.
PAGE_OF = {"kk": "Мерзімі ең көп өткені бірінші.", "ru": "Сначала самые просроченные."}


def overdue_reports() -> tuple[list[str], list[str]]:
    """A page and a bit of overdue answers in Alga, and three in Temir overdue longer still:
    (Alga's references, Temir's), the longest overdue first."""
    now = timezone.now()
    temir = [set_state(new_report(kato=TEMIR), deadline_at=now - timedelta(days=60 - day)) for day in range(3)]
    alga = [set_state(new_report(), deadline_at=now - timedelta(days=40 - day)) for day in range(oversight.LIMIT)]
    return [r.reference for r in alga], [r.reference for r in temir]


@pytest.mark.parametrize(("viewport", "language"), [(DESKTOP, "kk"), (PHONE, "ru")], ids=["desktop-kk", "phone-ru"])
def test_it_pages_and_filters_the_overdue_answers_with_htmx(page, reference_data, viewport, language):
    alga, temir = overdue_reports()
    user = make_persona("regional_prosecutor")
    page.set_viewport_size(viewport)
    log_in(page, user, confirmed_device(user))
    switch_language(page, language)
    page.goto(f"{page.base_url}/signals/oversight/")
    expect(page.locator("#overdue-results")).to_contain_text(PAGE_OF[language])
    rows = page.locator("#overdue-results tbody tr")
    expect(rows).to_have_count(oversight.LIMIT)
    expect(rows.first).to_contain_text(temir[0])  # the longest overdue first
    page.evaluate("window.wholePage = true")  # gone if the browser loaded a new page

    page.locator("#overdue-results a[rel=next]").click()
    expect(page.locator("#overdue-results .pagination__where")).to_contain_text("2")
    expect(rows).to_have_count(3)
    expect(rows.last).to_contain_text(alga[-1])
    assert page.url.endswith("?page=2") and page.evaluate("window.wholePage === true")
    capture(page, f"oversight-page-2-{language}-{viewport['width']}.png")

    page.select_option("#oversight-district", str(District.objects.get(kato=TEMIR).pk))
    expect(rows).to_have_count(3)
    for reference in temir:
        expect(page.locator("#overdue-results")).to_contain_text(reference)
    expect(page.locator("#overdue-results")).not_to_contain_text(alga[0])
    expect(page.locator(".stats .stat__value").first).to_have_text("3")  # the figures follow
    temir_name = District.objects.get(kato=TEMIR).localized("name", language)
    expect(page.locator("#oversight-scope")).to_have_text(temir_name)
    assert "district=" in page.url and page.evaluate("window.wholePage === true")
    capture(page, f"oversight-temir-{language}-{viewport['width']}.png")

    # The address htmx pushed gives the same list as a whole page (and works without JS).
    page.goto(page.url)
    expect(rows).to_have_count(3)


def test_it_keeps_the_filters_within_a_phones_width(page, reference_data):
    user = make_persona("regional_prosecutor")
    page.set_viewport_size(PHONE)
    log_in(page, user, confirmed_device(user))
    page.goto(f"{page.base_url}/signals/oversight/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
