"""A monthly submission as an XLSX: the template pre-filled with the office and month, filled in
and uploaded back; a file of another office or month, with edited headers, merged cells, text in
a figure, a formula without its value, a hidden sheet or a zip bomb is read correctly or refused
with a message, nothing saved."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Organisation
from supervision import services
from supervision.models import Submission
from supervision.tests.test_submissions import catalogue, figures  # noqa: F401  (the fixture)

MONTH = date(2025, 3, 1)


def alga():
    return Organisation.objects.get(code="akt-prok-alga")


def template(persona):
    content = services.submission_template(actor=persona("alga_prosecutor"), organisation=alga(), month=MONTH)
    return load_workbook(io.BytesIO(content))


def filled(workbook, **values):
    """The template's figure cells filled in, each on its metric's row (test_submissions.figures)."""
    sheet = workbook.active
    given = figures(**values)
    for row in range(2, sheet.max_row + 1):
        figure = given.get(sheet.cell(row=row, column=1).value)
        if figure is not None:
            sheet.cell(row=row, column=3, value=int(figure) if figure.lstrip("-").isdigit() else figure)
    return workbook


def row_of(workbook, code: str) -> int:
    return next(row for row in range(2, workbook.active.max_row + 1) if workbook.active.cell(row, 1).value == code)


def upload(persona, workbook, name="march.xlsx"):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return services.submission_upload(
        actor=persona("alga_prosecutor"),
        organisation=alga(),
        month=MONTH,
        upload=SimpleUploadedFile(name, buffer.getvalue()),
    )


def refused(persona, workbook) -> str:
    with pytest.raises(ValidationError) as error:
        upload(persona, workbook)
    assert not Submission.objects.exists()
    return " ".join(error.value.messages)


def test_the_template_is_pre_filled_and_read_back(persona):
    workbook = template(persona)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:5] == ("code", "metric", "figure", "office", "month")
    assert {row[0] for row in rows[1:]} >= {"prosecution.cases_in_court", "budget.reimbursed"}
    assert all(row[3:5] == ("akt-prok-alga", "2025-03") for row in rows[1:])
    submission, _warnings = upload(persona, filled(workbook))
    assert submission.values.get(code="public_interests.assessed").value == Decimal("1000000.50")
    # Downloaded again, it carries the saved figures.
    again = template(persona)
    assert again.active.cell(row_of(again, "prosecution.cases_in_court"), 3).value == 10


def test_another_offices_or_months_template_is_refused(persona):
    workbook = filled(template(persona))
    workbook.active["D3"] = "akt-prok-temir"
    assert "Row 3 is of another office or month (akt-prok-temir" in refused(persona, workbook)
    workbook = filled(template(persona))
    workbook.active["E2"] = "2025-02"
    assert "another office or month" in refused(persona, workbook)


def test_edited_headers_are_refused(persona):
    workbook = filled(template(persona))
    workbook.active["C1"] = "значение"
    assert "header is not the template's" in refused(persona, workbook)


def test_text_in_a_figure_names_its_cell(persona):
    workbook = filled(template(persona), cases="десять", convicted="-5")
    message = refused(persona, workbook)
    assert f"C{row_of(workbook, 'prosecution.cases_in_court')}: Write a number" in message
    assert f"C{row_of(workbook, 'prosecution.convicted')}: A figure cannot be negative." in message


def test_merged_cells_and_formulas_without_values_are_refused(persona):
    workbook = filled(template(persona))
    workbook.active.merge_cells("C2:C3")
    assert "merged cells (C2:C3)" in refused(persona, workbook)
    workbook = filled(template(persona))
    workbook.active["C3"] = "=C2-2"  # openpyxl saves a formula without its cached value
    message = refused(persona, workbook)
    assert "C3" in message and "formulas" in message


def test_a_hidden_sheet_is_refused(persona):
    workbook = filled(template(persona))
    workbook.create_sheet("visible")
    workbook.active.sheet_state = "hidden"
    workbook.active = 1
    assert "first sheet is hidden" in refused(persona, workbook)


def test_a_zip_bomb_is_refused(persona):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (40 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        services.submission_upload(
            actor=persona("alga_prosecutor"),
            organisation=alga(),
            month=MONTH,
            upload=SimpleUploadedFile("bomb.xlsx", buffer.getvalue()),
        )
    assert "zip bomb" in " ".join(error.value.messages)


def test_the_pages_download_and_upload_the_template(login, persona):
    client = login("alga_prosecutor")
    url = reverse("supervision:submission_template", args=[alga().pk, "2025-03"])
    response = client.get(url)
    assert response.status_code == 200 and "submission-akt-prok-alga-2025-03.xlsx" in response["Content-Disposition"]
    buffer = io.BytesIO()
    filled(load_workbook(io.BytesIO(response.content))).save(buffer)
    upload_url = reverse("supervision:submission_upload", args=[alga().pk, "2025-03"])
    client.post(upload_url, {"file": SimpleUploadedFile("m.xlsx", buffer.getvalue())})
    assert Submission.objects.get().values.count() == 8
    assert login("temir_prosecutor").get(url).status_code == 403
