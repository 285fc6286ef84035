"""The results summary as documents: PDF (WeasyPrint, from templates/reporting/summary_document.html),
DOCX (python-docx: editable paragraphs, real tables, the charts as images) and XLSX (openpyxl:
every table on its own sheet with the metric codes, every cell neutralised).

All three are written from one SummaryDocument: the text by area and the figures' table are
reporting.output's (the pages' and the standalone page's own), the district and dimension tables
are built here, the charts are reporting.charts' specifications and the map reporting.maps' (SVG
in the PDF, PNG in the DOCX), the districts without a shape listed beside it.
What is written is the protected summary (reporting.publication): a sensitive category's small
counts withheld, no link to the records behind a figure. A summary that is not published says
"Draft" on every page (the PDF's margin, the DOCX's header, the first row of every sheet) and in
its title.
"""

import base64
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation, Region
from lib.letters import DocxLetter, pdf
from lib.spreadsheets import XLSX_TYPE, neutralise

from . import selectors
from .charts import render_png, summary_charts
from .figures import Summary, quotes
from .maps import map_chart, summary_map
from .models import SummaryVersion
from .output import HEADINGS, headings, table_rows
from .publication import part_cell, protected
from .sentences import Paragraph, narrative

FORMATS = ("pdf", "docx", "xlsx")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": XLSX_TYPE,
}
STYLESHEET = "reporting/summary_document.css"
# The dimensions the apps break their figures down by (lib.metrics.MetricGroup.dimensions): the
# table's title and its column; another dimension is named by its code.
DIMENSIONS = {
    "category": (gettext_lazy("By category"), gettext_lazy("Category")),
    "channel": (gettext_lazy("By channel"), gettext_lazy("Channel")),
    "body": (gettext_lazy("By responsible body"), gettext_lazy("Responsible body")),
    "registration": (gettext_lazy("By registration"), gettext_lazy("Registration")),
}
# A sheet's name: at most 31 characters, none of these (Excel refuses them).
SHEET_NAME_LENGTH = 31
NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


class FormatNotOffered(ValueError):
    """A document format the summary is not written in: the message names those it is."""

    def __init__(self, asked: str):
        super().__init__(
            _("The summary is not offered as “%(asked)s”: choose one of %(formats)s.")
            % {"asked": asked, "formats": ", ".join(FORMATS)}
        )


@dataclass
class Row:
    """A table's row: the metric's code, the key of what it breaks down (a district's KATO code, a
    category's code; "" in the figures' table), its cells as the PDF and DOCX write them, and as
    the XLSX does (numbers as numbers, a withheld one as its text)."""

    code: str
    key: str
    cells: list[str]
    values: list
    remark: str = ""
    first_of_metric: bool = True


@dataclass
class Table:
    title: str
    sheet: str
    head: list[str]
    rows: list[Row]
    key_head: str = ""  # the key column's heading in the XLSX; none: no key column
    numbers_from: int = 1  # the first column of numbers (aligned right)


@dataclass
class SummaryDocument:
    language: str
    office: str
    heading: str
    title: str
    compared: str
    as_of: date
    as_of_line: str
    draft: bool
    draft_label: str
    paragraphs: list[Paragraph]
    tables: list[Table]
    notes: list[str]
    charts: list = field(default_factory=list)  # reporting.charts.Chart
    map_notes: list[str] = field(default_factory=list)

    @property
    def printed_tables(self) -> list[Table]:
        """The tables the PDF and the DOCX print: the figures and the districts. The breakdowns by
        category, channel, body (hundreds of rows: an analyst's, not a board's reading, and most of
        a PDF's time) are the XLSX's, which holds every table."""
        return self.tables[:2]

    @property
    def breakdowns_note(self) -> str:
        """Where the breakdowns the PDF and the DOCX leave out are, when there are any."""
        if not self.tables[2:]:
            return ""
        with translation.override(self.language):
            return _("The breakdowns by category, channel and body are in the XLSX of this summary.")

    @property
    def full_title(self) -> str:
        title = self.heading or self.title
        return f"{title} ({self.draft_label})" if self.draft else title


