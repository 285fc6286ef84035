"""The board's pages through the real request, for every persona: the meetings' list and page,
planning and changing a meeting, reports heard with their files, issuing a directive from the
meeting's page, a directive's page with the addressee's report and the controller's decision, the
evidence served only to those who read it, and the bad input of issue 18 refused with its message.

Readers are the prosecutors, the region-wide roles and the bodies' officers (each within their
scope: 404 outside it); citizens and partners get 403; the keepers' actions are refused to others."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from board.models import DirectiveAddressee, Meeting, MeetingReport
from board.services.directives import execution_report
from board.services.meetings import meeting_report_add
from conftest import PERSONAS, client_for
from lib.metrics import Area
from lib.plugins import summary_document

from .board_factories import a_directive, a_meeting, organisations

pytestmark = pytest.mark.django_db

Status = DirectiveAddressee.Status
ALL = list(PERSONAS)
NOT_READERS = ["citizen", "bank_partner"]
KEEPERS = ["regional_prosecutor", "board_secretary", "administrator"]
REGION_WIDE = ["department_prosecutor", "analyst", *KEEPERS]
PDF = b"%PDF-1.4\n%test\n"


@pytest.fixture(autouse=True)
def _english_and_own_media(settings, tmp_path):
    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def keeper(persona):
    return persona("board_secretary")


@pytest.fixture
def meeting(keeper):
    return a_meeting(keeper, title_en="Results of nine months")


@pytest.fixture
def directive(keeper, meeting):
    """To the Alga and Temir district prosecutors."""
    return a_directive(keeper, meeting, "akt-prok-alga", "akt-prok-temir", text_en="Hold meetings on fraud")


def get(persona, username, url):
    return client_for(persona(username)).get(url)


@pytest.mark.parametrize("username", ALL)
def test_it_lists_the_meetings_each_persona_reads(persona, directive, meeting, username):
    response = get(persona, username, reverse("board:meetings"))
    if username in NOT_READERS:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    listed = reverse("board:meeting", args=[meeting.pk]) in response.content.decode()
    # A body's officer reads only the meetings that addressed their body.
    assert listed == (username != "alga_officer")


def test_the_list_filters_by_kind_and_year(login, keeper, meeting):
    later = a_meeting(keeper, held_on=date(2026, 2, 10), kind="coordination", period_end=date(2026, 1, 31))
    client = login("analyst")
    html = client.get(reverse("board:meetings"), {"kind": "coordination"}).content.decode()
    assert reverse("board:meeting", args=[later.pk]) in html
    assert reverse("board:meeting", args=[meeting.pk]) not in html
    html = client.get(reverse("board:meetings"), {"year": "2025"}).content.decode()
    assert reverse("board:meeting", args=[meeting.pk]) in html
    assert reverse("board:meeting", args=[later.pk]) not in html


def test_the_meetings_list_takes_a_fixed_number_of_queries(login, keeper, django_assert_max_num_queries):
    client = login("analyst")
    for day in (date(2025, 3, 1), date(2025, 6, 1)):
        meeting = a_meeting(keeper, held_on=day, period_start=date(2025, 1, 1), period_end=date(2025, 2, 28))
        a_directive(keeper, meeting, "akt-prok-alga", "akt-prok-temir", deadline=date(2025, 12, 1))
    client.get(reverse("board:meetings"))  # the session and caches warmed
    with django_assert_max_num_queries(12) as baseline:
        client.get(reverse("board:meetings"))
    for day in range(1, 6):
        meeting = a_meeting(keeper, held_on=date(2025, 7, day), period_end=date(2025, 6, 30))
        a_directive(keeper, meeting, "akt-prok-alga", deadline=date(2025, 12, 1))
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        client.get(reverse("board:meetings"))


# --- planning and changing ----------------------------------------------------------------------


MEETING_POST = {
    "held_on": "2025-12-27",
    "kind": "board",
    "period_start": "2025-01-01",
    "period_end": "2025-12-31",
    "title_en": "Results of the year",
    "chair": "The regional prosecutor",
    "participants": "Deputies, district prosecutors",
    "agenda": "1. Results of the year",
}


@pytest.mark.parametrize("username", ALL)
def test_only_the_keepers_plan_a_meeting(persona, username):
    client = client_for(persona(username))
    response = client.post(reverse("board:meeting_new"), MEETING_POST)
    if username in KEEPERS:
        assert response.status_code == 302
        meeting = Meeting.objects.get()
        assert response["Location"] == reverse("board:meeting", args=[meeting.pk])
        assert (meeting.held_on, meeting.title_en, meeting.status) == (
            date(2025, 12, 27),
            "Results of the year",
            "planned",
        )
    else:
        assert response.status_code == 403
        assert client.get(reverse("board:meeting_new")).status_code == 403
        assert not Meeting.objects.exists()


def test_a_refused_meeting_comes_back_with_its_reasons(login):
    client = login("board_secretary")
    response = client.post(reverse("board:meeting_new"), {**MEETING_POST, "kind": "working_group", "chair": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Results of the year" in html  # what was typed comes back
    assert not Meeting.objects.exists()
    response = client.post(reverse("board:meeting_new"), {**MEETING_POST, "kind": "working_group"})
    assert response.status_code == 400
    assert "Choose the working group that meets." in response.content.decode()


def test_a_keeper_changes_the_meeting_and_others_may_not(login, meeting):
    url = reverse("board:meeting_change", args=[meeting.pk])
    assert login("analyst").post(url, {**MEETING_POST, "held_on": "2025-10-17"}).status_code == 403
    assert login("alga_prosecutor").get(url).status_code == 403
    client = login("regional_prosecutor")
    assert client.get(url).status_code == 200
    changed = {**MEETING_POST, "held_on": "2025-10-17", "period_end": "2025-09-30", "agenda": "New agenda"}
    assert client.post(url, changed).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.held_on, meeting.agenda) == (date(2025, 10, 17), "New agenda")
    assert meeting.events.filter(kind="changed").exists()


# --- the meeting's page --------------------------------------------------------------------------


MEETING_STATUS = {
    **dict.fromkeys(NOT_READERS, 403),
    "alga_officer": 404,  # not addressed by the meeting
    **dict.fromkeys(["alga_prosecutor", "temir_prosecutor", *REGION_WIDE], 200),
}


@pytest.mark.parametrize("username", ALL)
def test_the_meeting_page_per_persona(persona, directive, meeting, username):
    response = get(persona, username, reverse("board:meeting", args=[meeting.pk]))
    assert response.status_code == MEETING_STATUS[username]
    if response.status_code != 200:
        return
    html = response.content.decode()
    assert "Results of nine months" in html
    sees = {
        code: name in html
        for code, name in (
            ("alga", "Prosecutor&#x27;s Office of Alga District"),
            ("temir", "Prosecutor&#x27;s Office of Temir District"),
        )
    }
    if username == "alga_prosecutor":
        assert sees == {"alga": True, "temir": False}
    if username in REGION_WIDE:
        assert sees == {"alga": True, "temir": True}
    keeper_actions = reverse("board:directive_new", args=[meeting.pk]) in html
    assert keeper_actions == (username in KEEPERS)


def test_the_meeting_page_shows_the_summary_link_and_only_documents_that_exist(login, meeting):
    html = login("board_secretary").get(reverse("board:meeting", args=[meeting.pk])).content.decode()
    assert reverse("board:meeting_summary", args=[meeting.pk]) in html
    assert 'id="documents"' in html
    # The resolution's and the pack's pages (board.document_views) linked once they answer.
    for args in ((meeting.pk, "docx", "kk"), (meeting.pk, "pdf", "ru")):
        assert reverse("board:resolution", args=args) in html
    assert reverse("board:materials", args=[meeting.pk]) in html


def test_a_body_reads_the_meeting_that_addressed_it(persona, keeper, meeting):
    a_directive(keeper, meeting, "akt-police-alga", text_en="Patrol the schools")
    response = get(persona, "alga_officer", reverse("board:meeting", args=[meeting.pk]))
    assert response.status_code == 200
    assert "Patrol the schools" in response.content.decode()


def test_the_meeting_page_shows_the_earlier_open_directives_then_the_carried_ones(login, keeper, directive):
    later = a_meeting(keeper, held_on=date(2025, 12, 27), period_end=date(2025, 12, 31))
    client = login("board_secretary")
    url = reverse("board:meeting", args=[later.pk])
    html = client.get(url).content.decode()
    assert 'id="earlier"' in html and reverse("board:directive", args=[directive.pk]) in html
    assert client.post(reverse("board:meeting_hold", args=[later.pk])).status_code == 302
    later.refresh_from_db()
    assert later.status == Meeting.Status.HELD
    html = client.get(url).content.decode()
    assert 'id="earlier"' not in html and 'id="carried"' in html
    assert list(later.carried_directives.all()) == [directive]
    # Held twice: the message, nothing changed.
    response = client.post(reverse("board:meeting_hold", args=[later.pk]), follow=True)
    assert "already marked as held" in response.content.decode()


@pytest.mark.parametrize("username", ["alga_prosecutor", "analyst", "alga_officer", "citizen"])
def test_only_the_keepers_hold_a_meeting(persona, meeting, username):
    response = client_for(persona(username)).post(reverse("board:meeting_hold", args=[meeting.pk]))
    assert response.status_code in (403, 404)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_a_keeper_adds_a_report_heard_with_its_file_read_through_the_board(persona, login, meeting, settings):
    client = login("board_secretary")
    url = reverse("board:meeting_report_add", args=[meeting.pk])
    alga = organisations("akt-prok-alga")[0]
    data = {"speaker": "A. Deputy", "position": "Deputy", "office": alga.pk, "topic": "Fraud"}
    settings.BOARD_FILE_MAX_BYTES = 10
    refused = client.post(url, {**data, "upload": SimpleUploadedFile("report.pdf", PDF)})
    assert refused.status_code == 400
    assert "too large" in refused.content.decode() and "A. Deputy" in refused.content.decode()
    assert not MeetingReport.objects.exists()
    settings.BOARD_FILE_MAX_BYTES = 10_000
    assert client.post(url, {**data, "upload": SimpleUploadedFile("report.pdf", PDF)}).status_code == 302
    report = MeetingReport.objects.get()
    file_url = reverse("board:meeting_report_file", args=[meeting.pk, report.pk])
    assert file_url in client.get(reverse("board:meeting", args=[meeting.pk])).content.decode()
    download = client.get(file_url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert get(persona, "temir_prosecutor", file_url).status_code == 200  # reads the region's meetings
    assert get(persona, "alga_officer", file_url).status_code == 404
    assert get(persona, "citizen", file_url).status_code == 403
    assert login("analyst").post(url, data).status_code == 403


def test_a_report_without_a_file_has_no_download(login, keeper, meeting):
    report = meeting_report_add(actor=keeper, meeting=meeting, speaker="Deputy", topic="Drugs")
    assert login("analyst").get(reverse("board:meeting_report_file", args=[meeting.pk, report.pk])).status_code == 404


# --- issuing a directive -------------------------------------------------------------------------


def directive_post(keeper, *codes, **changes):
    return {
        "text_en": "Strengthen prevention of fraud",
        "area": Area.FRAUD,
        "deadline": "2025-12-01",
        "addressees": [org.pk for org in organisations(*(codes or ("akt-prok-alga",)))],
        "controller": keeper.pk,
        "metric_codes": "fraud.indicators.found, fraud.indicators.confirmed",
        **changes,
    }


def test_a_keeper_issues_a_directive_to_two_offices(login, keeper, meeting):
    client = login("board_secretary")
    url = reverse("board:directive_new", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert "Prosecutor&#x27;s Office of Alga District" in page and "Alga District Police Department" in page
    assert "<optgroup" in page or "Responsible body" in page  # grouped by kind
    response = client.post(url, directive_post(keeper, "akt-prok-alga", "akt-prok-temir"))
    assert response.status_code == 302
    directive = meeting.directives.get()
    assert response["Location"] == reverse("board:directive", args=[directive.pk])
    assert sorted(directive.addressees.values_list("organisation__code", flat=True)) == [
        "akt-prok-alga",
        "akt-prok-temir",
    ]
    assert directive.metric_codes == ["fraud.indicators.confirmed", "fraud.indicators.found"]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"addressees": []}, "Name at least one addressee"),
        ({"deadline": "2025-10-15"}, "cannot be before the meeting&#x27;s date"),
        ({"text_en": ""}, "at least one language"),
        ({"controller": ""}, "This field is required"),
    ],
)
def test_a_refused_directive_comes_back_with_its_reason(login, keeper, meeting, change, message):
    response = login("board_secretary").post(
        reverse("board:directive_new", args=[meeting.pk]), directive_post(keeper, **change)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not meeting.directives.exists()


@pytest.mark.parametrize("username", ["alga_prosecutor", "analyst", "department_prosecutor", "alga_officer"])
def test_only_the_keepers_issue_a_directive(persona, keeper, meeting, username):
    client = client_for(persona(username))
    url = reverse("board:directive_new", args=[meeting.pk])
    assert client.post(url, directive_post(keeper)).status_code in (403, 404)
    assert client.get(url).status_code in (403, 404)
    assert not meeting.directives.exists()


# --- a directive's page -------------------------------------------------------------------------


DIRECTIVE_STATUS = {
    **dict.fromkeys(NOT_READERS, 403),
    "alga_officer": 404,
    **dict.fromkeys(["alga_prosecutor", "temir_prosecutor", *REGION_WIDE], 200),
}


@pytest.mark.parametrize("username", ALL)
def test_the_directive_page_per_persona(persona, directive, username):
    response = get(persona, username, reverse("board:directive", args=[directive.pk]))
    assert response.status_code == DIRECTIVE_STATUS[username]
    if response.status_code == 200:
        html = response.content.decode()
        alga = directive.addressees.get(organisation__code="akt-prok-alga")
        report_form = reverse("board:execution_report", args=[alga.pk]) in html
        assert report_form == (username == "alga_prosecutor")


def report_post(text="Ten meetings held", final=False, files=()):
    data = {"text": text, "files": list(files)}
    if final:
        data["final"] = "on"
    return data


def test_the_addressee_reports_with_evidence_and_the_controller_decides(persona, login, directive):
    alga = directive.addressees.get(organisation__code="akt-prok-alga")
    client = login("alga_prosecutor")
    files = [SimpleUploadedFile("act.pdf", PDF), SimpleUploadedFile("list.pdf", PDF)]
    response = client.post(reverse("board:execution_report", args=[alga.pk]), report_post(final=True, files=files))
    assert response.status_code == 302
    alga.refresh_from_db()
    assert alga.status == Status.REPORTED
    evidence = alga.reports.get().evidence.order_by("name")
    assert [item.name for item in evidence] == ["act.pdf", "list.pdf"]
    evidence_url = reverse("board:evidence", args=[evidence[0].pk])
    assert evidence_url in client.get(reverse("board:directive", args=[directive.pk])).content.decode()
    assert client.get(evidence_url).status_code == 200
    assert get(persona, "analyst", evidence_url).status_code == 200
    assert get(persona, "temir_prosecutor", evidence_url).status_code == 404
    assert get(persona, "citizen", evidence_url).status_code == 403

    decide = reverse("board:execution_decide", args=[alga.pk])
    assert client.post(decide, {"action": "accept"}).status_code == 403  # not its own report
    assert login("analyst").post(decide, {"action": "accept"}).status_code == 403
    keeper = login("board_secretary")
    page = keeper.get(reverse("board:directive", args=[directive.pk])).content.decode()
    assert decide in page
    refused = keeper.post(decide, {"action": "return", "comment": ""}, follow=True)
    assert "Say why the execution is returned." in refused.content.decode()
    assert keeper.post(decide, {"action": "return", "comment": "Attach the minutes"}).status_code == 302
    alga.refresh_from_db()
    assert (alga.status, alga.comment) == (Status.RETURNED, "Attach the minutes")
    client.post(reverse("board:execution_report", args=[alga.pk]), report_post("Minutes attached", final=True))
    assert keeper.post(decide, {"action": "accept"}).status_code == 302
    alga.refresh_from_db()
    assert alga.status == Status.EXECUTED


@pytest.mark.parametrize("username", ["temir_prosecutor", "alga_officer", "analyst", "board_secretary", "citizen"])
def test_a_report_on_another_offices_execution_is_403(persona, directive, username):
    alga = directive.addressees.get(organisation__code="akt-prok-alga")
    response = client_for(persona(username)).post(reverse("board:execution_report", args=[alga.pk]), report_post())
    assert response.status_code == 403
    assert not alga.reports.exists()


def test_a_refused_report_keeps_its_text_and_saves_nothing(login, directive, settings):
    alga = directive.addressees.get(organisation__code="akt-prok-alga")
    client = login("alga_prosecutor")
    settings.BOARD_FILE_MAX_BYTES = 10
    response = client.post(
        reverse("board:execution_report", args=[alga.pk]),
        report_post("Checked every school", files=[SimpleUploadedFile("big.pdf", PDF)]),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "too large" in html and "Checked every school" in html
    assert not alga.reports.exists()
    response = client.post(
        reverse("board:execution_report", args=[alga.pk]), report_post("x", files=[SimpleUploadedFile("a.exe", b"MZ")])
    )
    assert "not a PDF" in response.content.decode()


def test_a_controller_from_a_district_reads_and_decides_what_they_control(persona, keeper, meeting):
    temir = persona("temir_prosecutor")
    directive = a_directive(keeper, meeting, "akt-prok-alga", controller=temir)
    alga = directive.addressees.get()
    execution_report(actor=persona("alga_prosecutor"), addressee=alga, text="Done", final=True)
    client = client_for(temir)
    assert client.get(reverse("board:directive", args=[directive.pk])).status_code == 200
    assert client.post(reverse("board:execution_decide", args=[alga.pk]), {"action": "accept"}).status_code == 302
    alga.refresh_from_db()
    assert alga.status == Status.EXECUTED


def test_the_summary_of_the_period_as_of_the_meeting_is_read_by_the_region_wide_readers(login, meeting):
    url = reverse("board:meeting_summary", args=[meeting.pk])
    page = login("board_secretary").get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    # The summary of 1 January - 30 September 2025 as of the meeting's day: its own title and table.
    document = summary_document(meeting.region_id, date(2025, 1, 1), date(2025, 9, 30), date(2025, 10, 16), "en")
    assert document["tables"] and document["title"] in html
    assert all(escape(heading) in html for heading in document["tables"][0]["head"])
    # A district prosecutor reads their districts' summaries only, and no link is offered them.
    assert login("alga_prosecutor").get(url).status_code == 403
    meeting_page = login("alga_prosecutor").get(reverse("board:meeting", args=[meeting.pk])).content.decode()
    assert url not in meeting_page
    assert login("citizen").get(url).status_code == 403
