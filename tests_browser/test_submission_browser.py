"""A district office's monthly submission in the real browser: a figure breaking a consistency
rule is flagged as it is typed (htmx, nothing saved), corrected, saved and submitted; the analyst
approves it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import make_persona
from supervision.models import Submission
from supervision.tests.test_submissions import CASES, VERDICTS, figures, make_catalogue
from tests_browser.conftest import capture
from tests_browser.test_staff_browser import confirmed_device, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_submits_its_month_and_the_analyst_approves_it(page, reference_data, chromium):
    make_catalogue()
    month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)  # last month
    prosecutor = make_persona("alga_prosecutor")
    log_in(page, prosecutor, confirmed_device(prosecutor))
    page.goto(f"{page.base_url}/supervision/submissions/")
    page.get_by_role("link", name=f"{month:%m.%Y}").click()
    for code, value in figures(verdicts="12").items():
        page.locator(f'[name="value-{code}"]').fill(value)
    page.locator('[name="value-budget.reimbursed"]').blur()
    expect(page.locator("#submission-check")).to_contain_text(f"may not exceed “{CASES}” (12 > 10)")
    assert not Submission.objects.exists()  # checked, not saved
    page.get_by_label(VERDICTS).fill("8")
    page.get_by_label(VERDICTS).blur()
    expect(page.locator("#submission-check")).to_contain_text("passes the checks")
    capture(page, "submission-form.png")
    page.get_by_role("button", name="Save and submit to the analyst").click()
    expect(page.locator(".page-heading")).to_contain_text("Version 1: submitted")

    context = chromium.new_context(locale="en-US")
    analyst_page = context.new_page()
    analyst_page.base_url = page.base_url
    analyst = make_persona("analyst")
    log_in(analyst_page, analyst, confirmed_device(analyst))
    analyst_page.goto(f"{page.base_url}/supervision/submissions/?month={month:%Y-%m}")
    analyst_page.get_by_role("link", name="Alga").first.click()
    analyst_page.get_by_role("button", name="Approve").click()
    expect(analyst_page.locator(".page-heading")).to_contain_text("Version 1: approved")
    context.close()
    assert Submission.objects.get().status == Submission.Status.APPROVED
