"""Reading an uploaded table, a CSV or an XLSX, row by row without keeping the file in memory:
what kind of file it is (by its content, never its name), its encoding and delimiter, its header,
its rows streamed as lists of text, and the cells it cannot read. The registry's notices and the
crime statistics' imports read their files through it; nothing here touches the database.

- A CSV is UTF-8 (with or without a byte-order mark) or, when it is not valid UTF-8 anywhere in the
  file, cp1251 (Windows Cyrillic, what older systems export); its delimiter (`,`, `;` or tab)
  is the one that splits its first lines into the same number of columns. A cell starting with `=`
  is text: it is never evaluated, and fails its column's check like any other wrong value.
- An XLSX is a zip holding `xl/workbook.xml`. Before openpyxl opens it, the zip's declared sizes are
  checked against caps (`Caps`): a zip bomb is refused without inflating anything. openpyxl reads
  it streaming (`read_only=True`) with the cached values of formulas (`data_only=True`): a formula
  is never evaluated, and one saved without a cached value is an error of its row naming the cell
  (the caller's to report, from `Layout.uncached_formulas`). In streaming mode openpyxl gives a
  merged range's value in its first cell only and does not say which cells are merged, so the
  sheet's XML is scanned first (decompressed in chunks, never whole): a merged range in the header
  or the rows refuses the file, naming the range (a title merged above the header is fine). Its
  XML is parsed safely (lib.spreadsheets).

Every refusal is a `TableFileError` whose message is a msgid with its parameters, so it is shown
in the reader's language wherever it is rendered (`Problem.text()`).
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.utils.translation import gettext, gettext_noop

from lib.spreadsheets import WorkbookRefused, zip_sizes

CSV, XLSX = "csv", "xlsx"
PREVIEW_ROWS = 10
# The header is looked for among the first rows: a title and a blank line may come before it.
HEADER_SEARCH_ROWS = 20
SNIFF_BYTES = 64 * 1024
CHUNK = 1024 * 1024
DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class Problem:
    """A message kept as its msgid and parameters: translated when shown, in the reader's language."""

    message: str
    params: dict = field(default_factory=dict)

    def text(self) -> str:
        translated = gettext(self.message)
        return translated % self.params if self.params else translated


class TableFileError(ValueError):
    """A file refused, or a reading stopped: `problem` says why, in any language."""

    def __init__(self, message: str, **params):
        self.problem = Problem(message, params)
        super().__init__(message % params if params else message)

    def __reduce__(self):  # sent whole from a reading process (registry.services.notices._read_ahead)
        return functools.partial(TableFileError, self.problem.message, **self.problem.params), ()

    def text(self) -> str:
        return self.problem.text()


@dataclass(frozen=True)
class Caps:
    """How big an uploaded table may be: its bytes, its unpacked bytes (an XLSX) and their ratio."""

    max_bytes: int
    max_unzipped_bytes: int
    max_ratio: int


@dataclass(frozen=True)
class Layout:
    """How a table's file is read: its kind, its encoding and delimiter (a CSV), the header's row
    number (1-based, as a spreadsheet counts them) and its cells, the rows after the header (a count
    for the progress bar, exact for an XLSX, counted by line ends for a CSV) and, for an XLSX, the
    cells holding a formula without a cached value."""

    file_type: str
    header_row: int
    header: list[str]
    rows_total: int
    encoding: str = ""
    delimiter: str = ""
    uncached_formulas: frozenset = frozenset()


# --- what kind of file ------------------------------------------------------------------------


