"""The summary's documents (reporting.documents): the PDF's text (pdftotext) holds every figure, the
"as of" date and the page on every page, "Draft" on every page of a version not published and on
none of a published one; the DOCX and the XLSX open and hold every figure; a sensitive category's
count of 1 or 2 is withheld; no provenance link in anything published; every download audited and
scoped; a format not offered answered with the formats that are; the command writes each format."""

import re
import subprocess
import tempfile
import zipfile
from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import AuditEvent
from reporting import documents, selectors, services
from reporting.figures import Figure, Part, Request, Summary
from reporting.frozen import figure_read, figure_stored
from reporting.models import Metric, SummaryVersion
from reporting.output import table_rows
from reporting.publication import FEWER_THAN, WITHHELD, Withheld, part_cell, protected, provenance_free
from reporting.tests import facts
from reporting.tests.facts import ALGA, TEMIR, local

pytestmark = pytest.mark.django_db
AS_OF = "30.09.2025"


@pytest.fixture
def reports():
    made = [facts.submit(local(2025, 3, day), kato=ALGA) for day in (3, 4, 5)]
    made += [facts.submit(local(2025, 3, 6), kato=TEMIR), facts.submit(local(2025, 3, 7), kato=TEMIR)]
    made.append(facts.submit(local(2025, 3, 8), kato=ALGA, code="child-at-risk"))
    facts.answer(made[0], local(2025, 3, 9))
    return made


def start(persona, username="analyst", katos=()) -> SummaryVersion:
    return services.summary_start(
        actor=persona(username),
        title="Итоги 9 месяцев",
        region=None,
        katos=list(katos),
        start=date(2025, 1, 1),
        end=date(2025, 9, 30),
    )


def published(persona, version: SummaryVersion) -> SummaryVersion:
    approver = persona("regional_prosecutor")
    version = services.summary_approve(actor=approver, version=version)
    return services.summary_publish(actor=approver, version=version)


def pdf_pages(content: bytes, *, layout=True) -> list[str]:
    """The PDF's text page by page, as pdftotext extracts it."""
    args = ["pdftotext", *(["-layout"] if layout else []), "-", "-"]
    text = subprocess.run(args, input=content, capture_output=True, check=True).stdout.decode()
    return [page for page in text.split("\f") if page.strip()]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def figure_cells(version: SummaryVersion, language: str) -> list[tuple[str, str, str]]:
    """Each figure's code, value and base as the summary's table writes them."""
    reading = selectors.read(version, language)
    with translation.override(language):
        rows = table_rows(reading.summary, language)
    return [(figure.code, row[1], row[2]) for figure, row in zip(reading.summary.figures, rows, strict=True)]


def chart_images_in(content: bytes) -> int:
    """The pictures in the PDF, as pdfimages (poppler-utils) lists them after two lines of headings."""
    listed = subprocess.run(["pdfimages", "-list", "-"], input=content, capture_output=True, check=False)
    if listed.returncode != 0:  # an older pdfimages reads no standard input: through a file
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(content)
            handle.flush()
            listed = subprocess.run(["pdfimages", "-list", handle.name], capture_output=True, check=True)
    rows = [line.split() for line in listed.stdout.decode().splitlines()[2:]]
    return sum(1 for row in rows if row[2] == "image")  # a picture's transparency is listed apart (smask)


