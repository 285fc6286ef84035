"""'Follow my report' in a real Chromium on a phone: the pasted tracking link is sent and opens the
report's tracking page. With the page's former "Referrer-Policy: no-referrer" Chromium sent
"Origin: null" and Django's CSRF check answered 403, as on the tracking page before (issue 11.1)."""

import pytest

from tests_browser.conftest import PHONE, capture
from tests_browser.test_staff_browser import switch_language
from tests_browser.test_tracking_browser import answered_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_it_opens_the_report_of_a_pasted_link_on_a_phone(page, reference_data, language):
    report, token = answered_report()
    page.set_viewport_size(PHONE)
    origins = []
    page.on("request", lambda request: request.method == "POST" and origins.append(request.headers.get("origin")))
    page.goto(f"{page.base_url}/track/")
    switch_language(page, language)
    page.fill("input[name=link]", f"{page.base_url}/track/{token}/")
    capture(page, f"follow-pasted-phone-{language}.png")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/track/{token}/")
    assert page.get_by_role("heading", name=report.reference).is_visible()
    assert "null" not in origins, origins
