"""Progress on many directives as an XLSX round trip: an addressee downloads its open executions as
a workbook, writes what was done and whether it is executed on each row, and uploads it (read
through lib.tables: zip bombs, merged cells and formulas without their values refused). No
database: the view hands the rows read to board.services.directives.execution_report_many.

One table, its header on the first row; each row an execution, named by its id (the first column).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lib.spreadsheets import neutralise
from lib.tables import TableFileError

HEADER = ("id", "meeting", "item", "text", "deadline", "status", "what was done", "executed (yes/no)")
ID, MEETING, ITEM, TEXT, DEADLINE, STATUS, DONE, EXECUTED = range(len(HEADER))
YES = {"yes", "y", "да", "д", "иә", "ия", "1", "true", "x", "+"}
NO = {"", "no", "n", "нет", "н", "жоқ", "0", "false", "-"}


@dataclass(frozen=True)
class Row:
    line: int
    addressee_id: int
    text: str
    final: bool


def template(executions: list[dict]) -> bytes:
    """The workbook to fill in: one row an execution (`id`, `meeting`, `item`, `text`, `deadline`
    as a date, `status`), the last two columns left to the addressee."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "directives"
    sheet.append(HEADER)
    for row in executions:
        sheet.append(
            [
                row["id"],
                neutralise(row["meeting"]),
                row["item"],
                neutralise(row["text"]),
                row["deadline"],
                neutralise(row["status"]),
                None,
                None,
            ]
        )
    for letter, width in zip("ABCDEFGH", (8, 28, 6, 70, 12, 20, 60, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    for cell in sheet["E"][1:]:
        cell.number_format = "DD.MM.YYYY"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _normal(text) -> str:
    return re.sub(r"\s+", " ", str(text or "").strip().lower())


def read(rows, header: list[str]) -> tuple[list[Row], list[str]]:
    """The rows of a filled-in template with something written, and the problems of the others
    (each naming its row). TableFileError when the header is not the template's."""
    if [_normal(title) for title in header[: len(HEADER)]] != list(HEADER):
        raise TableFileError(
            gettext_noop(
                "The file's header is not the template's (%(expected)s): download the file again and fill in its "
                "last two columns only."
            ),
            expected=", ".join(HEADER),
        )
    found, problems = [], []
    for line, cells in rows:
        cells = [str(cell).strip() for cell in cells] + [""] * (len(HEADER) - len(cells))
        identifier = cells[ID].removesuffix(".0")
        if not identifier.isdigit():
            problems.append(
                _("Row %(line)d: the id %(id)s is not one of the file's.") % {"line": line, "id": cells[ID]}
            )
            continue
        executed = _normal(cells[EXECUTED])
        if executed not in YES | NO:
            problems.append(
                _("Row %(line)d: write yes or no in the column “executed”, not %(value)s.")
                % {"line": line, "value": cells[EXECUTED]}
            )
            continue
        final = executed in YES
        if final and not cells[DONE]:
            problems.append(_("Row %(line)d: say what was done before reporting it executed.") % {"line": line})
            continue
        if cells[DONE]:
            found.append(Row(line, int(identifier), cells[DONE], final))
    return found, problems


def filename(office_code: str, day) -> str:
    return f"directives-{office_code}-{day:%Y-%m-%d}.xlsx"
