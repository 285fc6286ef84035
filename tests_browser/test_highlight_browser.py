"""A highlight in the real browser: the Alga district prosecutor writes one about a case against a
minor from the case's page; a typed number is refused (the texts kept), the preview fills the
case's numbers as typed; approval is refused while a text names a person, and granted once the
name is gone."""

from datetime import date

import pytest
from playwright.sync_api import expect

from accounts.models import District
from conftest import make_persona
from supervision.models import Highlight
from supervision.services import case_record
from supervision.tests.factories import ALGA
from tests_browser.conftest import capture
from tests_browser.test_staff_browser import confirmed_device, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KK = "Кәмелетке толмағанға қатысты іс бойынша {convicted} адам сотталды."
RU = "По делу в отношении несовершеннолетнего осуждены виновные: {convicted}."


def previewed(page):
    return page.expect_response(lambda response: "/supervision/highlights/preview/" in response.url)


def test_the_prosecutor_writes_a_highlight_and_approves_it_once_no_person_is_named(page, live_server, reference_data):
    prosecutor = make_persona("alga_prosecutor")
    case = case_record(
        actor=prosecutor,
        office=prosecutor.organisation,
        district=District.objects.get(kato=ALGA),
        erdr_number="251500031000555",
        registered_on=date(2025, 2, 3),
        article="99",
        article_part="2",
        investigating_body="police",
        summary="Убийство несовершеннолетнего.",
        charged=2,
        flags={"against_minor": True, "high_profile": True},
    )
    log_in(page, prosecutor, confirmed_device(prosecutor))
    page.goto(f"{live_server.url}/supervision/cases/{case.pk}/")
    # The form previews its texts as it loads and as they are typed: each step waits for its preview,
    # so no request of the test's in-memory database runs beside another.
    with previewed(page):
        page.get_by_role("link", name="Write a highlight for publication about it").click()
    expect(page.locator("main")).to_contain_text("The record concerns a minor")

    page.select_option("#id_area", "prosecution")
    page.fill("#id_on", "2025-06-10")
    page.fill("#id_text_kk", KK)
    page.fill("#id_text_ru", RU)
    with previewed(page):
        page.fill("#id_text_en", "2 persons convicted in the case of Asanov.")
    with previewed(page):
        page.get_by_role("button", name="Save as a draft").click()
    expect(page.locator("main")).to_contain_text("{convicted}")  # the refusal names the placeholders offered
    expect(page.locator("#id_text_ru")).to_have_value(RU)
    assert not Highlight.objects.exists()

    with previewed(page):
        page.fill("#id_text_en", "{convicted} persons convicted in the case of Asanov.")
    expect(page.locator("#highlight-preview")).to_contain_text("0 persons convicted in the case of Asanov")
    page.get_by_role("button", name="Save as a draft").click()
    page.wait_for_load_state()
    highlight = Highlight.objects.get()
    assert page.url.endswith(f"/supervision/highlights/{highlight.pk}/")

    page.get_by_role("button", name="Approve for publication").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("Publication refused")
    highlight.refresh_from_db()
    assert highlight.status == Highlight.Status.DRAFT

    with previewed(page):
        page.get_by_role("link", name="Change the texts").click()
    with previewed(page):
        page.fill("#id_text_en", "{convicted} persons convicted in the case of a minor's murder.")
    page.get_by_role("button", name="Save the changes").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Approve for publication").click()
    page.wait_for_load_state()
    highlight.refresh_from_db()
    assert highlight.status == Highlight.Status.APPROVED
    expect(page.locator(".page-heading .status")).to_contain_text("Approved for publication")
    capture(page, "highlight-approved.png")
