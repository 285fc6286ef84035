"""A monthly submission as an XLSX: the template an office downloads, pre-filled with its office
and month and every submitted metric (its figure where one is saved), and the same file read
back when it is uploaded (through lib.tables: zip bombs, merged cells and formulas without their
values refused). No database: `supervision.services.submissions` saves what is read.

One table, its header on the first row; each row a metric: its code, its name, the figure, and
the office's code and the month on every row, so a file of another office or month is told.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_noop

from lib.metrics import SubmittedMetric
from lib.spreadsheets import neutralise
from lib.tables import TableFileError, column_letter

HEADER = ("code", "metric", "figure", "office", "month")
CODE, NAME, FIGURE, OFFICE, MONTH = range(5)


def template(office_code: str, office_name: str, month: date, metrics: list[SubmittedMetric], values: dict) -> bytes:
    """The office's month as a workbook to fill in: one row a metric, its figure where saved."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{month:%Y-%m}"
    sheet.append(HEADER)
    for metric in metrics:
        value = values.get(metric.code)
        sheet.append(
            [metric.code, neutralise(metric.name), value if value is not None else None, office_code, f"{month:%Y-%m}"]
        )
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["C"].width = 16
    sheet.freeze_panes = "A2"
    sheet["G1"] = neutralise(office_name)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class Read:
    raw: dict[str, str] = field(default_factory=dict)  # code -> the figure as written
    cells: dict[str, str] = field(default_factory=dict)  # code -> its cell ("C5"), to name it in messages


def _normal(text) -> str:
    return re.sub(r"\s+", " ", str(text or "").strip().lower())


def read(rows, header: list[str], office_code: str, month: date, codes: set[str]) -> Read:
    """The figures of a template filled in: TableFileError when its header was edited, or it is
    another office's or month's, or it names a metric the catalogue has not."""
    if [_normal(title) for title in header[: len(HEADER)]] != list(HEADER):
        raise TableFileError(
            gettext_noop(
                "The file's header is not the template's (%(expected)s): download the template again and fill in "
                "its figures only."
            ),
            expected=", ".join(HEADER),
        )
    read_ = Read()
    for number, cells in rows:
        cells = list(cells) + [""] * (len(HEADER) - len(cells))
        code = str(cells[CODE]).strip()
        if not code:
            continue
        if str(cells[OFFICE]).strip() != office_code or str(cells[MONTH]).strip()[:7] != f"{month:%Y-%m}":
            raise TableFileError(
                gettext_noop(
                    "Row %(row)s is of another office or month (%(office)s, %(month)s): this page takes the template "
                    "of %(expected_office)s for %(expected_month)s."
                ),
                row=number,
                office=str(cells[OFFICE]).strip(),
                month=str(cells[MONTH]).strip(),
                expected_office=office_code,
                expected_month=f"{month:%Y-%m}",
            )
        if code not in codes:
            raise TableFileError(
                gettext_noop("Row %(row)s names a metric the catalogue has not: %(code)s."), row=number, code=code
            )
        read_.raw[code] = str(cells[FIGURE]).strip()
        read_.cells[code] = f"{column_letter(FIGURE)}{number}"
    return read_


def cell_messages(errors: dict[str, list[str]], cells: dict[str, str]) -> list[str]:
    """Each refused figure's messages, naming its cell."""
    return [f"{cells.get(code, code)}: {message}" for code, messages in errors.items() for message in messages]


def filename(office_code: str, month: date) -> str:
    return f"submission-{office_code}-{month:%Y-%m}.xlsx"
