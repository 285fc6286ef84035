"""The results summary's builder in the real browser, in Kazakh and in Russian: the analyst picks
a period, the figures and the text follow it (htmx), the draft is saved, and a number of the text
leads to the records behind it; the regional prosecutor approves and publishes it."""

from datetime import date

import pytest
from playwright.sync_api import expect

from conftest import make_persona
from reporting.tests import facts
from reporting.tests.facts import ALGA, TEMIR, local
from tests_browser.conftest import PHONE, capture
from tests_browser.test_staff_browser import confirmed_device, log_in, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reports(reference_data):
    made = [facts.submit(local(2025, 3, day), kato=ALGA) for day in (3, 4, 5)]
    made.append(facts.submit(local(2025, 5, 6), kato=TEMIR))
    return made


def choose_period(page, start: date, end: date) -> None:
    """Type the period; each change asks for the live figures (htmx), awaited."""
    for selector, day in (("#id_start", start), ("#id_end", end)):
        with page.expect_response(lambda response: "/reporting/summaries/preview/" in response.url):
            page.fill(selector, day.isoformat())
            page.locator(selector).dispatch_event("change")


@pytest.mark.parametrize(
    "language, march_only, whole, records",
    [
        ("kk", "3 өтініш", "4 өтініш", "жазба"),
        ("ru", "3 обращения", "4 обращения", "запис"),
    ],
)
def test_the_analyst_builds_a_summary_and_follows_a_number_to_its_records(
    page, reports, language, march_only, whole, records
):
    analyst = make_persona("analyst")
    log_in(page, analyst, confirmed_device(analyst))
    switch_language(page, language)
    page.goto(f"{page.base_url}/reporting/summaries/new/")
    choose_period(page, date(2025, 3, 1), date(2025, 3, 31))
    preview = page.locator("#summary-preview .summary-text")
    expect(preview).to_contain_text(march_only)
    choose_period(page, date(2025, 1, 1), date(2025, 9, 30))
    expect(preview).to_contain_text(whole)
    capture(page, f"summary-builder-{language}.png")
    page.fill("#id_title", "Итоги 9 месяцев 2025 года")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert "/reporting/summaries/" in page.url and "/v1/" in page.url
    text = page.locator(".summary-text")
    expect(text).to_contain_text(whole)
    version_url = page.url
    text.locator("a.figure-link", has_text=whole).first.click()
    page.wait_for_load_state()
    expect(page.locator("#figure-rows")).to_contain_text(records)
    for report in reports:
        expect(page.locator("#figure-rows")).to_contain_text(report.reference)
    page.set_viewport_size(PHONE)
    capture(page, f"summary-records-{language}-phone.png")

    approver = make_persona("regional_prosecutor")
    page.context.clear_cookies()
    log_in(page, approver, confirmed_device(approver))
    switch_language(page, language)
    page.goto(version_url)
    page.locator("form[action$='/approve/'] button").click()
    page.wait_for_load_state()
    page.locator("form[action$='/publish/'] button").click()
    page.wait_for_load_state()
    expect(page.locator("form[action$='/new-version/'], a[href*='/export/']").first).to_be_visible()
    capture(page, f"summary-published-{language}.png")
    assert page.locator("textarea").count() == 0  # published: nothing to edit
