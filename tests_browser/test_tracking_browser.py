"""The reporter's tracking page on a phone: each of its forms (add information, "not resolved",
rate the answer) is sent from a real Chromium and accepted, which the page's referrer policy
once prevented (with "no-referrer" Chromium sends "Origin: null" and the CSRF check refused the
forms). A wrong token gets a 404 without Django's list of URL patterns."""

import pytest
from django.core.cache import cache

from accounts.models import District
from conftest import make_persona
from signals import services
from signals.models import Answer, Report, ReportEvent
from tests_browser.conftest import PHONE, capture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALGA = "153200000"
FOLLOW_UP = "The same men were at the bus stop again on Friday night, after 23:00."
NOT_RESOLVED = "Nothing changed: the fights go on every night."


def answered_report() -> tuple[Report, str]:
    """A citizen's report the Alga police answered; returns (report, tracking token)."""
    submission = services.report_submit(
        actor=None,
        category="public-order",
        description="Fights near the bus stop every night.",
        channel=Report.Channel.WEB,
        district=District.objects.get(kato=ALGA),
        address="Alga, Main street 1",
    )
    services.answer_give(
        report=submission.report,
        result=Answer.Result.CONFIRMED_ADMINISTRATIVE,
        text="Patrols sent twice.",
        public_text="The police patrolled the place and fined two men.",
        measures=[Answer.Measure.ADMIN_PROTOCOL],
        actor=make_persona("alga_officer"),
    )
    return submission.report, submission.tracking_token


def flash(page) -> str:
    return page.locator(".messages").inner_text()


def test_it_accepts_each_form_of_the_tracking_page_on_a_phone(page, reference_data):
    cache.clear()  # the follow-up forms are rate-limited per address
    report, token = answered_report()
    page.set_viewport_size(PHONE)
    origins = []
    page.on("request", lambda request: request.method == "POST" and origins.append(request.headers.get("origin")))

    page.goto(f"{page.base_url}/track/{token}/")
    assert page.get_by_role("heading", name=report.reference).is_visible()

    page.fill("#id_info-text", FOLLOW_UP)
    page.get_by_role("button", name="Add to the report").click()
    page.wait_for_url(f"**/track/{token}/#followup")
    assert "your information was added" in flash(page)
    assert report.events.get(kind=ReportEvent.Kind.FOLLOW_UP).data["text"] == FOLLOW_UP

    page.locator("#rating label.rating__choice").nth(3).click()
    page.get_by_role("button", name="Send the rating").click()
    page.wait_for_url(f"**/track/{token}/#rating")
    assert "Thank you for rating the answer." in flash(page)
    report.refresh_from_db()
    assert report.rating == 4

    page.fill("#id_reopen-text", NOT_RESOLVED)
    page.get_by_role("button", name="It is not resolved").click()
    page.wait_for_url(f"**/track/{token}/#not-resolved")
    assert "will look at the report again" in flash(page)
    report.refresh_from_db()
    assert report.status == Report.Status.REOPENED
    capture(page, "tracking-forms-phone.png")

    # Each form went with the site's own origin, never "null".
    assert origins == [page.base_url] * 3


def test_it_answers_a_wrong_token_with_a_404_and_no_url_list(page, reference_data):
    page.set_viewport_size(PHONE)
    response = page.goto(f"{page.base_url}/track/not-the-right-token-at-all/")
    assert response.status == 404
    assert "URLconf" not in page.content() and "track/<str:token>/" not in page.content()
    capture(page, "tracking-wrong-token-phone.png")