def docx_text(content: bytes) -> str:
    from docx import Document

    document = Document(BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([*(paragraph.text for paragraph in document.paragraphs), *cells])


def test_it_writes_every_figure_the_as_of_date_the_page_and_draft_on_every_page_of_the_pdf(persona, reports):
    version = start(persona)
    document = documents.version_document(version, "en")
    assert [chart.key for chart in document.charts] == ["change_by_area", "monthly_trend", "districts_compared", "map"]
    content = documents.render(document, "pdf")
    pages = pdf_pages(content)
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert AS_OF in page, number
        assert re.search(rf"\b{number} ?/ ?{len(pages)}\b", page), number
        assert "Draft" in page, number
    text = "\n".join(pages)
    for code, value, base in figure_cells(version, "en"):
        assert value in text and base in text, code
    received = next(value for code, value, _base in figure_cells(version, "en") if code == "fsm.reports.received")
    assert received == "6"
    assert "Итоги 9 месяцев (Draft)" in flat(text)
    assert chart_images_in(content) == len(document.charts)  # each chart and the map drawn as a picture
    assert "/reporting/figures/" not in text and "href" not in text


def test_a_published_pdf_says_draft_on_no_page_and_writes_kazakh_letters(persona, reports):
    version = published(persona, start(persona))
    pages = pdf_pages(documents.render(documents.version_document(version, "kk"), "pdf"))
    with translation.override("kk"):
        draft = gettext("Draft")
    assert all(draft not in page for page in pages)
    text = flat(" ".join(pdf_pages(documents.render(documents.version_document(version, "kk"), "pdf"), layout=False)))
    reading = selectors.read(version, "kk")
    sentence = next(s for p in reading.paragraphs for s in p.sentences if re.search("[әғқңөұүһі]", s))
    assert flat(sentence) in text
    for code, value, _base in figure_cells(version, "kk"):
        assert value in text, code


def test_a_draft_in_kazakh_says_so_on_every_page(persona, reports):
    version = start(persona)
    with translation.override("kk"):
        draft = gettext("Draft")
    pages = pdf_pages(documents.render(documents.version_document(version, "kk"), "pdf"))
    assert all(draft in page and AS_OF in page for page in pages)


def test_the_docx_opens_and_holds_every_figure_its_header_and_page_numbers(persona, reports):
    from docx import Document

    version = start(persona)
    content = documents.render(documents.version_document(version, "ru"), "docx")
    document = Document(BytesIO(content))
    text = docx_text(content)
    for code, value, base in figure_cells(version, "ru"):
        assert value in text and base in text, code
    assert len(document.tables) == 2  # the figures and by district; the breakdowns are the XLSX's
    with translation.override("ru"):
        assert gettext("The breakdowns by category, channel and body are in the XLSX of this summary.") in text
    section = document.sections[0]
    with translation.override("ru"):
        assert gettext("Draft") in section.header.paragraphs[0].text
    assert AS_OF in section.footer.paragraphs[0].text
    with zipfile.ZipFile(BytesIO(content)) as archive:
        footer = "".join(archive.read(name).decode() for name in archive.namelist() if "footer" in name)
        body = archive.read("word/document.xml").decode()
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
    assert "/reporting/figures/" not in body and "hyperlink" not in body.lower()


def test_the_xlsx_holds_every_table_on_its_sheet_with_the_codes_and_neutralised_cells(persona, reports):
    from openpyxl import load_workbook

    Metric.objects.filter(code="fsm.reports.received").update(name_en='=HYPERLINK("http://x","y")')
    version = start(persona)
    document = documents.version_document(version, "en")
    workbook = load_workbook(BytesIO(documents.render(document, "xlsx")))
    assert len(workbook.sheetnames) == len(document.tables)
    assert workbook.sheetnames[:3] == ["Figures", "By district", "By category"]
    for sheet in workbook.worksheets:
        assert sheet.cell(row=1, column=1).value.startswith("Draft")
    figures = workbook["Figures"]
    rows = list(figures.iter_rows(min_row=3, values_only=True))
    assert rows[0][0] == "Metric code"
    by_code = {row[0]: row for row in rows[1:]}
    for code, _value, _base in figure_cells(version, "en"):
        assert code in by_code, code
    received = by_code["fsm.reports.received"]
    assert received[1] == '\'=HYPERLINK("http://x","y")' and received[2] == 6
    assert figures.cell(row=4 + list(by_code).index("fsm.reports.received"), column=2).data_type == "s"
    districts = list(workbook["By district"].iter_rows(min_row=4, values_only=True))
    assert ("fsm.reports.received", ALGA) in {(row[0], row[1]) for row in districts}


def test_a_sensitive_categorys_count_of_one_or_two_is_withheld_everywhere_published(persona, reports):
    from openpyxl import load_workbook

    version = published(persona, start(persona))
    document = documents.version_document(version, "en")
    by_category = next(table for table in document.tables if table.title == "By category")
    hidden = [row for row in by_category.rows if row.key == "child-at-risk"]
    assert hidden and all(row.cells[2] == FEWER_THAN for row in hidden if row.code == "fsm.reports.received")
    sheet = load_workbook(BytesIO(documents.render(document, "xlsx")))["By category"]
    values = {(row[0], row[1]): row[4] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert values[("fsm.reports.received", "child-at-risk")] == FEWER_THAN
    assert values[("fsm.reports.received", "public-order")] == 5
    # The PDF prints the figures and the districts, the breakdowns being the XLSX's: it says so.
    text = flat("\n".join(pdf_pages(documents.render(document, "pdf"))))
    assert "Counts below 3 in sensitive categories are not published" in text
    assert "The breakdowns by category, channel and body are in the XLSX of this summary." in text
    # The region's total and the districts' still count it: it is not broken down by category there.
    assert next(row for row in document.tables[0].rows if row.code == "fsm.reports.received").cells[1] == "6"


def test_a_district_summary_breaks_no_sensitive_category_down(persona, reports):
    version = start(persona, "alga_prosecutor", [ALGA])
    document = documents.version_document(version, "en", with_charts=False)
    keys = {row.key for table in document.tables[2:] for row in table.rows}
    assert "public-order" in keys and "child-at-risk" not in keys


def test_it_withholds_small_sensitive_counts_and_what_gives_them_away():
    request = Request.make(region=facts.region(), start=date(2025, 1, 1), end=date(2025, 9, 30))

    def counted(code, parts):
        return Figure(code, 1, code, "count", "flow", "fsm_social", "sum", "exact", False, "", "computed", by=parts)

    figures = [
        counted(
            "fsm.answers.on_time",
            {"category": [Part("child-at-risk", "Child", 1, 4, sensitive=True), Part("roads", "Roads", 1, 1)]},
        ),
        counted(
            "fsm.answers.given",
            {"category": [Part("child-at-risk", "Child", 5, 2, Decimal("150"), sensitive=True)]},
        ),
    ]
    share = counted("fsm.answers.on_time_share", {"category": [Part("child-at-risk", "Child", Decimal("20"), 50)]})
    share.unit = "percent"
    share.by["category"][0].sensitive = None  # frozen before parts were marked: taken as sensitive
    summary = protected(Summary(request, [*figures, share], [], 0))
    on_time, given, shared = (figure.by["category"] for figure in summary.figures)
    assert isinstance(on_time[0], Withheld) and on_time[0].value is None and on_time[0].base == 4
    assert part_cell(on_time[0], "value", "count", "en") == FEWER_THAN
    assert part_cell(on_time[0], "change_percent", "count", "en") == WITHHELD
    assert on_time[1].value == 1  # not a sensitive category
    assert given[0].value == 5 and part_cell(given[0], "base", "count", "en") == FEWER_THAN
    assert given[0].change_percent is None  # 5 against 2 would say the 2
    assert shared[0].value is None and part_cell(shared[0], "value", "percent", "en") == WITHHELD
    assert any("sensitive categories" in note for note in summary.notes)


def test_a_part_frozen_before_parts_were_marked_is_taken_as_sensitive(persona, reports):
    version = services.summary_approve(actor=persona("regional_prosecutor"), version=start(persona))
    stored = version.figures["en"][0]
    for parts in stored["by"].values():
        for part in parts:
            part.pop("sensitive")
    figure = figure_read(stored)
    assert all(part.sensitive is None for parts in figure.by.values() for part in parts)
    assert all(part.sensitive is False for part in figure_read(figure_stored(figure)).by_district)


def test_downloads_are_audited_scoped_and_offered_formats_only(login, persona, reports):
    version = start(persona, "alga_prosecutor", [ALGA])
    client = login("alga_prosecutor")
    page = client.get(reverse("reporting:version", args=[version.summary_id, version.number])).content.decode()
    url = reverse("reporting:version_download", args=[version.summary_id, version.number, "pdf"])
    assert f"{url}?lang=" in page
    for format_, media_type in documents.MEDIA_TYPES.items():
        url = reverse("reporting:version_download", args=[version.summary_id, version.number, format_])
        response = client.get(url, {"lang": "kk"})
        assert response.status_code == 200 and response["Content-Type"] == media_type, format_
        assert f"-draft-kk.{format_}" in response["Content-Disposition"]
    events = AuditEvent.objects.filter(
        action=AuditEvent.Action.DOWNLOAD, target=f"reporting.summaryversion:{version.pk}"
    )
    assert sorted(event.details["format"] for event in events) == ["docx", "pdf", "xlsx"]
    assert all(
        e.details["language"] == "kk" and e.details["state"] == "draft" and e.details["version"] == 1 for e in events
    )
    assert {event.actor.username for event in events} == {"alga_prosecutor"}
    other = login("temir_prosecutor")
    assert other.get(url).status_code == 404
    odt = client.get(reverse("reporting:version_download", args=[version.summary_id, version.number, "odt"]))
    assert odt.status_code == 404
    with translation.override("kk"):  # the page's language
        assert "pdf, docx, xlsx" in odt.content.decode() and gettext("Format not offered") in odt.content.decode()
    assert events.count() == 3  # refused ones are not downloads


def test_the_html_export_is_audited_and_links_nothing(login, persona, reports):
    version = published(persona, start(persona))
    response = login("press_officer").get(
        reverse("reporting:version_export", args=[version.summary_id, version.number]), {"lang": "en"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and provenance_free(html) and "href" not in html
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOAD, target=f"reporting.summaryversion:{version.pk}")
    assert event.details == {
        "file": f"summary-{version.summary_id}-v1-en.html",
        "format": "html",
        "language": "en",
        "version": 1,
        "state": "published",
    }


@pytest.mark.parametrize("format_", documents.FORMATS)
def test_the_command_writes_each_format(reports, tmp_path, format_):
    path = tmp_path / f"summary.{format_}"
    args = ["--from", "2025-01-01", "--to", "2025-09-30", "--lang", "en", "--format", format_, "--output", str(path)]
    call_command("board_summary", *args)
    content = path.read_bytes()
    if format_ == "pdf":
        pages = pdf_pages(content)
        assert all("Draft" in page for page in pages) and "6" in "".join(pages)
    elif format_ == "docx":
        assert "Draft" in docx_text(content) or content.startswith(b"PK")
        assert "fsm.reports.received" not in docx_text(content)
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(BytesIO(content))["Figures"]
        assert sheet.cell(row=1, column=1).value.startswith("Draft")


def test_the_command_refuses_a_format_not_offered_and_binary_to_a_text_stream(reports):
    with pytest.raises(CommandError, match="invalid choice: 'odt'"):
        call_command("board_summary", "--from", "2025-01-01", "--to", "2025-09-30", "--format", "odt")
    with pytest.raises(CommandError, match="--output"), translation.override("en"):
        call_command(
            "board_summary", "--from", "2025-01-01", "--to", "2025-09-30", "--format", "pdf", stdout=StringIO()
        )
