"""Each role's dashboard opened after logging in through the real form: the home page is the
dashboard, the period picker changes its figures in place (htmx) and keeps the period in the
address, the browser's back brings the previous period; screenshots under var/screenshots/."""

import re

import pytest
from playwright.sync_api import expect

from conftest import make_persona
from reporting.tests import facts
from tests_browser.conftest import capture
from tests_browser.test_staff_browser import confirmed_device, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DASHBOARDS = ["regional_prosecutor", "alga_prosecutor", "analyst", "board_secretary"]


@pytest.mark.parametrize("username", DASHBOARDS)
def test_each_dashboard_opens_and_follows_the_period_picker(page, reference_data, username):
    for month in (3, 9):
        facts.submit(facts.local(2025, month, 10))
    user = make_persona(username)
    log_in(page, user, confirmed_device(user))
    page.goto(f"{page.base_url}/")
    expect(page.locator("#dashboard-figures")).to_be_visible()
    expect(page.locator("#dashboard-period")).to_be_visible()
    capture(page, f"dashboard-{username}.png")

    page.select_option("#period-kind", "custom")
    page.fill("#period-from", "2025-01-01")
    page.fill("#period-to", "2025-06-30")
    with page.expect_response(re.compile(r"period=custom")):
        page.locator("form.period-picker button[type=submit]").click()
    expect(page.locator("#dashboard-period")).to_contain_text("2025")
    assert re.search(r"period=custom&from=2025-01-01&to=2025-06-30", page.url), page.url
    capture(page, f"dashboard-{username}-first-half.png")

    page.go_back()
    page.wait_for_load_state()
    assert "period=custom" not in page.url
    expect(page.locator("#dashboard-figures")).to_be_visible()
