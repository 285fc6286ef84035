"""The body's workspace and the prosecutor's decisions on a report's page, through HTTP: the queue,
assign, forward (and its review), extensions, registration, answers from templates, accept,
return, merge; the refusals (message shown, nothing changed); scoping for every persona; the body
never sees who reported."""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from PIL import Image

from accounts.models import Organisation, Role, User
from conftest import client_for
from signals import services
from signals.models import (
    Answer,
    AnswerTemplate,
    Category,
    ExtensionRequest,
    Forward,
    Report,
    ReportEvent,
    ReportPhoto,
    ReportSupporter,
)
from signals.tests import builders
from signals.tests.builders import set_state

pytestmark = pytest.mark.django_db

Status = Report.Status
ALGA = "153200000"
TEMIR = "155600000"
CONTACT = {"name": "Aigerim Reporter", "phone": "+7 701 000 0000", "email": "aigerim@example.org"}


@pytest.fixture(autouse=True)
def _media_and_english(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "en"


def new_report(category="public-order", kato=ALGA, **overrides) -> Report:
    """signals.tests.builders.new_report, with the reporter's contact unless told otherwise."""
    overrides.setdefault("contact", CONTACT)
    return builders.new_report(category, kato, **overrides)


def body(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def staff(username: str, role: str, organisation_code: str) -> User:
    return User.objects.create(username=username, role=role, organisation=body(organisation_code))


def html(response) -> str:
    return response.content.decode()


def detail(reference: str, action: str = "") -> str:
    return f"/signals/{reference}/{action + '/' if action else ''}"


def answered(report: Report, officer: User, result=Answer.Result.CONFIRMED_ADMINISTRATIVE) -> Answer:
    return services.answer_give(report=report, result=result, text="A protocol was drawn up.", actor=officer)


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(buffer, format="JPEG")
    return SimpleUploadedFile("answer.jpg", buffer.getvalue(), content_type="image/jpeg")


# --- the body's queue ----------------------------------------------------------------------------


def test_it_lists_the_bodys_waiting_reports_overdue_first_with_time_left(login):
    now = timezone.now()
    later = set_state(new_report(description="Later"), deadline_at=now + timedelta(days=5))
    overdue = set_state(new_report(description="Overdue"), deadline_at=now - timedelta(days=2))
    accepted = set_state(new_report(), status=Status.ACCEPTED, deadline_at=now + timedelta(days=1))
    returned = set_state(new_report(), status=Status.RETURNED, deadline_at=now + timedelta(days=3))
    done = set_state(new_report(), status=Status.ANSWERED)
    closed = set_state(new_report(), status=Status.CLOSED)
    elsewhere = new_report(kato=TEMIR)
    response = login("alga_officer").get("/signals/queue/")
    assert response.status_code == 200
    page = html(response)
    order = [overdue, accepted, returned, later]
    positions = [page.index(report.reference) for report in order]
    assert positions == sorted(positions)
    for absent in (done, closed, elsewhere):
        assert absent.reference not in page
    row = page[page.index(overdue.reference) : page.index(accepted.reference)]
    assert "overdue by 2\xa0days" in row and "queue__row--late" in page
    later_row = page[page.index(later.reference) :]
    assert "left" in later_row and "overdue by" not in later_row.split("</tr>")[0]
    assert "1 overdue" in page


def test_it_filters_the_queue_by_who_it_is_assigned_to(persona, login):
    officer = persona("alga_officer")
    colleague = staff("alga_officer_2", Role.BODY_OFFICER, "akt-police-alga")
    mine = set_state(new_report(), assignee=officer)
    theirs = set_state(new_report(), assignee=colleague)
    nobodys = new_report()
    client = login("alga_officer")
    for value, shown in (("me", mine), ("none", nobodys), ("all", None)):
        page = html(client.get(f"/signals/queue/?assigned={value}"))
        for report in (mine, theirs, nobodys):
            assert (report.reference in page) == (shown is None or report == shown)


@pytest.mark.parametrize(
    "username",
    [
        "citizen",
        "alga_prosecutor",
        "temir_prosecutor",
        "department_prosecutor",
        "analyst",
        "regional_prosecutor",
        "board_secretary",
        "bank_partner",
        "administrator",
    ],
)
def test_it_gives_the_queue_to_body_officers_only(login, username):
    assert login(username).get("/signals/queue/").status_code == 403


def test_it_sends_an_anonymous_visitor_of_the_queue_to_the_login(db):
    response = Client().get("/signals/queue/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_reads_the_queue_with_as_many_queries_for_5_as_for_40_reports(persona, login):
    officer = persona("alga_officer")
    client = login("alga_officer")
    for _ in range(5):
        set_state(new_report(), assignee=officer)
    from accounts.zones import zones_by_region

    zones_by_region()  # the per-process zone cache, warm on a running server (accounts.zones)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/signals/queue/").status_code == 200
    for _ in range(35):
        set_state(new_report(), assignee=officer)
    with CaptureQueriesContext(connection) as many:
        page = html(client.get("/signals/queue/"))
    assert page.count('<th scope="row">') == 40
    assert len(many) == len(few)


def test_it_pages_the_queue_by_fifty(login):
    reports = [new_report() for _ in range(51)]
    client = login("alga_officer")
    first = html(client.get("/signals/queue/"))
    assert first.count('<th scope="row">') == 50 and "Page 1 of 2" in first
    second = html(client.get("/signals/queue/?page=2"))
    assert second.count('<th scope="row">') == 1
    assert sum(report.reference in second for report in reports) == 1


# --- assign ----------------------------------------------------------------------------------------


def test_it_assigns_a_report_to_an_officer_of_the_body(login):
    report = new_report()
    colleague = staff("alga_officer_2", Role.BODY_OFFICER, "akt-police-alga")
    colleague.first_name, colleague.last_name = "Serik", "Officer"
    colleague.save()
    client = login("alga_officer")
    response = client.post(detail(report.reference, "assign"), {"assignee": colleague.pk})
    assert response.status_code == 302 and response["Location"] == detail(report.reference)
    report.refresh_from_db()
    assert report.assignee == colleague
    assert report.events.filter(kind=ReportEvent.Kind.ASSIGNED).count() == 1
    page = html(client.get(detail(report.reference)))
    assert "Assigned to Serik Officer." in page
    assert "The report is assigned." in page


def test_it_refuses_to_assign_to_someone_outside_the_body(persona, login):
    report = new_report()
    prosecutor = persona("alga_prosecutor")
    response = login("alga_officer").post(detail(report.reference, "assign"), {"assignee": prosecutor.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in html(response)
    report.refresh_from_db()
    assert report.assignee is None
    assert not report.events.filter(kind=ReportEvent.Kind.ASSIGNED).exists()


# --- forward and its review ------------------------------------------------------------------------


def test_it_forwards_to_another_body_with_a_reason(persona, login):
    report = new_report()
    akimat_officer = staff("akimat_officer", Role.BODY_OFFICER, "akt-akimat-alga")
    client = login("alga_officer")
    response = client.post(
        detail(report.reference, "forward"),
        {"to_body": body("akt-akimat-alga").pk, "reason": "An illegal kiosk: the akimat's matter."},
    )
    assert response.status_code == 302 and response["Location"] == "/signals/queue/"
    report.refresh_from_db()
    assert report.body == body("akt-akimat-alga") and report.status == Status.ROUTED
    forward = Forward.objects.get(report=report)
    assert (forward.from_body.code, forward.decision) == ("akt-police-alga", Forward.Decision.PENDING)
    # The report is the akimat's now: the police no longer see it.
    assert client.get(detail(report.reference)).status_code == 404
    page = html(client_for(akimat_officer).get(detail(report.reference)))
    assert "Forwarded to another body" in page and "An illegal kiosk: the akimat&#x27;s matter." in page
    prosecutor_page = html(login("alga_prosecutor").get(detail(report.reference)))
    assert "Forward to review" in prosecutor_page


def test_it_offers_the_bodies_serving_the_district_first_and_not_the_current_one(login):
    report = new_report()
    page = html(login("alga_officer").get(detail(report.reference)))
    form = page[page.index('id="forward-to_body"') : page.index("</select>", page.index('id="forward-to_body"'))]
    serving, others = form.split('<optgroup label="Other bodies of the region">')
    assert "Serving the report&#x27;s district" in serving and "Akimat of Alga District" in serving
    assert "Akimat of Temir District" not in serving and "Akimat of Temir District" in others
    assert f'value="{report.body_id}"' not in form


def test_it_refuses_a_forward_to_the_same_body_and_changes_nothing(login):
    report = new_report()
    events = report.events.count()
    response = login("alga_officer").post(
        detail(report.reference, "forward"), {"to_body": report.body_id, "reason": "Not ours, we think."}
    )
    assert response.status_code == 200
    page = html(response)
    assert "Choose another body: the report is already with this one." in page
    assert "Not ours, we think." in page  # what was typed is kept
    report.refresh_from_db()
    assert report.body.code == "akt-police-alga"
    assert not Forward.objects.exists() and report.events.count() == events


@pytest.fixture
def forwarded(persona):
    report = new_report()
    deadline = report.deadline_at
    forward = services.report_forward(
        report=report, to_body=body("akt-akimat-alga"), reason="Not the police's.", actor=persona("alga_officer")
    )
    return report, forward, deadline


def test_it_lets_the_prosecutor_send_a_forward_back_with_a_note(forwarded, login):
    report, forward, deadline = forwarded
    client = login("alga_prosecutor")
    url = f"/signals/forwards/{forward.pk}/decide/"
    response = client.post(url, {"decision": "reverse", "note": ""}, follow=True)
    assert "Say why the report goes back to the first body." in html(response)
    forward.refresh_from_db()
    assert forward.decision == Forward.Decision.PENDING
    response = client.post(url, {"decision": "reverse", "note": "A public-order matter."})
    assert response.status_code == 302 and response["Location"] == detail(report.reference)
    report.refresh_from_db()
    forward.refresh_from_db()
    assert report.body.code == "akt-police-alga" and report.deadline_at == deadline
    assert (forward.decision, forward.decision_note) == (Forward.Decision.REVERSED, "A public-order matter.")
    page = html(client.get(detail(report.reference)))
    assert "Forward reviewed by the prosecutor" in page and "Sent back" in page


def test_it_lets_the_prosecutor_uphold_a_forward(forwarded, login):
    report, forward, _ = forwarded
    response = login("alga_prosecutor").post(f"/signals/forwards/{forward.pk}/decide/", {"decision": "uphold"})
    assert response.status_code == 302
    forward.refresh_from_db()
    report.refresh_from_db()
    assert forward.decision == Forward.Decision.UPHELD and report.body.code == "akt-akimat-alga"


def test_it_refuses_to_decide_a_forward_twice(forwarded, login):
    _, forward, _ = forwarded
    client = login("alga_prosecutor")
    client.post(f"/signals/forwards/{forward.pk}/decide/", {"decision": "uphold"})
    response = client.post(f"/signals/forwards/{forward.pk}/decide/", {"decision": "reverse", "note": "x"}, follow=True)
    assert "This forward has already been reviewed." in html(response)
    forward.refresh_from_db()
    assert forward.decision == Forward.Decision.UPHELD


# --- extensions ---------------------------------------------------------------------------------------


def test_it_asks_for_an_extension_and_shows_it_waiting(login):
    report = new_report()
    client = login("alga_officer")
    response = client.post(detail(report.reference, "extension"), {"days": "3", "reason": "Witnesses are away."})
    assert response.status_code == 302
    extension = ExtensionRequest.objects.get(report=report)
    assert (extension.days, extension.decision) == (3, ExtensionRequest.Decision.PENDING)
    page = html(client.get(detail(report.reference)))
    assert "3 more working days were asked" in page and "Deadline extension asked" in page
    assert "Extension to decide" in html(login("alga_prosecutor").get(detail(report.reference)))


@pytest.fixture
def extension_asked(persona):
    report = new_report()
    extension = services.extension_request(
        report=report, days=3, reason="Witnesses away.", actor=persona("alga_officer")
    )
    return report, extension


def test_it_grants_an_extension_and_moves_the_deadline(extension_asked, login):
    report, extension = extension_asked
    before = report.deadline_at
    response = login("alga_prosecutor").post(f"/signals/extensions/{extension.pk}/decide/", {"decision": "grant"})
    assert response.status_code == 302
    report.refresh_from_db()
    extension.refresh_from_db()
    assert extension.decision == ExtensionRequest.Decision.GRANTED
    assert report.deadline_at > before and extension.deadline_after == report.deadline_at


def test_it_refuses_an_extension_only_with_a_note(extension_asked, login):
    report, extension = extension_asked
    before = report.deadline_at
    client = login("alga_prosecutor")
    url = f"/signals/extensions/{extension.pk}/decide/"
    response = client.post(url, {"decision": "refuse", "note": ""}, follow=True)
    assert "Say why the extension is refused." in html(response)
    extension.refresh_from_db()
    assert extension.decision == ExtensionRequest.Decision.PENDING
    client.post(url, {"decision": "refuse", "note": "Enough time was given."})
    extension.refresh_from_db()
    report.refresh_from_db()
    assert extension.decision == ExtensionRequest.Decision.REFUSED and report.deadline_at == before


def test_it_refuses_an_extension_asked_after_the_deadline(login):
    report = set_state(new_report(), deadline_at=timezone.now() - timedelta(hours=1))
    events = report.events.count()
    client = login("alga_officer")
    assert "an extension can only be asked before it" in html(client.get(detail(report.reference)))
    response = client.post(detail(report.reference, "extension"), {"days": "3", "reason": "Late, sorry."})
    assert response.status_code == 200
    assert "The deadline has passed: an extension must be asked before it." in html(response)
    assert not ExtensionRequest.objects.exists() and report.events.count() == events


# --- registration -------------------------------------------------------------------------------------


def test_it_records_the_registration_number(login):
    report = new_report()
    client = login("alga_officer")
    response = client.post(
        detail(report.reference, "register"), {"registration": "erdr", "registration_number": "255320031000123"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.registration, report.registration_number) == ("erdr", "255320031000123")
    page = html(client.get(detail(report.reference)))
    assert "255320031000123" in page and "Registered as an offence" in page


def test_it_refuses_a_blank_registration_number(login):
    report = new_report()
    response = login("alga_prosecutor").post(
        detail(report.reference, "register"), {"registration": "kui", "registration_number": " "}
    )
    assert response.status_code == 200 and "This field is required." in html(response)
    report.refresh_from_db()
    assert report.registration_number == ""


# --- answers ----------------------------------------------------------------------------------------


@pytest.fixture
def templates():
    police = body("akt-police-alga")
    matching = AnswerTemplate.objects.create(
        name_en="Protocol drawn up",
        body_type=police.type,
        result=Answer.Result.CONFIRMED_ADMINISTRATIVE,
        measures=[Answer.Measure.ADMIN_PROTOCOL, Answer.Measure.WARNING],
        text_en="An administrative protocol was drawn up against the offender.",
    )
    own = AnswerTemplate.objects.create(
        name_en="Our own template",
        organisation=police,
        category=Category.objects.get(code="public-order"),
        result=Answer.Result.NOT_CONFIRMED,
        text_en="Nothing was found on the spot.",
    )
    other_type = AnswerTemplate.objects.create(
        name_en="Akimat template", body_type="akimat", result=Answer.Result.CONFIRMED_OTHER, text_en="Removed."
    )
    other_category = AnswerTemplate.objects.create(
        name_en="Fraud template",
        body_type=police.type,
        category=Category.objects.get(code="fraud"),
        result=Answer.Result.CONFIRMED_CRIMINAL,
        text_en="Fraud.",
    )
    return matching, own, other_type, other_category


def test_it_offers_the_templates_of_the_body_and_fills_the_form_from_one(templates, login):
    matching, own, other_type, other_category = templates
    report = new_report()
    client = login("alga_officer")
    page = html(client.get(detail(report.reference)))
    assert "Protocol drawn up" in page and "Our own template" in page
    assert "Akimat template" not in page and "Fraud template" not in page
    page = html(client.get(detail(report.reference) + f"?template={matching.pk}"))
    form = page[page.index('action="/signals/' + report.reference + '/answer/"') :]
    assert re.search(r'value="confirmed_administrative"[^>]*checked', form)
    assert re.search(r'value="admin_protocol"[^>]*checked', form)
    assert re.search(r'value="warning"[^>]*checked', form)
    assert not re.search(r'value="pretrial"[^>]*checked', form)
    assert "An administrative protocol was drawn up against the offender.</textarea>" in form
    # Another body's template is not used even when asked for.
    page = html(client.get(detail(report.reference) + f"?template={other_type.pk}"))
    assert "Removed.</textarea>" not in page


def test_it_answers_from_a_template_with_measures_and_a_photo(templates, login):
    report = new_report()
    client = login("alga_officer")
    response = client.post(
        detail(report.reference, "answer"),
        {
            "result": "confirmed_administrative",
            "measures": ["admin_protocol", "warning"],
            "text": "An administrative protocol was drawn up against the offender.",
            "public_text": "The offender was fined.",
            "photos": [jpeg()],
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    answer = Answer.objects.get(report=report)
    assert report.status == Status.ANSWERED and report.public_answer == "The offender was fined."
    assert answer.measures == ["admin_protocol", "warning"] and answer.on_time
    assert ReportPhoto.objects.filter(report=report, answer=answer, source=ReportPhoto.Source.ANSWER).count() == 1
    prosecutor_page = html(login("alga_prosecutor").get(detail(report.reference)))
    assert "Administrative protocol drawn up" in prosecutor_page and "Warning issued" in prosecutor_page
    assert "Accept the answer" in prosecutor_page and "on time" in prosecutor_page


def test_it_refuses_to_answer_a_closed_report_and_keeps_the_text(login):
    report = set_state(new_report(), status=Status.CLOSED)
    events = report.events.count()
    response = login("alga_officer").post(
        detail(report.reference, "answer"), {"result": "not_confirmed", "text": "Nobody was there."}
    )
    assert response.status_code == 200
    page = html(response)
    assert "A report cannot go from “closed” to “answered”." in page
    assert not Answer.objects.exists() and report.events.count() == events


def test_it_asks_for_the_result_and_the_text_of_an_answer(login):
    report = new_report()
    response = login("alga_officer").post(detail(report.reference, "answer"), {"public_text": "Kept."})
    page = html(response)
    assert "Choose the result." in page and "Kept.</textarea>" in page
    assert not Answer.objects.exists()


# --- accept and return -------------------------------------------------------------------------------


def test_it_accepts_the_answer(persona, login):
    report = new_report()
    answer = answered(report, persona("alga_officer"))
    response = login("alga_prosecutor").post(detail(report.reference, "accept"))
    assert response.status_code == 302
    report.refresh_from_db()
    answer.refresh_from_db()
    assert report.status == Status.RESOLVED and answer.decision == Answer.Decision.ACCEPTED


def test_it_returns_the_answer_with_a_reason_the_body_reads(persona, login):
    report = new_report()
    answer = answered(report, persona("alga_officer"))
    client = login("alga_prosecutor")
    response = client.post(detail(report.reference, "return"), {"reason": ""})
    assert response.status_code == 200 and "This field is required." in html(response)
    response = client.post(detail(report.reference, "return"), {"reason": "Question the shop's owner."})
    assert response.status_code == 302
    report.refresh_from_db()
    answer.refresh_from_db()
    assert report.status == Status.RETURNED
    assert (answer.decision, answer.return_reason) == (Answer.Decision.RETURNED, "Question the shop's owner.")
    page = html(login("alga_officer").get(detail(report.reference)))
    assert "Returned because:" in page and "Question the shop&#x27;s owner." in page
    assert "Send the answer" in page  # the body answers again


def test_it_returns_a_report_the_reporter_reopened(persona, login):
    report = new_report()
    answered(report, persona("alga_officer"))
    services.answer_accept(report=report, actor=persona("alga_prosecutor"))
    services.followup_not_resolved(report=report, text="They are still fighting.")
    client = login("alga_prosecutor")
    page = html(client.get(detail(report.reference)))
    assert "The reporter says it is not resolved" in page and "They are still fighting." in page
    assert "Accept the answer" not in page
    response = client.post(detail(report.reference, "return"), {"reason": "Patrol the street at night."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.RETURNED


def test_it_refuses_to_return_an_unanswered_report(login):
    report = new_report()
    events = report.events.count()
    response = login("alga_prosecutor").post(detail(report.reference, "return"), {"reason": "Do it again."})
    assert response.status_code == 200
    assert "A report cannot go from “routed” to “returned for re-work”." in html(response)
    report.refresh_from_db()
    assert report.status == Status.ROUTED and report.events.count() == events


# --- merge -------------------------------------------------------------------------------------------


def test_it_merges_a_report_into_another_keeping_its_reporter_and_events(login):
    original = new_report(description="The first report.")
    duplicate = new_report(description="The same fight.", contact={"name": "Second Reporter", "phone": "+77010000001"})
    client = login("alga_prosecutor")
    response = client.post(detail(duplicate.reference, "merge"), {"into": original.reference.lower(), "reason": "Same"})
    assert response.status_code == 302 and response["Location"] == detail(original.reference)
    duplicate.refresh_from_db()
    assert duplicate.status == Status.DUPLICATE and duplicate.duplicate_of == original
    supporter = ReportSupporter.objects.get(report=original)
    assert supporter.name == "Second Reporter"
    page = html(client.get(detail(original.reference)))
    # The duplicate's own events are in the original's timeline, marked with its reference.
    assert page.count(f'<span class="tag" title="An event of a report merged into this one">{duplicate.reference}') >= 2
    assert f"Report {duplicate.reference} was merged into this one." in page
    assert "Second Reporter" in page  # the prosecutor sees the supporters' contacts
    officer_page = html(login("alga_officer").get(detail(original.reference)))
    assert duplicate.reference in officer_page and "Second Reporter" not in officer_page
    assert "1 more person" in officer_page


@pytest.mark.parametrize("where", ["unknown", "temir"])
def test_it_refuses_to_merge_into_a_report_outside_the_remit(login, where):
    report = new_report()
    into = "AKT-2099-999999" if where == "unknown" else new_report(kato=TEMIR).reference
    response = login("alga_prosecutor").post(detail(report.reference, "merge"), {"into": into})
    assert response.status_code == 200
    assert "No report with this reference is within your remit." in html(response)
    report.refresh_from_db()
    assert report.status == Status.ROUTED


def test_it_refuses_to_merge_a_report_into_itself(login):
    report = new_report()
    response = login("alga_prosecutor").post(detail(report.reference, "merge"), {"into": report.reference})
    assert "A report cannot be merged into itself." in html(response)
    report.refresh_from_db()
    assert report.status == Status.ROUTED


# --- privacy: the body never sees who reported ---------------------------------------------------------


def test_it_never_shows_the_body_who_reported_or_who_joined(login):
    report = new_report()
    services.report_me_too(report=report, contact={"name": "Dana Supporter", "email": "dana@example.org"})
    secrets = ["Aigerim Reporter", "+7 701 000 0000", "aigerim@example.org", "Dana Supporter", "dana@example.org"]
    page = html(login("alga_officer").get(detail(report.reference)))
    for secret in secrets:
        assert secret not in page
    assert "Another reporter joined" in page
    prosecutor_page = html(login("alga_prosecutor").get(detail(report.reference)))
    for secret in secrets:
        assert secret in prosecutor_page


# --- the act of response link ---------------------------------------------------------------------------


def test_it_links_the_prosecutor_to_a_new_act_of_response_when_that_page_exists(login):
    report = new_report()
    try:
        expected = reverse("supervision:act_new") + f"?report={report.reference}"
    except NoReverseMatch:
        expected = None
    page = html(login("alga_prosecutor").get(detail(report.reference)))
    if expected:
        assert f'href="{expected}"' in page and "Record an act of response" in page
    else:
        assert "Record an act of response" not in page
    assert "Record an act of response" not in html(login("alga_officer").get(detail(report.reference)))


# --- scoping: every endpoint, every persona ----------------------------------------------------------------

BODY_ENDPOINTS = ["assign", "forward", "extension", "answer"]
PROSECUTOR_ENDPOINTS = ["accept", "return", "merge", "forward_decide", "extension_decide"]


@pytest.fixture
def scene(persona):
    """Alga reports: one with an extension asked, one answered, one forwarded to the akimat."""
    officer = persona("alga_officer")
    report = new_report()
    services.extension_request(report=report, days=2, reason="Need time", actor=officer)
    answered_report = new_report()
    answered(answered_report, officer)
    forwarded_report = new_report()
    akimat = staff("akimat_officer", Role.BODY_OFFICER, "akt-akimat-alga")
    forward = services.report_forward(
        report=forwarded_report, to_body=body("akt-akimat-alga"), reason="Akimat's", actor=officer
    )
    return {
        "report": report,
        "answered": answered_report,
        "forward": forward,
        "extension": ExtensionRequest.objects.get(report=report),
        "akimat": akimat,
    }


def post_endpoint(client, scene, endpoint):
    data = {
        "assign": {"assignee": ""},
        "forward": {"to_body": body("akt-akimat-alga").pk, "reason": "Theirs"},
        "extension": {"days": "2", "reason": "Time"},
        "answer": {"result": "not_confirmed", "text": "Nothing found"},
        "register": {"registration": "kui", "registration_number": "123"},
        "accept": {},
        "return": {"reason": "Again"},
        "merge": {"into": scene["answered"].reference},
        "forward_decide": {"decision": "uphold"},
        "extension_decide": {"decision": "grant"},
    }[endpoint]
    if endpoint == "forward_decide":
        return client.post(f"/signals/forwards/{scene['forward'].pk}/decide/", data)
    if endpoint == "extension_decide":
        return client.post(f"/signals/extensions/{scene['extension'].pk}/decide/", data)
    reference = scene["answered"].reference if endpoint in ("accept", "return") else scene["report"].reference
    return client.post(detail(reference, endpoint), data)


def state() -> tuple:
    return (
        ReportEvent.objects.count(),
        Answer.objects.filter(decision=Answer.Decision.PENDING).count(),
        Forward.objects.filter(decision=Forward.Decision.PENDING).count(),
        ExtensionRequest.objects.filter(decision=ExtensionRequest.Decision.PENDING).count(),
        ExtensionRequest.objects.count(),
        Report.objects.filter(status=Status.DUPLICATE).count(),
        Report.objects.exclude(registration_number="").count(),
    )


ALL_ENDPOINTS = [*BODY_ENDPOINTS, "register", *PROSECUTOR_ENDPOINTS]
EXPECTED = {
    # persona: (status for body endpoints, register, prosecutor endpoints)
    "citizen": (403, 403, 403),
    "bank_partner": (403, 403, 403),
    "temir_prosecutor": (404, 404, 404),
    "alga_prosecutor": (403, None, None),
    "analyst": (403, 403, 403),
    "board_secretary": (403, 403, 403),
    "alga_officer": (None, None, 403),
}


@pytest.mark.parametrize("username", list(EXPECTED))
def test_it_scopes_every_action_to_those_who_may_take_it(scene, login, username):
    body_status, register_status, prosecutor_status = EXPECTED[username]
    client = login(username)
    for endpoint in ALL_ENDPOINTS:
        expected = (
            body_status
            if endpoint in BODY_ENDPOINTS
            else register_status
            if endpoint == "register"
            else prosecutor_status
        )
        if username == "alga_officer" and endpoint == "forward_decide":
            expected = 404  # the forwarded report is the akimat's now: the police no longer see it
        if expected is None:
            continue  # allowed: the flow tests above cover it
        before = state()
        response = post_endpoint(client, scene, endpoint)
        assert response.status_code == expected, endpoint
        assert state() == before, endpoint


def test_it_hides_another_bodys_reports_from_an_officer(scene):
    """The akimat's officer sees the forwarded report only; the police's reports are 404 to them."""
    client = client_for(scene["akimat"])
    for endpoint in ALL_ENDPOINTS:
        if endpoint == "forward_decide":
            continue  # the forwarded report is the akimat's: covered below
        before = state()
        response = post_endpoint(client, scene, endpoint)
        assert response.status_code == 404, endpoint
        assert state() == before, endpoint


def test_it_refuses_the_forward_review_to_the_body_that_received_it(scene):
    before = state()
    response = post_endpoint(client_for(scene["akimat"]), scene, "forward_decide")
    assert response.status_code == 403
    assert state() == before


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("citizen", 403),
        ("bank_partner", 403),
        ("temir_prosecutor", 404),
        ("alga_officer", 200),
        ("alga_prosecutor", 200),
        ("analyst", 200),
    ],
)
def test_it_scopes_the_report_page(login, username, status):
    report = new_report()
    response = login(username).get(detail(report.reference))
    assert response.status_code == status
    if status == 200:
        page = html(response)
        assert ("Send the answer" in page) == (username == "alga_officer")
        assert ("Merge into another report" in page) == (username == "alga_prosecutor")


def test_it_lets_the_regional_prosecutor_decide_anywhere_in_the_region(scene, login):
    response = post_endpoint(login("regional_prosecutor"), scene, "accept")
    assert response.status_code == 302
    scene["answered"].refresh_from_db()
    assert scene["answered"].status == Status.RESOLVED


def test_it_takes_actions_by_post_only(scene, login):
    client = login("alga_prosecutor")
    for endpoint in ALL_ENDPOINTS:
        if endpoint == "forward_decide":
            url = f"/signals/forwards/{scene['forward'].pk}/decide/"
        elif endpoint == "extension_decide":
            url = f"/signals/extensions/{scene['extension'].pk}/decide/"
        else:
            url = detail(scene["report"].reference, endpoint)
        assert client.get(url).status_code == 405, endpoint


def test_it_checks_the_csrf_token(persona):
    report = new_report()
    client = client_for(persona("alga_officer"))
    client.handler.enforce_csrf_checks = True
    response = client.post(detail(report.reference, "extension"), {"days": "2", "reason": "Time"})
    assert response.status_code == 403
    assert not ExtensionRequest.objects.exists()
