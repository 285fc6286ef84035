"""What every spreadsheet Tartip writes or reads shares: an exported cell never read as a formula,
and an uploaded workbook checked before openpyxl opens it."""

import zipfile
from io import BytesIO

# A cell starting with one of these is read as a formula by spreadsheet programs (CSV/formula
# injection: "=HYPERLINK(...)", "+7 705..." read as a sum, "@SUM(...)"), and "\t", "\r" start one
# in some of them too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A value as an exported cell may hold it: text starting like a formula gets a leading
    apostrophe, so it is shown as written and never computed; numbers, dates and None pass as they
    are (a negative number is a number, not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class WorkbookRefused(ValueError):
    """An uploaded file that is not a workbook Tartip opens (its message is for the uploader)."""


def check_workbook(content: bytes, *, max_bytes: int, max_unpacked: int) -> BytesIO:
    """The upload as a file openpyxl may open: refused when larger than `max_bytes`, when it is not
    a ZIP archive (an XLSX is one), or when its members would unpack to more than `max_unpacked`
    bytes (a "zip bomb": a small file that fills the memory once opened). Sizes are read from the
    archive's directory, whose declared sizes zipfile then holds each member to."""
    if len(content) > max_bytes:
        raise WorkbookRefused("too large")
    buffer = BytesIO(content)
    if not zipfile.is_zipfile(buffer):
        raise WorkbookRefused("not a workbook")
    with zipfile.ZipFile(buffer) as archive:
        names = archive.namelist()
        if "[Content_Types].xml" not in names or not any(name.startswith("xl/") for name in names):
            raise WorkbookRefused("not a workbook")
        if sum(member.file_size for member in archive.infolist()) > max_unpacked:
            raise WorkbookRefused("unpacks too large")
    buffer.seek(0)
    return buffer