def file_type(handle) -> str:
    """XLSX (a zip holding xl/workbook.xml) or CSV (text without NUL bytes); TableFileError otherwise."""
    handle.seek(0)
    head = handle.read(SNIFF_BYTES)
    handle.seek(0)
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(handle) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            raise TableFileError(gettext_noop("The file is a damaged zip archive, not a readable XLSX.")) from None
        finally:
            handle.seek(0)
        if "xl/workbook.xml" not in names:
            raise TableFileError(
                gettext_noop("The file is a zip archive but not an Excel workbook (XLSX): send a CSV or XLSX file.")
            )
        return XLSX
    if not head.strip():
        raise TableFileError(gettext_noop("The file is empty."))
    if b"\x00" in head or head.startswith((b"%PDF", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8")):
        # An old binary .xls (OLE, D0 CF 11 E0) says so: it must be saved again as XLSX or CSV.
        raise TableFileError(
            gettext_noop("The file is neither a CSV text nor an XLSX workbook (an old .xls must be saved as .xlsx).")
        )
    return CSV


# --- CSV --------------------------------------------------------------------------------------


def csv_encoding(handle) -> str:
    """UTF-8 ("utf-8-sig", which also drops a byte-order mark) when the whole file decodes as
    UTF-8, else cp1251. Checked in chunks, so the file is never held whole."""
    for encoding in ("utf-8-sig", "cp1251"):
        handle.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        try:
            while chunk := handle.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        finally:
            handle.seek(0)
        return encoding
    raise TableFileError(gettext_noop("The file's text is neither UTF-8 nor Windows-1251 (cp1251): save it as UTF-8."))


def _text(handle, encoding: str) -> io.TextIOWrapper:
    handle.seek(0)
    return io.TextIOWrapper(handle, encoding=encoding, newline="")


def csv_delimiter(sample: str) -> str:
    """The delimiter splitting the sample's first lines into the most columns of one number: a
    comma inside "59,500.00" or a semicolon in a note does not fool it, since the other lines must
    agree."""
    lines = [line for line in sample.splitlines()[:HEADER_SEARCH_ROWS] if line.strip()]
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample may end inside a line
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        widths = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        if not widths or max(widths) < 2:
            continue
        width = max(set(widths), key=widths.count)
        score = (widths.count(width), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _count_lines(handle) -> int:
    handle.seek(0)
    lines, last = 0, b""
    while chunk := handle.read(CHUNK):
        lines += chunk.count(b"\n")
        last = chunk
    handle.seek(0)
    return lines + (1 if last and not last.endswith(b"\n") else 0)


def _csv_rows(handle, layout: Layout) -> Iterator[tuple[int, list]]:
    text = _text(handle, layout.encoding)
    # Strict: a quote left open would otherwise swallow the rest of the file into one cell, unseen.
    reader = csv.reader(text, delimiter=layout.delimiter, strict=True)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as error:
        raise TableFileError(
            gettext_noop("The CSV is malformed near line %(line)s (%(error)s): the rest of the file is not read."),
            line=reader.line_num,
            error=str(error),
        ) from None
    finally:
        text.detach()


# --- XLSX -------------------------------------------------------------------------------------


def check_zip(handle, caps: Caps) -> None:
    """Refuse a zip bomb from the zip's directory alone, before anything is inflated
    (lib.spreadsheets: the sizes its entries declare, in all and against their packed sizes)."""
    try:
        sizes = zip_sizes(handle)
    except WorkbookRefused:
        raise TableFileError(gettext_noop("The file is a damaged zip archive, not a readable XLSX.")) from None
    refusal = sizes.refusal(max_unzipped=caps.max_unzipped_bytes, max_ratio=caps.max_ratio)
    if refusal == "unpacks too large":
        raise TableFileError(
            gettext_noop("The workbook would unpack to %(size)s MB, more than the %(cap)s MB allowed: it is refused."),
            size=sizes.unzipped // (1024 * 1024),
            cap=caps.max_unzipped_bytes // (1024 * 1024),
        )
    if refusal:
        raise TableFileError(
            gettext_noop(
                "The workbook is compressed %(ratio)s times, more than the %(cap)s allowed (a zip bomb?): "
                "it is refused."
            ),
            ratio=sizes.ratio,
            cap=caps.max_ratio,
        )


MERGED = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"")
# A formula cell saved without its value: <c r="B7"><f>SUM(B1:B6)</f></c> (or an empty <v/>).
UNCACHED = re.compile(
    rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+\d+)"[^>]*>\s*<(?:\w+:)?f\b[^>]*(?:/>|>[^<]*</(?:\w+:)?f>)'
    rb"\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>"
)
OVERLAP = 8192


@dataclass
class SheetScan:
    merged: list = field(default_factory=list)  # (first row, last row, "A1:C1")
    uncached: set = field(default_factory=set)
    last_row: int = 0


def _scan_sheet(archive: zipfile.ZipFile, path: str) -> SheetScan:
    """The merged ranges, the uncached formula cells and the last row's number of a sheet, read
    from its XML in chunks (zipfile stops at the entry's declared size)."""
    scan = SheetScan()
    tail = b""
    with archive.open(path) as source:
        while chunk := source.read(CHUNK):
            data = tail + chunk
            for match in MERGED.finditer(data):
                first_col, first, last_col, last = match.groups()
                label = match.group(0).split(b'ref="')[1].rstrip(b'"').decode()
                scan.merged.append((int(first), int(last or first), label))
            scan.uncached.update(ref.decode() for ref in UNCACHED.findall(data))
            rows = ROW.findall(data)
            if rows:
                scan.last_row = max(scan.last_row, int(rows[-1]))
            tail = data[-OVERLAP:]
    scan.merged = sorted(set(scan.merged))
    return scan


def _open_workbook(handle):
    from openpyxl import load_workbook

    handle.seek(0)
    try:
        return load_workbook(handle, read_only=True, data_only=True)
    except Exception:  # openpyxl raises anything from KeyError to its own errors on a bad workbook
        raise TableFileError(gettext_noop("The workbook cannot be read: it is damaged or not an XLSX.")) from None


def _sheet(workbook):
    if not workbook.worksheets:
        raise TableFileError(gettext_noop("The workbook has no sheet."))
    sheet = workbook.worksheets[0]
    if sheet.sheet_state != "visible":  # what is read is what the sender saw: never a hidden sheet
        raise TableFileError(
            gettext_noop("The workbook's first sheet is hidden: show it, or move the sheet to read first.")
        )
    # The <dimension> a writer declares may be wrong: read every row there is, never stop at it.
    sheet.reset_dimensions()
    return sheet


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") if value.time() != time(0) else value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    return str(value)


def _xlsx_rows(handle) -> Iterator[tuple[int, list]]:
    workbook = _open_workbook(handle)
    try:
        yield from _sheet_rows(_sheet(workbook))
    finally:
        workbook.close()


def _sheet_rows(sheet) -> Iterator[tuple[int, list]]:
    number = 0
    try:
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(value) for value in values]
    except TableFileError:
        raise
    except Exception:
        raise TableFileError(
            gettext_noop("The workbook could not be read past row %(row)s: it is damaged."), row=number + 1
        ) from None


