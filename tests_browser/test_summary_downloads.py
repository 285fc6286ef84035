"""The summary's documents downloaded from its version page in the real browser: each format
(PDF, DOCX, XLSX) is a file that opens, a draft's marked as one; a screenshot of the page is kept
(an artifact, never an assertion)."""

import subprocess
from datetime import date
from io import BytesIO

import pytest
from playwright.sync_api import expect

from conftest import make_persona
from reporting import services
from reporting.tests import facts
from reporting.tests.facts import ALGA, TEMIR, local
from tests_browser.conftest import capture
from tests_browser.test_staff_browser import confirmed_device, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def version(reference_data):
    for day in (3, 4, 5):
        facts.submit(local(2025, 3, day), kato=ALGA)
    facts.submit(local(2025, 5, 6), kato=TEMIR)
    return services.summary_start(
        actor=make_persona("analyst"),
        title="Итоги 9 месяцев",
        region=None,
        katos=[],
        start=date(2025, 1, 1),
        end=date(2025, 9, 30),
    )


def opened(format_: str, content: bytes) -> str:
    """The file's text as its own reader opens it."""
    if format_ == "pdf":
        done = subprocess.run(["/usr/bin/pdftotext", "-", "-"], input=content, capture_output=True, check=True)
        return done.stdout.decode()
    if format_ == "docx":
        from docx import Document

        document = Document(BytesIO(content))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        header = document.sections[0].header.paragraphs[0].text
        return "\n".join([header, *(paragraph.text for paragraph in document.paragraphs), *cells])
    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(content))
    return "\n".join(str(value) for sheet in workbook for row in sheet.iter_rows(values_only=True) for value in row)


def test_each_format_is_downloaded_from_the_version_page_and_opens(page, version, tmp_path):
    analyst = make_persona("analyst")
    log_in(page, analyst, confirmed_device(analyst))
    page.goto(f"{page.base_url}/reporting/summaries/{version.summary_id}/v{version.number}/?lang=en")
    links = page.locator(".summary-downloads a")
    expect(links).to_have_count(3)
    capture(page, "summary-downloads.png")
    for format_ in ("pdf", "docx", "xlsx"):
        # The first document waits for WeasyPrint and vl-convert to start: longer than a page.
        with page.expect_download(timeout=120_000) as download_info:
            page.locator(f".summary-downloads a[data-format={format_}]").click(no_wait_after=True)
        download = download_info.value
        assert download.suggested_filename.endswith(f"-draft-en.{format_}")
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        text = opened(format_, path.read_bytes())
        assert "Draft" in text and "Итоги 9 месяцев" in text, format_
        if format_ == "xlsx":
            assert "fsm.reports.received" in text  # the metric codes
