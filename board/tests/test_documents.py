"""The board's documents through the real stack: the resolution as DOCX and PDF in Kazakh and
Russian (numbered and dated, every directive with its addressees and deadline), the meeting's
materials pack as one PDF, the refusals with a clear message, and who may download each."""

import re
import subprocess
import tempfile
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from docx import Document

from accounts.models import AuditEvent
from board.documents import materials_context
from board.services.meetings import meeting_change, meeting_report_add, resolution_issue
from lib.metrics import Area
from lib.plugins import summary_document

from .board_factories import a_directive, a_meeting, organisations

FRAUD_KK = "Алаяқтықтың алдын алу шараларын күшейту"
FRAUD_RU = "Усилить меры по профилактике мошенничества"
DRUGS_KK = "Есірткі сататын сайттарды бұғаттау жұмысын жандандыру"
DRUGS_RU = "Активизировать блокировку сайтов по продаже наркотиков"
KAZAKH_LETTERS = set("әғқңөұүһі")


def numbered(number: int) -> re.Pattern:
    """The resolution's number as the document writes it ("No. 2", "№ 2"), whatever the catalogue's wording."""
    return re.compile(rf"(№|No\.)\s*{number}\b")


def pdf_text(content: bytes) -> str:
    """The PDF's text as pdftotext reads it (poppler-utils: make system-packages), one space between words."""
    assert content.startswith(b"%PDF")
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())


def embedded_files(content: bytes) -> dict[str, bytes]:
    """The files embedded in the PDF, by name, as pdfdetach (poppler-utils) saves them."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pack.pdf"
        path.write_bytes(content)
        listing = subprocess.run(["pdfdetach", "-list", str(path)], capture_output=True, check=True, text=True)
        subprocess.run(["pdfdetach", "-saveall", "-o", folder, str(path)], check=True)
        names = [line.split(": ", 1)[1] for line in listing.stdout.splitlines()[1:]]
        return {name: (Path(folder) / name).read_bytes() for name in names}


def docx_text(content: bytes) -> str:
    return " ".join(" ".join(paragraph.text for paragraph in Document(BytesIO(content)).paragraphs).split())


@pytest.fixture
def keeper(persona):
    return persona("regional_prosecutor")


@pytest.fixture
def meeting(keeper):
    """The 16 October 2025 board: two directives, one to two district offices, one to the police."""
    meeting = a_meeting(keeper, title_ru="О результатах работы за 9 месяцев 2025 года")
    a_directive(keeper, meeting, "akt-prok-alga", "akt-prok-temir", text_kk=FRAUD_KK, text_ru=FRAUD_RU, text_en="")
    a_directive(
        keeper,
        meeting,
        "akt-police-alga",
        area=Area.DRUGS,
        deadline=date(2026, 1, 15),
        text_kk=DRUGS_KK,
        text_ru=DRUGS_RU,
        text_en="",
    )
    return meeting


@pytest.fixture
def issued(keeper, meeting):
    return resolution_issue(actor=keeper, meeting=meeting)


def resolution_url(meeting, extension="docx", language="kk"):
    return reverse("board:resolution", args=[meeting.pk, extension, language])


# --- the resolution ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_it_writes_the_resolution_as_docx_with_every_directive(login, issued, language):
    response = login("board_secretary").get(resolution_url(issued, "docx", language))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    text = docx_text(response.content)
    assert numbered(1).search(text) and "16.10.2025" in text
    texts = {"kk": (FRAUD_KK, DRUGS_KK), "ru": (FRAUD_RU, DRUGS_RU)}[language]
    for directive_text in texts:
        assert directive_text in text
    for organisation in organisations("akt-prok-alga", "akt-prok-temir", "akt-police-alga"):
        assert organisation.localized("name", language) in text
    assert "01.12.2025" in text and "15.01.2026" in text
    office = organisations("akt-prok-region")[0].localized("name", language)
    assert office in text
    if language == "kk":
        assert KAZAKH_LETTERS & set(text)
    else:
        assert "Прокуратура" in text


def test_it_audits_every_download_of_the_board_s_documents(login, persona, issued):
    secretary, client = persona("board_secretary"), login("board_secretary")
    assert client.get(resolution_url(issued, "pdf", "ru")).status_code == 200
    assert client.get(reverse("board:materials", args=[issued.pk]) + "?lang=kk").status_code == 200
    downloads = AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD, actor=secretary).order_by("seq")
    assert [(event.target, event.details["document"], event.details["language"]) for event in downloads] == [
        (f"board.meeting:{issued.pk}", "resolution", "ru"),
        (f"board.meeting:{issued.pk}", "materials", "kk"),
    ]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_it_writes_the_resolution_as_pdf_with_every_directive(login, issued, language):
    response = login("regional_prosecutor").get(resolution_url(issued, "pdf", language))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "16.10.2025" in text
    texts = {"kk": (FRAUD_KK, DRUGS_KK), "ru": (FRAUD_RU, DRUGS_RU)}[language]
    for directive_text in texts:
        assert directive_text in text
    for organisation in organisations("akt-prok-alga", "akt-prok-temir", "akt-police-alga"):
        assert organisation.localized("name", language) in text
    assert "01.12.2025" in text and "15.01.2026" in text
    if language == "kk":
        assert KAZAKH_LETTERS & set(text)


def test_the_resolution_carries_its_number_and_date(login, keeper, meeting):
    """The second resolution of the region's year takes number 2, dated the day it is issued."""
    first = a_meeting(keeper, held_on=date(2025, 6, 20), period_end=date(2025, 5, 31))
    a_directive(keeper, first, deadline=date(2025, 9, 1))
    resolution_issue(actor=keeper, meeting=first)
    resolution_issue(actor=keeper, meeting=meeting, on=date(2025, 10, 17))
    text = docx_text(login("board_secretary").get(resolution_url(meeting, "docx", "ru")).content)
    assert numbered(2).search(text) and "17.10.2025" in text
    pdf = pdf_text(login("board_secretary").get(resolution_url(meeting, "pdf", "ru")).content)
    assert "17.10.2025" in pdf


