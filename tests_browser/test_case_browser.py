"""A criminal case in the real browser: the Alga district prosecutor opens the cases from the menu,
takes a case under control (an ERDR number in the wrong format first, refused with the expected
format and the other values kept), then sends it to court from the case's page."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from accounts.models import District
from accounts.zones import local_today, region_id_zone
from conftest import make_persona
from supervision.models import CriminalCase, Stage
from supervision.tests.factories import ALGA
from tests_browser.conftest import capture
from tests_browser.test_staff_browser import confirmed_device, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_prosecutor_takes_a_case_under_control_and_sends_it_to_court(page, reference_data):
    prosecutor = make_persona("alga_prosecutor")
    log_in(page, prosecutor, confirmed_device(prosecutor))
    alga = District.objects.get(kato=ALGA)
    today = local_today(region_id_zone(alga.region_id))
    registered = today - timedelta(days=5)
    number = f"{registered.year % 100:02d}1500031000777"

    page.get_by_role("link", name="Criminal cases").first.click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Take a case under control").click()
    page.fill("#id_erdr_number", "12345")
    page.fill("#id_registered_on", f"{registered:%Y-%m-%d}")
    page.select_option("#id_district", str(alga.pk))
    page.fill("#id_article", "190")
    page.fill("#id_article_part", "4")
    page.select_option("#id_investigating_body", "police")
    page.fill("#id_summary", "Хищение денежных средств через интернет.")
    page.fill("#id_charged", "2")
    page.fill("#id_in_custody", "1")
    page.get_by_label("High-profile").check()
    page.get_by_label("Initiated by the prosecutor's office").check()
    page.get_by_role("button", name="Take under control").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("An ERDR number is 15 digits")
    expect(page.locator("#id_summary")).to_have_value("Хищение денежных средств через интернет.")
    expect(page.get_by_label("High-profile")).to_be_checked()
    assert not CriminalCase.objects.exists()

    page.fill("#id_erdr_number", number)
    page.get_by_role("button", name="Take under control").click()
    page.wait_for_load_state()
    case = CriminalCase.objects.get()
    assert page.url.endswith(f"/supervision/cases/{case.pk}/")
    expect(page.locator("h1")).to_contain_text(number)
    expect(page.locator("#case-timeline")).to_contain_text("Taken under control")

    page.select_option("#id_stage-stage", "court")
    page.fill("#id_stage-on", f"{today:%Y-%m-%d}")
    page.get_by_role("button", name="Change the stage").click()
    page.wait_for_load_state()
    expect(page.locator(".page-heading .status")).to_contain_text("Sent to court")
    expect(page.locator("#case-timeline")).to_contain_text("Stage changed")
    case.refresh_from_db()
    assert (case.stage, case.high_profile, case.charged, case.in_custody) == (Stage.COURT, True, 2, 1)
    assert case.initiated_by_prosecutor
    capture(page, "case-detail.png")
    page.get_by_role("link", name="Criminal cases").first.click()
    expect(page.locator("#case-results")).to_contain_text(number)
    capture(page, "case-list.png")