# --- what the documents say ------------------------------------------------------------------------


def office_name(region: Region | None, language: str) -> str:
    """The heading: the region's prosecutor's office (reference data), or none when not recorded."""
    if region is None:
        return ""
    office = (
        Organisation.objects.filter(region=region, type=Organisation.Type.REGIONAL_OFFICE, is_active=True)
        .order_by("code")
        .first()
    )
    return office.localized("name", language) if office else ""


def day_text(day: date) -> str:
    return f"{day:%d.%m.%Y}"


def figures_table(summary: Summary, language: str) -> Table:
    """Each figure beside its base: the pages' own table (reporting.output.table_rows)."""
    rows = []
    for figure, cells in zip(summary.figures, table_rows(summary, language), strict=True):
        values = [cells[0], figure.value, figure.base, figure.change, figure.change_percent, cells[5]]
        rows.append(Row(figure.code, "", cells[:5], values, remark=cells[5]))
    head = [str(heading) for heading in HEADINGS]
    return Table(_("Figures"), _("Figures"), head, rows)


def _has_data(parts) -> bool:
    return any(part.value or part.base for part in parts)


def districts_table(summary: Summary, language: str) -> Table:
    """Each figure broken down by district (a city with its city districts), where any has data."""
    rows = []
    for figure in summary.figures:
        if not _has_data(figure.by_district):
            continue
        for index, part in enumerate(figure.by_district):
            names = ("value", "base", "change_percent", "rate")
            cells = [figure.name, part.label, *(part_cell(part, name, figure.unit, language) for name in names)]
            numbers = [_sheet_value(part, name, cells[2 + i]) for i, name in enumerate(names)]
            values = [figure.name, part.label, *numbers]
            rows.append(Row(figure.code, part.key, cells, values, first_of_metric=index == 0))
    head = [_("Metric"), _("District"), _("Value"), _("Base"), _("Change, %"), _("Per 10,000 population")]
    return Table(_("By district"), _("By district"), head, rows, key_head=_("KATO code"), numbers_from=2)


def dimension_tables(summary: Summary, language: str) -> list[Table]:
    """Each dimension's table: every figure broken down by it, in the summary's order (the
    protected summary's: a sensitive category's small counts withheld)."""
    found: dict[str, list[Row]] = {}
    for figure in summary.figures:
        for dimension, parts in figure.by.items():
            if not _has_data(parts):
                continue
            for index, part in enumerate(parts):
                names = ("value", "base", "change_percent")
                cells = [figure.name, part.label, *(part_cell(part, name, figure.unit, language) for name in names)]
                numbers = [_sheet_value(part, name, cells[2 + i]) for i, name in enumerate(names)]
                values = [figure.name, part.label, *numbers]
                found.setdefault(dimension, []).append(
                    Row(figure.code, part.key, cells, values, first_of_metric=index == 0)
                )
    tables = []
    for dimension, rows in found.items():
        title, column = DIMENSIONS.get(dimension, (dimension, dimension))
        head = [_("Metric"), str(column), _("Value"), _("Base"), _("Change, %")]
        tables.append(Table(str(title), str(title), head, rows, key_head=_("Code"), numbers_from=2))
    return tables


def _sheet_value(part, name: str, text: str):
    """A part's number as a sheet holds it: the number, or what stands for it when withheld."""
    return text if name in getattr(part, "shown_as", {}) else getattr(part, name)


def charts_and_map(summary: Summary, language: str) -> tuple[list, list[str]]:
    """The summary's charts (reporting.charts), then its map where it has a figure to map
    (reporting.maps), and the notes printed beside the map (approximate shapes, the districts
    without one)."""
    charts = list(summary_charts(summary, language))
    drawn = summary_map(summary, language)
    if drawn is None:
        return charts, []
    return [*charts, map_chart(summary, language, prepared=drawn)], drawn.notes


