"""The answer and oversight flow in a real browser: the Alga police officer answers a citizen's
report from the body's queue, the reporter reads the answer on the tracking page, the Alga
district prosecutor returns the answer and records an act of response (a submission to the head
of the body) with its numbered letter, and the reporter sees the status change. Each person has
a browser context of their own; screenshots go to var/screenshots/."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import District, Organisation
from conftest import make_persona
from signals import services
from signals.models import Answer, Category, Report, ReportEvent
from supervision.models import SupervisoryAct
from tests_browser.conftest import DESKTOP, ConsoleWatch
from tests_browser.test_staff_browser import confirmed_device, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALGA = "153200000"
ANSWER_TEXT = "A patrol went to the bus stop twice at night; two men were fined for disorderly conduct."
PUBLIC_ANSWER = "The police patrolled the place and stopped the disorder; the offenders were fined."
RETURN_REASON = "The answer names no protocol numbers: attach the administrative protocols and the patrol log."
LEGAL_BASIS = "Article 26 of the Constitutional Law on the Prosecutor's Office."


@pytest.fixture
def new_page(chromium, live_server):
    """new_page() -> a page in a browser context of its own (its own cookies: another person);
    a CSP violation on any of them fails the test."""
    contexts, watches = [], []

    def _new_page():
        context = chromium.new_context(viewport=DESKTOP, locale="en-US")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.console_watch = ConsoleWatch()
        watches.append(page.console_watch)
        page.on("console", page.console_watch)
        page.base_url = live_server.url
        return page

    yield _new_page
    for context in contexts:
        context.close()
    violations = [text for watch in watches for text in watch.csp_violations]
    assert violations == [], violations


def label(text: str) -> re.Pattern:
    """A field's whole label (the form may add a colon), so "Addressee" is not "Addressee body"."""
    return re.compile(rf"^{re.escape(text)}:?$")


def heading_status(page) -> str:
    return page.locator(".page-heading .status").inner_text().strip()


def messages_text(page) -> str:
    return page.locator(".messages").inner_text()


