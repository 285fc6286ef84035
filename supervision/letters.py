"""The letter of an act of prosecutorial response, in Kazakh or Russian, as DOCX and PDF.

Both files are built from one `Letter`: every line of it is written under
translation.override(act.language), so the act titles and the fixed phrases come from the kk and
ru catalogues (English is only the source). The PDF is WeasyPrint's rendering of
templates/supervision/letter.html with the local stylesheet templates/letters/letter.css and
the DejaVu Serif font (it has every Kazakh letter); its URL fetcher refuses every URL, so the
letter never loads anything from outside. The page, the paragraphs and the PDF's rendering are the
office's letters' own (lib.letters), shared with the registry's blocking requests.
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext_lazy

from lib.letters import DocxLetter, filename, paragraphs, pdf

from .models import SupervisoryAct

Type = SupervisoryAct.Type

# The title of each type of act as it heads the letter (printed in capitals), and the line under it.
TITLES = {
    Type.PROTEST: (pgettext_lazy("act letter title", "Protest"), ""),
    Type.SUBMISSION: (
        pgettext_lazy("act letter title", "Submission"),
        pgettext_lazy("act letter subtitle", "on the elimination of violations of the law"),
    ),
    Type.ORDER: (
        pgettext_lazy("act letter title", "Order"),
        pgettext_lazy("act letter subtitle", "on the elimination of violations of the law"),
    ),
    Type.ADMIN_RESOLUTION: (
        pgettext_lazy("act letter title", "Resolution"),
        pgettext_lazy("act letter subtitle", "on the initiation of an administrative offence case"),
    ),
    Type.WARNING: (
        pgettext_lazy("act letter title", "Warning"),
        pgettext_lazy("act letter subtitle", "on the inadmissibility of violating the law"),
    ),
    Type.CLAIM: (pgettext_lazy("act letter title", "Statement of claim"), ""),
    Type.INSTRUCTION: (pgettext_lazy("act letter title", "Instruction"), ""),
    Type.PRETRIAL: (
        pgettext_lazy("act letter title", "Resolution"),
        pgettext_lazy("act letter subtitle", "on the start of a pre-trial investigation"),
    ),
}


def act_title(act_type: str, language: str) -> str:
    """The letter's heading for a type of act, in capitals, in `language`."""
    with translation.override(language):
        return str(TITLES[act_type][0]).upper()


@dataclass
class Letter:
    language: str
    number: str
    office: str
    number_line: str
    addressee: list[str]
    title: str
    subtitle: str
    legal_basis_label: str
    legal_basis: list[str]
    summary: list[str]
    reports_label: str
    reports: list[str] = field(default_factory=list)
    request: str = ""
    signature: list[str] = field(default_factory=list)

    @property
    def document_title(self) -> str:
        return f"{self.number} {self.title}"


def build_letter(act: SupervisoryAct) -> Letter:
    """The letter's lines in the act's language (the act's letter must be numbered)."""
    if not act.outgoing_number or act.letter_at is None:
        raise ValueError("the letter has no outgoing number yet (supervision.services.act_letter)")
    language = act.language
    day = timezone.localdate(act.letter_at).strftime("%d.%m.%Y")
    with translation.override(language):
        title, subtitle = TITLES[act.type]
        addressee = []
        if act.addressee_id:
            addressee.append(act.addressee.localized("name", language))
        if act.addressee_title.strip():
            addressee.append(act.addressee_title.strip())
        reports = [
            gettext("%(reference)s of %(date)s, %(category)s")
            % {
                "reference": report.reference,
                "date": timezone.localdate(report.submitted_at).strftime("%d.%m.%Y"),
                "category": report.category.localized("name", language),
            }
            for report in act.reports.select_related("category").order_by("submitted_at", "id")
        ]
        author = act.created_by
        return Letter(
            language=language,
            number=act.outgoing_number,
            office=act.issuing_office.localized("name", language),
            number_line=gettext("Outgoing No. %(number)s of %(date)s") % {"number": act.outgoing_number, "date": day},
            addressee=addressee,
            title=str(title).upper(),
            subtitle=str(subtitle),
            legal_basis_label=gettext("Legal basis"),
            legal_basis=paragraphs(act.legal_basis),
            summary=paragraphs(act.summary),
            reports_label=gettext("Reports of offences this act concerns"),
            reports=reports,
            # Phrased as the office's request: Tartip does not cite an article of the law for the term.
            request=gettext(
                "Please inform the prosecutor's office in writing of the result of the consideration "
                "within one month of receipt."
            ),
            signature=[
                act.issuing_office.localized("name", language),
                (author.get_full_name() or author.username) if author else "",
            ],
        )


def letter_filename(act: SupervisoryAct, extension: str) -> str:
    """A file name with the outgoing number ("/" is not allowed in file names)."""
    return filename(act.outgoing_number, extension)


# --- DOCX ------------------------------------------------------------------------------------------


def letter_docx(act: SupervisoryAct) -> bytes:
    letter = build_letter(act)
    docx = DocxLetter()
    paragraph, center, justify, indent = docx.paragraph, docx.CENTER, docx.JUSTIFY, docx.indent
    paragraph(letter.office, bold=True, align=center, space_after=6)
    paragraph(letter.number_line, space_after=18)
    for line in letter.addressee:
        paragraph(line, indent=docx.Cm(9))
    paragraph("", space_after=12)
    paragraph(letter.title, bold=True, align=center)
    if letter.subtitle:
        paragraph(letter.subtitle, align=center)
    paragraph("", space_after=6)
    for number, text in enumerate(letter.legal_basis):
        label = f"{letter.legal_basis_label}: " if number == 0 else ""
        paragraph(label + text, align=justify, first_line=indent, space_after=6)
    for text in letter.summary:
        paragraph(text, align=justify, first_line=indent, space_after=6)
    if letter.reports:
        paragraph(f"{letter.reports_label}:", align=justify, first_line=indent)
        for line in letter.reports:
            paragraph(f"– {line}", align=justify, first_line=indent)
        paragraph("", space_after=6)
    paragraph(letter.request, align=justify, first_line=indent, space_after=24)
    for line in letter.signature:
        if line:
            paragraph(line, bold=True)
    return docx.save(title=letter.document_title, language=letter.language, author=letter.office)


# --- PDF -------------------------------------------------------------------------------------------


def letter_html(act: SupervisoryAct) -> str:
    return render_to_string("supervision/letter.html", {"letter": build_letter(act)})


def letter_pdf(act: SupervisoryAct) -> bytes:
    return pdf(letter_html(act))