def build(
    summary: Summary,
    language: str,
    *,
    heading: str = "",
    draft: bool = True,
    paragraphs: list[Paragraph] | None = None,
    with_charts: bool = True,
) -> SummaryDocument:
    """What every format writes of the summary, in `language`: the protected figures
    (reporting.publication), the text (`paragraphs`, default the catalogue's sentences), the
    tables and the charts; `draft` unless it is a published version's."""
    with translation.override(language):
        published = protected(summary)
        title, compared = headings(published)
        if paragraphs is None:
            paragraphs = narrative(published.figures, language, quotes=quotes(published.request, language))
        tables = [figures_table(published, language), districts_table(published, language)]
        tables += dimension_tables(published, language)
        as_of = published.request.as_of
        charts, map_notes = charts_and_map(published, language) if with_charts else ([], [])
        return SummaryDocument(
            language=language,
            office=office_name(published.request.region, language),
            heading=heading,
            title=title,
            compared=compared,
            as_of=as_of,
            as_of_line=_("As of %(day)s") % {"day": day_text(as_of)},
            draft=draft,
            draft_label=_("Draft"),
            paragraphs=paragraphs,
            tables=tables,
            notes=list(published.notes),
            charts=charts,
            map_notes=map_notes,
        )


def version_document(version: SummaryVersion, language: str, *, with_charts: bool = True) -> SummaryDocument:
    """A version as its documents write it: its figures (frozen once approved, live for a draft)
    and its text in `language`; a draft until published."""
    reading = selectors.read(version, language)
    return build(
        reading.summary,
        language,
        heading=version.summary.title,
        draft=version.state != SummaryVersion.State.PUBLISHED,
        paragraphs=reading.paragraphs,
        with_charts=with_charts,
    )


# --- PDF -------------------------------------------------------------------------------------------


def chart_images(document: SummaryDocument) -> list[bytes]:
    """The charts and the map drawn as PNG, side by side (vl-convert draws outside Python's lock):
    the PDF and the DOCX carry the same pictures. WeasyPrint lays a drawn picture out at once,
    where the charts' SVG (the map's alone is hundreds of paths) took it seconds."""
    if not document.charts:
        return []
    with ThreadPoolExecutor(max_workers=len(document.charts)) as pool:
        return list(pool.map(lambda chart: render_png(chart.spec), document.charts))


def document_html(document: SummaryDocument, images: list[bytes] | None = None) -> str:
    """The HTML the PDF is rendered from: the charts as PNG data: URIs (nothing is fetched)."""
    images = chart_images(document) if images is None else images
    with translation.override(document.language):
        charts = [
            (chart.title, "data:image/png;base64," + base64.b64encode(image).decode("ascii"))
            for chart, image in zip(document.charts, images, strict=True)
        ]
        return render_to_string("reporting/summary_document.html", {"document": document, "charts": charts})


def render_pdf(document: SummaryDocument) -> bytes:
    return pdf(document_html(document), STYLESHEET, inline_images=True)


# --- DOCX ------------------------------------------------------------------------------------------


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) at the end of the paragraph: Word fills it in."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), instruction)
    run, text = OxmlElement("w:r"), OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)


def _running_lines(docx: DocxLetter, document: SummaryDocument) -> None:
    """The header (the office, and "Draft" when not published) and the footer (the "as of" date,
    the page number and the count of pages) of every page."""
    section = docx.document.sections[0]
    header = section.header.paragraphs[0]
    running = " · ".join(part for part in (document.office, document.draft_label if document.draft else "") if part)
    if running:
        run = header.add_run(running)
        run.font.size, run.bold = docx.Pt(9), document.draft
    footer = section.footer.paragraphs[0]
    footer.add_run(f"{document.as_of_line} · ").font.size = docx.Pt(9)
    _field(footer, "PAGE")
    footer.add_run(" / ").font.size = docx.Pt(9)
    _field(footer, "NUMPAGES")