def test_a_directive_without_text_in_the_language_shows_another_marked(login, keeper):
    meeting = a_meeting(keeper)
    a_directive(keeper, meeting, text_en="Block the drug shops' channels", text_kk="", text_ru="")
    resolution_issue(actor=keeper, meeting=meeting)
    text = docx_text(login("board_secretary").get(resolution_url(meeting, "docx", "ru")).content)
    assert "Block the drug shops' channels" in text
    # Marked with the language it is written in (Russian: the catalogue's "Английский").
    assert "Английский" in text


def test_it_refuses_a_resolution_of_a_meeting_without_directives(login, keeper):
    meeting = a_meeting(keeper)
    client = login("board_secretary")
    response = client.get(resolution_url(meeting, "pdf", "ru"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert "has no directives yet" in response.content.decode()
    assert reverse("board:meeting", args=[meeting.pk]) in response.content.decode()
    response = client.post(reverse("board:resolution_issue", args=[meeting.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.resolution_number is None
    shown = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "has no directives yet" in shown


def test_it_refuses_a_resolution_not_issued_yet(login, meeting):
    response = login("regional_prosecutor").get(resolution_url(meeting, "docx", "kk"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert "not issued yet" in response.content.decode()


@pytest.mark.parametrize("extension, language", [("odt", "ru"), ("pdf", "en"), ("docx", "de")])
def test_it_refuses_another_format_or_language(login, issued, extension, language):
    response = login("regional_prosecutor").get(resolution_url(issued, extension, language), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "DOCX or PDF, in Kazakh or Russian" in response.content.decode()


def test_the_keepers_issue_the_resolution_by_post(login, meeting):
    url = reverse("board:resolution_issue", args=[meeting.pk])
    assert login("board_secretary").get(url).status_code == 405
    for name in ("alga_prosecutor", "analyst", "alga_officer"):
        assert login(name).post(url).status_code == 403, name
    meeting.refresh_from_db()
    assert meeting.resolution_number is None
    response = login("board_secretary").post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("board:meeting", args=[meeting.pk])
    meeting.refresh_from_db()
    assert (meeting.resolution_number, meeting.resolution_on) == (1, meeting.held_on)
    assert login("board_secretary").get(resolution_url(meeting, "pdf", "ru")).status_code == 200


# --- the materials pack -------------------------------------------------------------------------------


@pytest.fixture
def pack_meeting(keeper, meeting):
    """The 16 October board with its agenda, a report heard (with a file), and an earlier board's
    directive still open."""
    june = a_meeting(keeper, held_on=date(2025, 6, 20), period_end=date(2025, 5, 31))
    a_directive(keeper, june, "akt-prok-temir", deadline=date(2025, 9, 1), text_en="Check the schools' guards")
    meeting_change(
        actor=keeper,
        meeting=meeting,
        agenda="On the results of the work for nine months of 2025",
        participants="Deputies of the regional prosecutor; city and district prosecutors",
    )
    meeting_report_add(
        actor=keeper,
        meeting=meeting,
        speaker="A. Seitkali",
        position="Alga district prosecutor",
        office=organisations("akt-prok-alga")[0],
        topic="Fraud prevention in the district",
        upload=SimpleUploadedFile("alga-report.pdf", b"%PDF-1.4\n%test\n"),
    )
    return meeting


def materials_url(meeting, language=""):
    url = reverse("board:materials", args=[meeting.pk])
    return f"{url}?lang={language}" if language else url


def test_the_pack_holds_the_agenda_summary_reports_and_open_directives(login, pack_meeting):
    response = login("regional_prosecutor").get(materials_url(pack_meeting, "en"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    # The agenda.
    assert "On the results of the work for nine months of 2025" in text
    assert "city and district prosecutors" in text
    assert "16.10.2025" in text
    # The results summary of the period as of the meeting's day: the reporting's own text and table.
    summary = summary_document(pack_meeting.region_id, date(2025, 1, 1), date(2025, 9, 30), date(2025, 10, 16), "en")
    assert summary["title"] in text
    first_row = summary["tables"][0]["rows"][0]
    assert first_row[0].split(" (")[0] in text
    # The reports heard, with their files' names.
    report = pack_meeting.reports.get()
    # pdftotext joins a name broken at its hyphen at a line's end (the file column is narrow).
    assert report.file_name and report.file_name.replace("-", "") in text.replace("-", "")
    assert "A. Seitkali" in text and "Fraud prevention in the district" in text
    # ... and their files embedded in the pack, as sent.
    assert embedded_files(response.content) == {f"01-{report.file_name}": b"%PDF-1.4\n%test\n"}
    # The open directives: the earlier board's and the meeting's own, with each addressee.
    assert "Check the schools' guards" in text
    # No English text: the Russian one.
    assert FRAUD_RU in text
    assert "overdue" in text


def test_the_pack_marks_each_execution_overdue_or_not(persona, pack_meeting):
    context = materials_context(pack_meeting, "en", reader=persona("analyst"), now=timezone.now())
    earlier = {(item.text, name, overdue) for item in context["earlier"] for name, _status, overdue in item.executions}
    assert ("Check the schools' guards", organisations("akt-prok-temir")[0].name_en, True) in earlier
    assert len(context["own"]) == 2
    on_the_day = materials_context(
        pack_meeting, "en", reader=persona("analyst"), now=timezone.now().replace(year=2025, month=10, day=16)
    )
    marks = {overdue for item in on_the_day["own"] for _name, _status, overdue in item.executions}
    assert marks == {False}


def test_the_pack_is_in_kazakh_by_default_and_in_russian_when_asked(login, pack_meeting):
    client = login("regional_prosecutor")
    kazakh = pdf_text(client.get(materials_url(pack_meeting)).content)
    assert FRAUD_KK in kazakh and KAZAKH_LETTERS & set(kazakh)
    russian = pdf_text(client.get(materials_url(pack_meeting, "ru")).content)
    assert FRAUD_RU in russian and DRUGS_RU in russian
    assert client.get(materials_url(pack_meeting, "de"), HTTP_ACCEPT_LANGUAGE="en").status_code == 400


def test_an_addressees_pack_shows_its_own_executions_and_no_region_summary(login, pack_meeting):
    """The Alga police read the meeting that addressed them: only their own execution, and not the
    region's results summary (a body's officer reads no summary)."""
    text = pdf_text(login("alga_officer").get(materials_url(pack_meeting, "ru")).content)
    assert DRUGS_RU in text
    assert FRAUD_RU not in text
    assert organisations("akt-prok-temir")[0].name_ru not in text
    summary = summary_document(pack_meeting.region_id, date(2025, 1, 1), date(2025, 9, 30), date(2025, 10, 16), "ru")
    assert summary["title"] not in text


# --- who may download ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["citizen", "bank_partner"])
def test_citizens_and_partners_get_no_document(login, issued, name):
    client = login(name)
    for url in (resolution_url(issued, "pdf", "ru"), materials_url(issued, "ru")):
        assert client.get(url).status_code in (403, 404)
    assert client.post(reverse("board:resolution_issue", args=[issued.pk])).status_code in (403, 404)


def test_anonymous_visitors_are_sent_to_log_in(client, issued):
    response = client.get(resolution_url(issued, "pdf", "ru"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_bodys_officer_reads_only_a_meeting_that_addressed_it(login, keeper, issued):
    other = a_meeting(keeper, held_on=date(2025, 11, 5), period_end=date(2025, 10, 31))
    a_directive(keeper, other, "akt-prok-temir", deadline=date(2025, 12, 20))
    resolution_issue(actor=keeper, meeting=other)
    client = login("alga_officer")
    assert client.get(resolution_url(issued, "docx", "ru")).status_code == 200
    assert client.get(materials_url(issued, "ru")).status_code == 200
    assert client.get(resolution_url(other, "docx", "ru")).status_code == 404
    assert client.get(materials_url(other, "ru")).status_code == 404


def test_the_regions_prosecutors_read_the_documents(login, issued):
    for name in ("alga_prosecutor", "temir_prosecutor", "analyst", "department_prosecutor", "administrator"):
        client = login(name)
        assert client.get(resolution_url(issued, "docx", "kk")).status_code == 200, name
    assert login("temir_prosecutor").get(materials_url(issued, "ru")).status_code == 200


def test_a_missing_meeting_answers_404(login):
    assert login("regional_prosecutor").get(reverse("board:materials", args=[999999])).status_code == 404


def test_the_meeting_page_links_the_documents_and_offers_the_keepers_to_issue(login, meeting):
    page = login("board_secretary").get(reverse("board:meeting", args=[meeting.pk])).content.decode()
    assert resolution_url(meeting, "docx", "kk") in page and materials_url(meeting) in page
    assert reverse("board:resolution_issue", args=[meeting.pk]) in page
    other = login("alga_prosecutor").get(reverse("board:meeting", args=[meeting.pk])).content.decode()
    assert materials_url(meeting) in other
    assert reverse("board:resolution_issue", args=[meeting.pk]) not in other
    login("board_secretary").post(reverse("board:resolution_issue", args=[meeting.pk]))
    issued = login("board_secretary").get(reverse("board:meeting", args=[meeting.pk])).content.decode()
    assert reverse("board:resolution_issue", args=[meeting.pk]) not in issued


def test_the_region_summary_is_printed_for_those_who_read_it(persona, meeting):
    """A district prosecutor reads their districts' summaries only (reporting's rule): their pack
    says why it carries no region summary; the analyst's carries it."""
    district = materials_context(meeting, "en", reader=persona("temir_prosecutor"))
    assert district["summary"] is None and "regional office's staff" in district["summary_note"]
    regional = materials_context(meeting, "en", reader=persona("analyst"))
    assert regional["summary"]["title"].startswith("Results summary")
