"""A blocking request's documents: its letter in Kazakh or Russian (DOCX and PDF, laid out as the
office's other letters by lib.letters) and the XLSX list of its items, and the partner's filled
list read back.

The letter carries the office, the outgoing number and date, the addressee, the title, the legal
basis and a count of the items by kind, "the list is attached"; the list carries each value in
full, since the addressee needs it to block and the letter goes to that addressee only. Neither
ever carries a report's text nor a reporter. Every line is written under
translation.override(request.language).
"""

from collections import Counter
from dataclasses import dataclass, field
from io import BytesIO

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext, pgettext

from accounts.zones import local_date, region_id_zone
from lib.letters import DocxLetter, filename, paragraphs, pdf
from lib.spreadsheets import check_workbook, neutralise

from .indicators import Kind
from .models import BlockingItem, BlockingRequest

# An uploaded answer: at most this large, and its archive at most this large once unpacked.
UPLOAD_MAX_BYTES = 5 * 1024 * 1024
UNPACKED_MAX_BYTES = 50 * 1024 * 1024
ROWS_MAX = 20_000


@dataclass
class Letter:
    language: str
    number: str
    office: str
    number_line: str
    addressee: list[str]
    title: str
    legal_basis_label: str
    legal_basis: list[str]
    body: list[str]
    counts: list[str]
    attached: str
    signature: list[str] = field(default_factory=list)

    @property
    def document_title(self) -> str:
        return f"{self.number} {self.title}"


def _items(request: BlockingRequest):
    return request.items.select_related("indicator").order_by("id")


def build_letter(request: BlockingRequest) -> Letter:
    """The letter's lines in the request's language (a sent request's: it has its number)."""
    if not request.outgoing_number or request.sent_at is None:
        raise ValueError("the request is not sent yet (registry.services.blocking_request_send)")
    language = request.language
    day = local_date(request.sent_at, region_id_zone(request.region_id)).strftime("%d.%m.%Y")
    counts = Counter(item.indicator.kind for item in _items(request))
    with translation.override(language):
        office = request.office.localized("name", language)
        author = request.created_by
        return Letter(
            language=language,
            number=request.outgoing_number,
            office=office,
            number_line=gettext("Outgoing No. %(number)s of %(date)s")
            % {"number": request.outgoing_number, "date": day},
            addressee=[request.addressee.localized("name", language)],
            title=pgettext("blocking letter title", "Request to block").upper(),
            legal_basis_label=gettext("Legal basis"),
            legal_basis=paragraphs(request.legal_basis),
            body=[
                gettext(
                    "Within the project “Territory Without Fraud”, please block the following, confirmed as "
                    "used for fraud or the sale of drugs:"
                )
            ],
            counts=[f"{Kind(kind).label}: {count}" for kind, count in sorted(counts.items(), key=lambda pair: pair[0])],
            attached=gettext(
                "The list of the items is attached (%(count)d). Please answer for each item: blocked, with the "
                "amount frozen, refused or not found, and later when a block is lifted or expires."
            )
            % {"count": sum(counts.values())},
            signature=[office, (author.get_full_name() or author.username) if author else ""],
        )


def letter_filename(request: BlockingRequest, extension: str) -> str:
    return filename(request.outgoing_number, extension)


def letter_docx(request: BlockingRequest) -> bytes:
    letter = build_letter(request)
    docx = DocxLetter()
    docx.paragraph(letter.office, bold=True, align=docx.CENTER, space_after=6)
    docx.paragraph(letter.number_line, space_after=18)
    for line in letter.addressee:
        docx.paragraph(line, indent=docx.Cm(9))
    docx.paragraph("", space_after=12)
    docx.paragraph(letter.title, bold=True, align=docx.CENTER, space_after=12)
    for number, text in enumerate(letter.legal_basis):
        docx.body((f"{letter.legal_basis_label}: " if number == 0 else "") + text)
    for text in letter.body:
        docx.body(text)
    for line in letter.counts:
        docx.body(f"– {line}", space_after=0)
    docx.paragraph("", space_after=6)
    docx.body(letter.attached, space_after=24)
    for line in letter.signature:
        if line:
            docx.paragraph(line, bold=True)
    return docx.save(title=letter.document_title, language=letter.language, author=letter.office)