def _docx_table(docx: DocxLetter, table: Table) -> None:
    docx.paragraph(table.title, bold=True, space_after=4)
    grid = docx.document.add_table(rows=1, cols=len(table.head))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table.head, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in table.rows:
        cells = grid.add_row().cells
        texts = list(row.cells)
        if not row.first_of_metric:
            texts[0] = ""
        for cell, text in zip(cells, texts, strict=True):
            cell.text = text
        if row.remark:
            cells[0].add_paragraph(row.remark).runs[0].italic = True
    for row in grid.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = docx.Pt(9)
    docx.paragraph("", space_after=8)


def render_docx(document: SummaryDocument) -> bytes:
    from docx.shared import Cm

    docx = DocxLetter()
    docx.document.styles["Normal"].font.size = docx.Pt(11)
    _running_lines(docx, document)
    if document.office:
        docx.paragraph(document.office, bold=True, align=docx.CENTER, space_after=8)
    docx.paragraph(document.full_title, bold=True, align=docx.CENTER, space_after=4)
    if document.heading:
        docx.paragraph(document.title, align=docx.CENTER, space_after=4)
    docx.paragraph(document.compared, align=docx.CENTER, space_after=4)
    docx.paragraph(document.as_of_line, align=docx.CENTER, space_after=12)
    for paragraph in document.paragraphs:
        if paragraph.title:
            docx.paragraph(paragraph.title, bold=True, space_after=4)
        if paragraph.sentences:
            docx.body(" ".join(paragraph.sentences))
        for quote in paragraph.quotes:
            docx.body(f"«{quote['text']}»")
    for image in chart_images(document):
        docx.document.add_picture(BytesIO(image), width=Cm(16))
    for note in document.map_notes:  # beside the map
        docx.paragraph(note, space_after=4)
    for table in document.printed_tables:
        _docx_table(docx, table)
    if document.breakdowns_note:
        docx.paragraph(document.breakdowns_note, space_after=4)
    for note in document.notes:
        docx.paragraph(note, space_after=4)
    return docx.save(title=document.full_title, language=document.language, author=document.office)


# --- XLSX ------------------------------------------------------------------------------------------


def sheet_name(title: str, taken: set[str]) -> str:
    """A sheet's name from a table's title: without the characters Excel refuses, at most 31
    characters, different from the names already taken."""
    base = NOT_IN_SHEET_NAMES.sub(" ", title).strip()[:SHEET_NAME_LENGTH] or "Sheet"
    name, number = base, 2
    while name.lower() in taken:
        suffix = f" {number}"
        name, number = base[: SHEET_NAME_LENGTH - len(suffix)] + suffix, number + 1
    taken.add(name.lower())
    return name


def render_xlsx(document: SummaryDocument) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    with translation.override(document.language):
        draft_line = _("Draft: not published. %(title)s") % {"title": document.heading or document.title}
        code_head = _("Metric code")
        remark_head = _("Remark")
    for table in document.tables:
        sheet = workbook.create_sheet(sheet_name(table.sheet, taken))
        if document.draft:
            sheet.append([neutralise(draft_line)])
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, color="B00020")
        sheet.append([neutralise(table.title), neutralise(document.as_of_line)])
        keys = [table.key_head] if table.key_head else []
        extra = [] if table.key_head else [remark_head]
        sheet.append([neutralise(text) for text in [code_head, *keys, *table.head, *extra]])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in table.rows:
            values = [row.code, *([row.key] if table.key_head else []), *row.values]
            sheet.append([neutralise(value) for value in values])
        sheet.column_dimensions["A"].width = 32
        sheet.column_dimensions["B"].width = 40
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


RENDERERS = {"pdf": render_pdf, "docx": render_docx, "xlsx": render_xlsx}


def render(document: SummaryDocument, format_: str) -> bytes:
    """The document in one of FORMATS; FormatNotOffered for another."""
    if format_ not in RENDERERS:
        raise FormatNotOffered(format_)
    return RENDERERS[format_](document)


def version_filename(version: SummaryVersion, language: str, format_: str) -> str:
    draft = "" if version.state == SummaryVersion.State.PUBLISHED else "-draft"
    return f"summary-{version.summary_id}-v{version.number}{draft}-{language}.{format_}"