def test_it_lets_the_body_answer_the_prosecutor_return_it_and_record_an_act(new_page, reference_data, screenshots):
    # 1. A citizen's report about public order in Alga: routed to the Alga district police.
    submission = services.report_submit(
        actor=None,
        category=Category.objects.get(code="public-order"),
        description="Young men drink and fight every night next to the bus stop on Main street.",
        channel=Report.Channel.WEB,
        district=District.objects.get(kato=ALGA),
        address="Alga, Main street 1",
        contact={"name": "Aigerim Reporter", "phone": "+7 701 000 0000", "email": "aigerim@example.org"},
    )
    report = submission.report
    police = Organisation.objects.get(code="akt-police-alga")
    assert report.body_id == police.pk
    assert report.status == Report.Status.ROUTED
    tracking_path = f"/track/{submission.tracking_token}/"

    # 2. The body officer answers from the queue; the report page then says "answered".
    officer = make_persona("alga_officer")
    body_page = new_page()
    log_in(body_page, officer, confirmed_device(officer))
    body_page.goto(f"{body_page.base_url}/signals/queue/")
    expect(body_page.get_by_role("heading", name="Our queue")).to_be_visible()
    body_page.get_by_role("link", name=report.reference).click()
    body_page.wait_for_url(f"**/signals/{report.reference}/")
    # The body never sees who reported.
    assert "Aigerim Reporter" not in body_page.locator("main").inner_text()
    assert "aigerim@example.org" not in body_page.content()

    answer_form = body_page.locator("#answer-form")
    answer_form.get_by_label("Confirmed: an administrative offence").check()
    answer_form.get_by_label("Administrative protocol drawn up").check()
    answer_form.get_by_label("What was done").fill(ANSWER_TEXT)
    answer_form.get_by_label("Answer to the reporter").fill(PUBLIC_ANSWER)
    answer_form.get_by_role("button", name="Send the answer").click()
    body_page.wait_for_url(f"**/signals/{report.reference}/")
    assert "The answer is sent; the prosecutor will review it." in messages_text(body_page)
    assert heading_status(body_page) == "Answered"
    answers = body_page.locator(".answers")
    assert ANSWER_TEXT in answers.inner_text()
    assert "Awaiting the prosecutor" in answers.inner_text()
    assert body_page.locator("#answer-form").count() == 0  # answered: no second answer form
    body_page.screenshot(path=str(screenshots / "answer-flow-body-answered.png"), full_page=True)

    answer = Answer.objects.get(report=report)
    assert (answer.result, answer.measures, answer.text, answer.public_text, answer.author) == (
        Answer.Result.CONFIRMED_ADMINISTRATIVE,
        [Answer.Measure.ADMIN_PROTOCOL],
        ANSWER_TEXT,
        PUBLIC_ANSWER,
        officer,
    )
    assert answer.decision == Answer.Decision.PENDING

    # 3. The reporter opens the tracking link: answered, with the public answer.
    reporter_page = new_page()
    reporter_page.goto(f"{reporter_page.base_url}{tracking_path}")
    expect(reporter_page.get_by_role("heading", name=report.reference)).to_be_visible()
    assert heading_status(reporter_page).endswith("Answered")
    expect(reporter_page.get_by_role("heading", name="The answer", exact=True)).to_be_visible()
    assert PUBLIC_ANSWER in reporter_page.locator(".answer__text").inner_text()
    assert ANSWER_TEXT not in reporter_page.locator("main").inner_text()  # the body's internal text
    assert "Status: answered." in reporter_page.locator(".timeline").inner_text()
    reporter_page.screenshot(path=str(screenshots / "answer-flow-reporter-answered.png"), full_page=True)

    # 4. The Alga district prosecutor (second factor) returns the answer with a reason.
    prosecutor = make_persona("alga_prosecutor")
    prosecutor_page = new_page()
    log_in(prosecutor_page, prosecutor, confirmed_device(prosecutor))
    prosecutor_page.goto(f"{prosecutor_page.base_url}/signals/")
    prosecutor_page.get_by_role("link", name=report.reference).click()
    prosecutor_page.wait_for_url(f"**/signals/{report.reference}/")
    assert heading_status(prosecutor_page) == "Answered"
    decide = prosecutor_page.locator("section[aria-labelledby=decide-answer-title]")
    expect(decide.get_by_role("heading", name="Decide on the answer")).to_be_visible()
    expect(decide.get_by_role("button", name="Accept the answer")).to_be_visible()
    decide.get_by_label("What the body must do again").fill(RETURN_REASON)
    decide.get_by_role("button", name="Return to the body").click()
    prosecutor_page.wait_for_url(f"**/signals/{report.reference}/")
    assert heading_status(prosecutor_page) == "Returned for re-work"
    assert prosecutor_page.locator("section[aria-labelledby=decide-answer-title]").count() == 0
    returned_card = prosecutor_page.locator(".answer-card--returned")
    assert RETURN_REASON in returned_card.inner_text()
    assert "Returned for re-work" in returned_card.inner_text()

    answer.refresh_from_db()
    report.refresh_from_db()
    assert report.status == Report.Status.RETURNED
    assert (answer.decision, answer.decided_by, answer.return_reason) == (
        Answer.Decision.RETURNED,
        prosecutor,
        RETURN_REASON,
    )

    # ... then records an act of response from the report's page.
    prosecutor_page.get_by_role("link", name="Record an act of response").click()
    prosecutor_page.wait_for_url(re.compile(r"/supervision/acts/new/\?report="))
    expect(prosecutor_page.get_by_role("heading", name="Record an act of prosecutorial response")).to_be_visible()
    act_form = prosecutor_page.locator("form.act-form")
    addressee = act_form.get_by_label(label("Addressee body"))
    assert addressee.input_value() == str(police.pk)  # preselected: the report's body
    assert act_form.get_by_label(label("Reports")).input_value() == report.reference
    summary = act_form.get_by_label("Violations found and what is demanded")
    draft = summary.input_value()
    assert report.reference in draft and RETURN_REASON in draft  # drafted from the returned answer
    act_form.get_by_label("Type of act").select_option("submission")
    act_form.get_by_label(label("Addressee")).fill("Head of the Alga district police department")
    act_form.get_by_label("Legal basis").fill(LEGAL_BASIS)
    summary.fill(draft + "\n\nReport the measures taken within one month.")
    prosecutor_page.screenshot(path=str(screenshots / "answer-flow-act-form.png"), full_page=True)
    act_form.get_by_role("button", name="Record the act").click()
    prosecutor_page.wait_for_url(re.compile(r"/supervision/acts/\d+/$"))
    assert "The act is recorded." in messages_text(prosecutor_page)
    expect(prosecutor_page.get_by_role("heading", name="Submission", exact=True)).to_be_visible()
    expect(prosecutor_page.locator(".act-reports").get_by_role("link", name=report.reference)).to_be_visible()

    act = SupervisoryAct.objects.get()
    assert act.outgoing_number == ""  # the number comes with the letter

    # ... and produces its letter, which takes the outgoing number.
    letter = prosecutor_page.locator("section[aria-labelledby=letter-title]")
    letter.get_by_role("button", name="Produce the letter").click()
    prosecutor_page.wait_for_url(f"**/supervision/acts/{act.pk}/")
    act.refresh_from_db()
    assert re.fullmatch(r"akt-prok-alga/\d{4}/\d+", act.outgoing_number)
    assert f"The letter is produced with number {act.outgoing_number}." in messages_text(prosecutor_page)
    expect(prosecutor_page.get_by_role("heading", name=f"Submission № {act.outgoing_number}")).to_be_visible()
    letter = prosecutor_page.locator("section[aria-labelledby=letter-title]")
    assert f"Outgoing number {act.outgoing_number}." in letter.inner_text()
    expect(letter.get_by_role("link", name="Download DOCX")).to_be_visible()
    expect(letter.get_by_role("link", name="Download PDF")).to_be_visible()
    prosecutor_page.screenshot(path=str(screenshots / "answer-flow-act-letter.png"), full_page=True)

    assert (act.type, act.issuing_office, act.addressee, act.legal_basis, act.created_by) == (
        SupervisoryAct.Type.SUBMISSION,
        prosecutor.organisation,
        police,
        LEGAL_BASIS,
        prosecutor,
    )
    assert list(act.reports.all()) == [report]
    assert act.outcome == SupervisoryAct.Outcome.PENDING
    assert report.events.filter(kind=ReportEvent.Kind.ACT).count() == 1

    # 5. The reporter reloads the tracking page: returned for re-work, the answer no longer shown.
    reporter_page.reload()
    assert heading_status(reporter_page).endswith("Returned for re-work")
    expect(
        reporter_page.get_by_text("The prosecutor's office returned the body's answer for more work")
    ).to_be_visible()
    assert reporter_page.get_by_role("heading", name="The answer", exact=True).count() == 0
    assert PUBLIC_ANSWER not in reporter_page.locator("main").inner_text()
    assert RETURN_REASON not in reporter_page.locator("main").inner_text()  # the prosecutor's note is internal
    assert "Status: returned for re-work." in reporter_page.locator(".timeline").inner_text()
    reporter_page.screenshot(path=str(screenshots / "answer-flow-reporter-returned.png"), full_page=True)

    # The body sees the returned report back in its queue.
    body_page.goto(f"{body_page.base_url}/signals/queue/")
    row = body_page.locator("table.queue tbody tr", has=body_page.get_by_role("link", name=report.reference))
    assert "Returned for re-work" in row.inner_text()
