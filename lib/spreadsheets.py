"""What every spreadsheet Tartip writes or reads shares: an exported cell never read as a formula,
and an uploaded workbook checked before openpyxl opens it.

openpyxl parses a workbook's XML with the standard library's ElementTree, its C parser (defusedxml,
whose pure-Python parser openpyxl takes when it is installed, read a notice of 200,000 rows 10 CPU
seconds slower). The standard parser is safe from an uploaded workbook's entities on expat 2.4.1
or later: "billion laughs" and quadratic blow-ups are refused by expat, external entities are never
fetched by ElementTree (the Python documentation's "XML vulnerabilities"). `unsafe_xml_parser`
says when a server's expat is older; Django's checks refuse to start then (lib.apps).
"""

import pyexpat
import zipfile
from dataclasses import dataclass
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


# The media type of an XLSX download.
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The first expat that refuses entity amplification (billion laughs, quadratic blow-up).
SAFE_EXPAT = (2, 4, 1)


def unsafe_xml_parser(version: tuple[int, int, int] = pyexpat.version_info) -> bool:
    """True when the expat the standard library parses with still expands entities without limit."""
    return version < SAFE_EXPAT


class WorkbookRefused(ValueError):
    """An uploaded file that is not a workbook Tartip opens (its message is for the uploader)."""


@dataclass(frozen=True)
class ZipSizes:
    """What a zip archive's directory declares: its members' sizes unpacked and packed."""

    unzipped: int
    packed: int

    @property
    def ratio(self) -> int:
        return self.unzipped // max(self.packed, 1)

    def refusal(self, *, max_unzipped: int, max_ratio: int) -> str:
        """Why the archive is not opened ("unpacks too large", "compressed too much": a zip bomb, a
        small file that fills the memory once opened), or "" when it may be. A ratio counts only
        past 1 MB unpacked (a small workbook of repeated cells compresses well too)."""
        if self.unzipped > max_unzipped:
            return "unpacks too large"
        if self.unzipped > 1024 * 1024 and self.ratio > max_ratio:
            return "compressed too much"
        return ""


def zip_sizes(handle) -> ZipSizes:
    """The sizes the archive's directory declares, read without inflating anything (zipfile then
    holds each member to its declared size, so a lying directory cannot inflate more either);
    WorkbookRefused("damaged") when it is no readable zip archive."""
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise WorkbookRefused("damaged") from None
    finally:
        handle.seek(0)
    return ZipSizes(sum(entry.file_size for entry in entries), sum(entry.compress_size for entry in entries))


def check_workbook(content: bytes, *, max_bytes: int, max_unpacked: int, max_ratio: int) -> BytesIO:
    """The upload as a file openpyxl may open: refused when larger than `max_bytes`, when it is not
    a ZIP archive holding a workbook (an XLSX is one), or when its members would unpack to more
    than `max_unpacked` bytes or at a higher ratio than `max_ratio` (ZipSizes.refusal)."""
    if len(content) > max_bytes:
        raise WorkbookRefused("too large")
    buffer = BytesIO(content)
    if not zipfile.is_zipfile(buffer):
        raise WorkbookRefused("not a workbook")
    with zipfile.ZipFile(buffer) as archive:
        names = archive.namelist()
    if "[Content_Types].xml" not in names or not any(name.startswith("xl/") for name in names):
        raise WorkbookRefused("not a workbook")
    refusal = zip_sizes(buffer).refusal(max_unzipped=max_unpacked, max_ratio=max_ratio)
    if refusal:
        raise WorkbookRefused(refusal)
    buffer.seek(0)
    return buffer
