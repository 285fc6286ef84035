"""The results summary's charts in the real browser: the version page draws each chart's Vega-Lite
spec with vega-embed under the strict CSP (vega-interpreter, no eval), in Kazakh and in English;
the builder's preview draws them again when htmx replaces it."""

from datetime import date

import pytest
from playwright.sync_api import expect

from conftest import make_persona
from reporting import services
from reporting.tests import facts
from reporting.tests.facts import ALGA, TEMIR, local
from tests_browser.conftest import capture
from tests_browser.test_staff_browser import confirmed_device, log_in, switch_language
from tests_browser.test_summary_browser import choose_period

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHARTS = ("change_by_area", "monthly_trend", "districts_compared")


@pytest.fixture
def reports(reference_data):
    for day in (3, 4, 5):
        facts.submit(local(2025, 3, day), kato=ALGA)
    facts.submit(local(2025, 5, 6), kato=TEMIR)
    facts.submit(local(2024, 3, 4), kato=ALGA)


def expect_drawn(page, scope: str = "") -> None:
    """Each chart element holds a drawing (vega-embed's canvas), drawn without an error; a drawing
    marked old (before htmx replaced the preview) does not count."""
    for key in CHARTS:
        chart = page.locator(f"{scope} [data-chart={key}]".strip())
        expect(chart.locator("[data-drawn=drawn]:not([data-old])")).to_have_count(1)
        expect(chart.locator("canvas").first).to_be_visible()
        expect(chart).not_to_have_class("summary-chart__view--error")
        assert chart.inner_text().strip() == ""  # no error text


@pytest.mark.parametrize("language", ["kk", "en"])
def test_the_version_page_draws_the_summarys_charts(page, reports, language):
    analyst = make_persona("analyst")
    version = services.summary_start(
        actor=analyst, title="Итоги", region=None, katos=[], start=date(2025, 1, 1), end=date(2025, 9, 30)
    )
    log_in(page, analyst, confirmed_device(analyst))
    switch_language(page, language)
    page.goto(f"{page.base_url}/reporting/summaries/{version.summary_id}/v{version.number}/?lang={language}")
    expect_drawn(page)
    page.locator("#summary-charts-title").scroll_into_view_if_needed()
    capture(page, f"summary-charts-{language}.png")


def test_the_builders_preview_draws_the_charts_again_as_the_period_changes(page, reports):
    analyst = make_persona("analyst")
    log_in(page, analyst, confirmed_device(analyst))
    page.goto(f"{page.base_url}/reporting/summaries/new/")
    choose_period(page, date(2025, 1, 1), date(2025, 3, 31))
    expect_drawn(page, "#summary-preview")
    page.eval_on_selector_all(".summary-chart__drawing", "drawings => drawings.forEach(d => { d.dataset.old = 1; })")
    choose_period(page, date(2025, 1, 1), date(2025, 6, 30))
    expect_drawn(page, "#summary-preview")
    capture(page, "summary-builder-charts.png")
