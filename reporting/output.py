"""The results summary as the office reads it and publishes it: the text by area, then a table of
each figure beside its base, as plain text or as a standalone page (its own styles, nothing
fetched, no provenance link: what may be published)."""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Region

from .figures import Request, Summary, SummaryError, compute, quotes
from .numbers import number_text, percent_text
from .publication import protected
from .sentences import Paragraph, narrative


def value_text(value, unit: str, language: str) -> str:
    return percent_text(value, language) if unit == "percent" else number_text(value, language)


def headings(summary: Summary) -> tuple[str, str]:
    request = summary.request
    title = _("Results summary: %(region)s, %(start)s – %(end)s, as of %(as_of)s") % {
        "region": request.region.name if request.region is not None else _("all regions"),
        "start": request.period.start.isoformat(),
        "end": request.period.end.isoformat(),
        "as_of": request.as_of.isoformat(),
    }
    compared = _("Compared with %(start)s – %(end)s, as of %(as_of)s") % {
        "start": request.base.start.isoformat(),
        "end": request.base.end.isoformat(),
        "as_of": request.base_as_of.isoformat(),
    }
    return title, compared


def table_rows(summary: Summary, language: str) -> list[list[str]]:
    """Each figure's name, value, base, change, percent change and remark, as text."""
    rows = []
    for figure in summary.figures:
        remark = _("within normal variation") if figure.within_normal_variation else figure.note
        rows.append(
            [
                figure.name,
                value_text(figure.value, figure.unit, language),
                value_text(figure.base, figure.unit, language),
                number_text(figure.change, language),
                percent_text(figure.change_percent, language),
                remark,
            ]
        )
    return rows


HEADINGS = (
    gettext_lazy("Metric"),
    gettext_lazy("Value"),
    gettext_lazy("Base"),
    gettext_lazy("Change"),
    gettext_lazy("Change, %"),
)


# How the plain text marks a quote (lib.plugins summary_quotes): « » in Kazakh and Russian.
QUOTE_MARKS = {"en": ("“", "”")}


def said_text(paragraph: Paragraph, language: str) -> str:
    """A paragraph's sentences, then its quotes in the language's quotation marks, as one line."""
    opening, closing = QUOTE_MARKS.get(language, ("«", "»"))
    said = [*paragraph.sentences, *(f"{opening}{quote['text']}{closing}" for quote in paragraph.quotes)]
    return " ".join(said)


def summary_text(summary: Summary, language: str, paragraphs: list[Paragraph] | None = None) -> str:
    """The text, a paragraph per area with data (reporting.sentences), then a table: each figure's
    value, its base, the change and the percent change; a note where a change on a small base is
    within normal variation."""
    title, compared = headings(summary)
    lines = [title, compared, ""]
    if paragraphs is None:
        paragraphs = narrative(summary.figures, language, quotes=quotes(summary.request, language))
    for paragraph in paragraphs:
        lines.extend([paragraph.title, said_text(paragraph, language), ""])
    column_names = [str(heading) for heading in HEADINGS]
    rows = table_rows(summary, language)
    widths = [max(len(str(row[i])) for row in [column_names, *rows]) for i in range(len(column_names))]
    lines.append("  ".join(h.ljust(w) for h, w in zip(column_names, widths, strict=True)).rstrip())
    for row in rows:
        cells = [row[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(row[1:5], widths[1:], strict=True))]
        lines.append(("  ".join(cells) + ("  " + row[5] if row[5] else "")).rstrip())
    lines.extend(["", *summary.notes] if summary.notes else [])
    return "\n".join(lines) + "\n"


def summary_html(summary: Summary, language: str, paragraphs: list[Paragraph] | None = None, heading: str = "") -> str:
    """The same as a standalone page (its own styles, nothing fetched), without provenance links:
    what may be published, so of the protected summary (reporting.publication). `heading`: the
    office's title of the summary, above the period's."""
    summary = protected(summary)
    title, compared = headings(summary)
    return render_to_string(
        "reporting/summary_standalone.html",
        {
            "language": language,
            "heading": heading,
            "title": title,
            "compared": compared,
            "paragraphs": narrative(summary.figures, language, quotes=quotes(summary.request, language))
            if paragraphs is None
            else paragraphs,
            "rows": table_rows(summary, language),
            "notes": summary.notes,
        },
    )


def summary_document(region_id: int, start, end, as_of, language: str) -> dict:
    """lib.plugins' summary_reader: the whole region's results summary of the period as of `as_of`,
    written in `language` as the text and tables another app's document prints (the board's meeting
    pack): the same figures, text and table as the summary's pages and its standalone page. A
    summary that cannot be computed (a date outside the catalogue's years) says why instead."""
    region = Region.objects.get(pk=region_id)
    with translation.override(language):
        try:
            request = Request.make(region=region, start=start, end=end, as_of=as_of)
        except SummaryError as error:
            return {"title": "", "as_of": as_of, "paragraphs": [str(error)], "tables": []}
        summary = compute(request)
        title, compared = headings(summary)
        paragraphs = []
        for paragraph in narrative(summary.figures, language, quotes=quotes(request, language)):
            paragraphs.extend(line for line in (paragraph.title, said_text(paragraph, language)) if line)
        # The standalone page prints a figure's remark under its name: here it follows the name.
        rows = [[f"{row[0]} ({row[5]})" if row[5] else row[0], *row[1:5]] for row in table_rows(summary, language)]
        return {
            "title": title,
            "as_of": request.as_of,
            "paragraphs": paragraphs + list(summary.notes),
            "tables": [{"title": compared, "head": [str(heading) for heading in HEADINGS], "rows": rows}],
        }
