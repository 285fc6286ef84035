"""The board in the real browser: the board's secretary issues a directive to two district offices
from the meeting's page (a first try without an addressee refused, the text kept), then the Alga
district prosecutor reports it executed in the directives' bulk table and reads the status shown.

The board reads only the reference data (organisations, the region), which the root conftest loads
again after a transactional test's flush: nothing else to restore."""

from datetime import date

import pytest
from playwright.sync_api import expect

from board.models import DirectiveAddressee
from board.tests.board_factories import a_meeting
from conftest import make_persona
from tests_browser.conftest import capture
from tests_browser.test_staff_browser import confirmed_device, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALGA = "Prosecutor's Office of Alga District"
TEMIR = "Prosecutor's Office of Temir District"


def test_a_directive_to_two_offices_reported_executed_in_the_bulk_table(page, live_server, reference_data):
    secretary = make_persona("board_secretary")
    meeting = a_meeting(secretary, held_on=date(2025, 10, 16), title_en="Results of nine months")
    log_in(page, secretary, confirmed_device(secretary))

    page.goto(f"{live_server.url}/board/meetings/")
    page.get_by_role("link", name="16 October 2025").click()
    expect(page.locator("h1")).to_contain_text("Results of nine months")
    page.get_by_role("link", name="Issue a directive").click()
    page.fill("#id_text_en", "Hold preventive meetings on fraud in every school")
    page.select_option("#id_area", "fraud")
    page.fill("#id_deadline", "2030-12-01")
    page.get_by_role("button", name="Issue the directive").click()
    expect(page.locator("main")).to_contain_text("Name at least one addressee")
    expect(page.locator("#id_text_en")).to_have_value("Hold preventive meetings on fraud in every school")

    page.get_by_label(ALGA).check()
    page.get_by_label(TEMIR).check()
    capture(page, "board-directive-form.png")
    page.get_by_role("button", name="Issue the directive").click()
    expect(page.locator("h1")).to_contain_text("Directive no. 1")
    directive = meeting.directives.get()
    assert sorted(directive.addressees.values_list("organisation__code", flat=True)) == [
        "akt-prok-alga",
        "akt-prok-temir",
    ]
    expect(page.locator("main")).to_contain_text(TEMIR)

    page.context.clear_cookies()
    prosecutor = make_persona("alga_prosecutor")
    log_in(page, prosecutor, confirmed_device(prosecutor))
    page.goto(f"{live_server.url}/board/directives/")
    execution = directive.addressees.get(organisation__code="akt-prok-alga")
    row = page.locator(f"#row-{execution.pk}")
    expect(row).to_contain_text("Issued")
    expect(page.locator("#executions")).not_to_contain_text(TEMIR)  # only its own office's
    row.locator("textarea").fill("Meetings held in all 24 schools of the district")
    row.get_by_role("checkbox").check()
    capture(page, "board-bulk-progress.png")
    page.get_by_role("button", name="Send the reports").click()
    expect(page.locator("body")).to_contain_text("1 report saved.")
    expect(page.locator(f"#row-{execution.pk}")).to_contain_text("Reported as executed")
    execution.refresh_from_db()
    assert execution.status == DirectiveAddressee.Status.REPORTED
    temir = directive.addressees.get(organisation__code="akt-prok-temir")
    assert temir.status == DirectiveAddressee.Status.ISSUED

    page.get_by_role("link", name=f"{meeting}, No. 1").click()
    expect(page.locator(f"#execution-{execution.pk}")).to_contain_text("Meetings held in all 24 schools")
    capture(page, "board-directive-reported.png")
