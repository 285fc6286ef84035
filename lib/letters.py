"""What the office's letters share (an act of prosecutorial response, a blocking request): the
page of a DOCX (A4, Times New Roman 14, the margins of an official letter) and its paragraphs, and a
PDF rendered by WeasyPrint from the letter's HTML with the local stylesheet
templates/letters/letter.css (DejaVu Serif: every Kazakh letter) and a URL fetcher that refuses
every URL, so a letter never loads anything from outside.

Each app builds its letter's lines in the letter's language; this module only lays them out.
"""

import re
from collections.abc import Sequence
from io import BytesIO

from django.template.loader import get_template


def paragraphs(text: str) -> list[str]:
    """A text's paragraphs: split at its line breaks, blank ones dropped."""
    return [line.strip() for line in re.split(r"\n\s*\n|\r?\n", text or "") if line.strip()]


def filename(number: str, extension: str) -> str:
    """A file name with the outgoing number ("/" is not allowed in file names)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", number).strip("-") + f".{extension}"


# --- DOCX ------------------------------------------------------------------------------------------


class DocxLetter:
    """A DOCX letter being written: the page set up, then paragraphs added one by one."""

    def __init__(self):
        from docx import Document
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Pt

        self.Cm, self.Pt = Cm, Pt
        self.CENTER, self.JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY
        self.indent = Cm(1.25)  # a body paragraph's first line
        self.document = Document()
        section = self.document.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21)
        section.left_margin, section.right_margin = Cm(3), Cm(1.5)
        section.top_margin, section.bottom_margin = Cm(2), Cm(2)
        normal = self.document.styles["Normal"]
        normal.font.name = "Times New Roman"
        normal.font.size = Pt(14)
        normal.paragraph_format.space_after = Pt(0)

    def paragraph(self, text: str, *, bold=False, align=None, indent=None, first_line=None, space_after=0):
        block = self.document.add_paragraph()
        run = block.add_run(text)
        run.bold = bold
        if align is not None:
            block.alignment = align
        if indent is not None:
            block.paragraph_format.left_indent = indent
        if first_line is not None:
            block.paragraph_format.first_line_indent = first_line
        block.paragraph_format.space_after = self.Pt(space_after)
        return block

    def body(self, text: str, *, space_after=6):
        """A justified paragraph of the letter's body, its first line indented."""
        return self.paragraph(text, align=self.JUSTIFY, first_line=self.indent, space_after=space_after)

    def save(self, *, title: str, language: str, author: str) -> bytes:
        properties = self.document.core_properties
        properties.title = title
        properties.language = language
        properties.author = author
        buffer = BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


# --- PDF -------------------------------------------------------------------------------------------


def weasyprint():
    """WeasyPrint's CSS, HTML and URLFetcher, imported when a letter is first written (it is slow to
    import). Importing it switches Pillow, process-wide, to accepting truncated images: that is
    undone here, so the photos' check (lib.photos) keeps refusing them. Letters carry no images."""
    from PIL import ImageFile
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return CSS, HTML, URLFetcher


def pdf(
    html: str,
    stylesheet: str = "letters/letter.css",
    attachments: Sequence[tuple[str, bytes]] = (),
    *,
    inline_images: bool = False,
) -> bytes:
    """The letter's HTML as a PDF with the letters' stylesheet (a template), fetching nothing;
    `attachments` (name, content) are embedded in it as files (a meeting's pack carries the reports
    heard), which any PDF reader lists and saves; `inline_images`: the HTML carries its own images
    as data: URIs (a summary's charts), still nothing fetched."""
    CSS, HTML, URLFetcher = weasyprint()
    from weasyprint import Attachment

    # No protocol is allowed but data: when asked: the letter embeds nothing from outside (fonts
    # come from the system).
    no_fetching = URLFetcher(allowed_protocols=frozenset({"data"} if inline_images else ()))
    css = CSS(string=get_template(stylesheet).render({}), url_fetcher=no_fetching)
    embedded = [Attachment(string=content, name=name, url_fetcher=no_fetching) for name, content in attachments]
    return HTML(string=html, url_fetcher=no_fetching).write_pdf(stylesheets=[css], attachments=embedded)