def letter_pdf(request: BlockingRequest) -> bytes:
    return pdf(render_to_string("registry/blocking_letter.html", {"letter": build_letter(request)}))


# --- the list of items ------------------------------------------------------------------------------


def full_value(item: BlockingItem) -> str:
    """The value as the addressee blocks it: a card's number in full (kept encrypted)."""
    indicator = item.indicator
    return indicator.secret or indicator.value or indicator.shown


def list_headers() -> list[str]:
    return [
        gettext("No."),
        gettext("Kind"),
        gettext("Value"),
        gettext("Answer"),
        gettext("Amount frozen, tenge"),
        gettext("Date (dd.mm.yyyy)"),
        gettext("Note"),
    ]


def list_xlsx(request: BlockingRequest) -> bytes:
    """The request's items, one a row, with the columns the addressee fills in (answer, amount,
    date, note), headed in the letter's language; every text cell neutralised (lib.spreadsheets)."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    with translation.override(request.language):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = gettext("Items")[:31]
        sheet.append([neutralise(cell) for cell in list_headers()])
        answers = [str(label) for value, label in BlockingItem.State.choices if value != BlockingItem.State.REQUESTED]
        for number, item in enumerate(_items(request), start=1):
            answered = item.status != BlockingItem.State.REQUESTED
            day = item.ended_on or item.answered_on
            sheet.append(
                [
                    number,
                    neutralise(str(item.indicator.get_kind_display())),
                    neutralise(full_value(item)),
                    neutralise(str(item.get_status_display())) if answered else None,
                    item.amount,
                    day.strftime("%d.%m.%Y") if day else None,
                    neutralise(item.note) or None,
                ]
            )
        # The answer column offers the answers in the letter's language (any other is refused on reading).
        choices = ",".join(answer.replace(",", " ") for answer in answers)
        if len(choices) < 250:
            validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
            sheet.add_data_validation(validation)
            validation.add(f"D2:D{max(2, sheet.max_row)}")
        for column, width in zip("ABCDEFG", (6, 28, 40, 22, 20, 16, 40), strict=True):
            sheet.column_dimensions[column].width = width
        workbook.properties.title = f"{request.outgoing_number or request.pk}"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class UnreadableList(ValueError):
    """An upload that is not the request's list (its message is for the uploader)."""


def list_rows(content: bytes) -> list[tuple[int, tuple]]:
    """The rows of an uploaded list after its header, with their row numbers: the file checked for
    its size and its unpacked size before openpyxl opens it (read-only, values only)."""
    from openpyxl import load_workbook

    from lib.spreadsheets import WorkbookRefused

    try:
        buffer = check_workbook(
            content,
            max_bytes=UPLOAD_MAX_BYTES,
            max_unpacked=UNPACKED_MAX_BYTES,
            max_ratio=settings.REGISTRY_NOTICE_MAX_RATIO,
        )
    except WorkbookRefused as refusal:
        reasons = {
            "too large": gettext("The file is larger than %(size)d MB.") % {"size": UPLOAD_MAX_BYTES // 1024 // 1024},
            "unpacks too large": gettext("The file unpacks to more than %(size)d MB: it is refused.")
            % {"size": UNPACKED_MAX_BYTES // 1024 // 1024},
            "compressed too much": gettext(
                "The file is compressed more than a workbook is (a zip bomb?): it is refused."
            ),
        }
        raise UnreadableList(reasons.get(str(refusal), gettext("The file is not an XLSX workbook."))) from None
    try:
        workbook = load_workbook(buffer, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged file; each means "not readable"
        raise UnreadableList(gettext("The file is not an XLSX workbook.")) from None
    try:
        rows = []
        for number, row in enumerate(workbook.worksheets[0].iter_rows(min_row=2, values_only=True), start=2):
            if number > ROWS_MAX + 1:
                raise UnreadableList(gettext("The list has more than %(count)d rows.") % {"count": ROWS_MAX})
            if any(cell not in (None, "") for cell in row):
                rows.append((number, tuple(row)))
        return rows
    except UnreadableList:
        raise
    except Exception:  # a damaged sheet, or entities the XML parser refuses (lib/spreadsheets.py)
        raise UnreadableList(gettext("The file is damaged: its rows could not be read.")) from None
    finally:
        workbook.close()
