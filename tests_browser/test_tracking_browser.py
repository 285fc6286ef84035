"""The reporter's tracking page on a phone: each of its forms (add information, "not resolved",
rate the answer) is sent from a real Chromium and accepted, which the page's referrer policy
once prevented (with "no-referrer" Chromium sends "Origin: null" and the CSRF check refused the
forms). A wrong token gets a 404 without Django's list of URL patterns."""

import pytest
from django.core.cache import cache
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from playwright.sync_api import expect

from accounts.models import District
from conftest import make_persona
from signals import services
from signals.models import Answer, Report, ReportEvent
from tests_browser.conftest import PHONE, capture
from tests_browser.test_photo_place_browser import OFFER, jpeg_without_gps, noisy_jpeg, photo_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALGA = "153200000"
FOLLOW_UP = "The same men were at the bus stop again on Friday night, after 23:00."
NOT_RESOLVED = "Nothing changed: the fights go on every night."
TOO_LARGE = {language: texts[1] for language, texts in OFFER.items()}


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


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_it_refuses_a_follow_up_photo_over_the_cap_before_sending_it(chromium, live_server, settings, language):
    """The follow-up's photos carry the server's cap: an oversized one is taken off the input, with
    the limit said beside it, and the one under the cap is kept."""
    settings.REPORT_PHOTO_MAX_BYTES = 50_000
    _, token = answered_report()
    context = chromium.new_context(viewport=PHONE, locale=f"{language}-KZ")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/track/{token}/")
        page.set_input_files(
            "input[name=info-photos]",
            [photo_file("huge.jpg", noisy_jpeg()), photo_file("small.jpg", jpeg_without_gps())],
        )
        note = page.locator("#followup .upload-cap")
        expect(note).to_contain_text("huge.jpg")
        with translation.override(language):
            limit = filesizeformat(50_000)
        assert limit in note.inner_text() and TOO_LARGE[language] in note.inner_text()
        assert page.evaluate("document.querySelector('input[name=\"info-photos\"]').files.length") == 1
        capture(page, f"tracking-photo-cap-{language}.png")
    finally:
        context.close()