# --- the layout ---------------------------------------------------------------------------------


def _find_header(rows: Iterator[tuple[int, list]]) -> tuple[int, list[str]]:
    """The first row with two filled cells or more: a title line above it is skipped."""
    for number, row in rows:
        if number > HEADER_SEARCH_ROWS:
            break
        if sum(1 for cell in row if str(cell).strip()) >= 2:
            return number, [str(cell).strip() for cell in row]
    raise TableFileError(
        gettext_noop("No header row was found in the first %(rows)s rows: a notice needs one column a value."),
        rows=HEADER_SEARCH_ROWS,
    )


def read_layout(handle, caps: Caps) -> Layout:
    """How the file is read, or TableFileError saying why it is refused (its type, its encoding,
    a zip bomb, merged cells in its data)."""
    kind = file_type(handle)
    if kind == CSV:
        encoding = csv_encoding(handle)
        text = _text(handle, encoding)
        sample = text.read(SNIFF_BYTES)
        text.detach()
        delimiter = csv_delimiter(sample)
        layout = Layout(CSV, 0, [], 0, encoding=encoding, delimiter=delimiter)
        header_row, header = _find_header(_csv_rows(handle, layout))
        total = max(_count_lines(handle) - header_row, 0)
        return Layout(CSV, header_row, header, total, encoding=encoding, delimiter=delimiter)
    check_zip(handle, caps)
    # Opened once: openpyxl reads the whole shared strings table as it opens a workbook.
    workbook = _open_workbook(handle)
    try:
        sheet = _sheet(workbook)
        with zipfile.ZipFile(handle) as archive:  # its own reads, done before the sheet's rows are
            scan = _scan_sheet(archive, sheet._worksheet_path)
        header_row, header = _find_header(_sheet_rows(sheet))
    finally:
        workbook.close()
    handle.seek(0)
    for _first, last, label in scan.merged:
        if last >= header_row:
            raise TableFileError(
                gettext_noop(
                    "The sheet has merged cells (%(range)s) in its header or rows: unmerge them, one value a cell, "
                    "and send it again."
                ),
                range=label,
            )
    total = max(scan.last_row - header_row, 0)
    return Layout(XLSX, header_row, header, total, uncached_formulas=frozenset(scan.uncached))


def rows(handle, layout: Layout) -> Iterator[tuple[int, list[str]]]:
    """The rows after the header, each (its row number in the file, its cells as text); blank rows
    are left out. Streams: one row in memory at a time (openpyxl's shared strings aside)."""
    source = _csv_rows(handle, layout) if layout.file_type == CSV else _xlsx_rows(handle)
    for number, row in source:
        if number <= layout.header_row or not any(str(cell).strip() for cell in row):
            continue
        yield number, row


def preview(handle, layout: Layout, count: int = PREVIEW_ROWS) -> list[tuple[int, list[str]]]:
    found = []
    for item in rows(handle, layout):
        found.append(item)
        if len(found) >= count:
            break
    return found


def column_letter(index: int) -> str:
    """A column's spreadsheet letter (0 → A, 26 → AA): how an XLSX names its cells."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


# --- values ---------------------------------------------------------------------------------------

DATE_FORMATS = (
    "%d.%m.%Y",
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d.%m.%y",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%d/%m/%Y %H:%M",
)


@functools.lru_cache(maxsize=1024)
def parse_when(raw: str) -> datetime:
    """A naive date and time as written ("15.03.2025", "2025-03-15 14:20"); a date alone is its
    midnight. The caller places it in the region's time zone. Read once each (a notice's rows
    repeat a few hundred days; `strptime` is slow)."""
    text = (raw or "").strip()
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    raise ValueError(gettext_noop("The date is not a date (write it as 15.03.2025 or 2025-03-15)."))
