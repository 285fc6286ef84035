"""The board's documents: a meeting's resolution (постановление, қаулы) as DOCX and PDF in Kazakh
or Russian, and the meeting's materials pack (its agenda, the results summary of the period it
reviews, the reports heard, the open directives) as one PDF.

Every line is written under translation.override(language), so the fixed phrases come from the kk
and ru catalogues (English is the source). The PDFs are WeasyPrint's renderings of
templates/board/*.html with the letters' stylesheet and fonts (lib.letters: DejaVu Serif has every
Kazakh letter; nothing is fetched from outside), plus templates/board/documents.css: the meeting's
date and the page number on every page.

A resolution exists once it is issued (services.meetings.resolution_issue numbers and dates it);
`resolution_problem` says why one cannot be written yet, and the views answer with that message.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from accounts.models import Organisation
from lib import plugins
from lib.i18n import FALLBACK_LANGUAGES, localized
from lib.letters import DocxLetter, filename, paragraphs, pdf

from .models import Directive, DirectiveAddressee, Meeting
from .policy import is_overdue, reads_region_summary
from .services.meetings import open_directives_before

Kind = Meeting.Kind
RESOLUTION_LANGUAGES = ("kk", "ru")
RESOLUTION_FORMATS = ("docx", "pdf")
PACK_LANGUAGES = ("kk", "ru", "en")
STYLESHEET = "board/documents.css"
LANGUAGE_NAMES = {"kk": gettext_lazy("Kazakh"), "ru": gettext_lazy("Russian"), "en": gettext_lazy("English")}

# The resolution's title by the kind of meeting, and the words before its items ("the board
# RESOLVES:"); printed in capitals where the office writes them so.
TITLES = {
    Kind.BOARD: pgettext_lazy("resolution title", "Resolution of the board"),
    Kind.COORDINATION: pgettext_lazy("resolution title", "Resolution of the coordination meeting"),
    Kind.WORKING_GROUP: pgettext_lazy("resolution title", "Decision of the working group"),
}
RESOLVES = {
    Kind.BOARD: pgettext_lazy("resolution", "The board RESOLVES:"),
    Kind.COORDINATION: pgettext_lazy("resolution", "The coordination meeting RESOLVES:"),
    Kind.WORKING_GROUP: pgettext_lazy("resolution", "The working group DECIDES:"),
}


def day_text(day: date) -> str:
    return f"{day:%d.%m.%Y}"


def office_name(meeting: Meeting, language: str) -> str:
    """The heading: the region's prosecutor's office (reference data), or none when not recorded."""
    office = (
        Organisation.objects.filter(region_id=meeting.region_id, type=Organisation.Type.REGIONAL_OFFICE, is_active=True)
        .order_by("code")
        .first()
    )
    return office.localized("name", language) if office else ""


def directive_text(directive: Directive, language: str) -> tuple[str, str]:
    """The directive's text in `language`, else in another language with a note saying which (a
    directive may be issued in one language only: it is shown, never left out)."""
    for code in dict.fromkeys((language, *FALLBACK_LANGUAGES)):
        text = getattr(directive, f"text_{code}").strip()
        if text and code == language:
            return text, ""
        if text:
            return text, gettext("Not translated: the text in %(language)s.") % {"language": LANGUAGE_NAMES[code]}
    return "", ""


def person(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def meeting_line(meeting: Meeting, language: str) -> str:
    """The meeting's title in `language`, else its kind and date."""
    return localized(meeting, "title", language) or kind_and_date(meeting)


def kind_and_date(meeting: Meeting) -> str:
    """The meeting's kind and date ("Board meeting of 16.10.2025"), in the active language."""
    named = {"kind": meeting.get_kind_display(), "date": day_text(meeting.held_on)}
    return capfirst(gettext("%(kind)s of %(date)s") % named)


def period_line(meeting: Meeting) -> str:
    return gettext("Period reviewed: %(start)s – %(end)s") % {
        "start": day_text(meeting.period_start),
        "end": day_text(meeting.period_end),
    }


# --- the resolution --------------------------------------------------------------------------------


def resolution_problem(meeting: Meeting) -> str:
    """Why the meeting's resolution cannot be written yet (translated), or "" when it can."""
    if not meeting.directives.exists():
        return gettext("The meeting has no directives yet: a resolution lists the meeting's directives.")
    if not meeting.resolution_number:
        return gettext(
            "The resolution is not issued yet: the regional prosecutor or the board's secretary issues it, "
            "which gives it its number and date."
        )
    return ""


@dataclass
class Item:
    number: int
    text: str
    note: str
    addressees: str
    deadline: str
    controller: str


@dataclass
class Resolution:
    language: str
    office: str
    title: str
    number_line: str
    meeting: str
    period: str
    resolves: str
    items: list[Item]
    chair_label: str
    chair: str
    labels: dict = field(default_factory=dict)

    @property
    def document_title(self) -> str:
        return f"{self.title} {self.number_line}"


def build_resolution(meeting: Meeting, language: str) -> Resolution:
    """The resolution's lines in `language` (the meeting's resolution must be issued)."""
    if resolution_problem(meeting):
        raise ValueError("the resolution is not issued yet (board.services.meetings.resolution_issue)")
    directives = meeting.directives.select_related("controller").prefetch_related("addressees__organisation")
    with translation.override(language):
        items = []
        for directive in directives.order_by("number"):
            text, note = directive_text(directive, language)
            names = [row.organisation.localized("name", language) for row in directive.addressees.all()]
            items.append(
                Item(
                    directive.number,
                    text,
                    note,
                    "; ".join(names),
                    day_text(directive.deadline),
                    person(directive.controller),
                )
            )
        return Resolution(
            language=language,
            office=office_name(meeting, language),
            title=str(TITLES[meeting.kind]).upper(),
            number_line=gettext("No. %(number)s of %(date)s")
            % {"number": meeting.resolution_number, "date": day_text(meeting.resolution_on)},
            meeting=meeting_line(meeting, language),
            period=period_line(meeting),
            resolves=str(RESOLVES[meeting.kind]),
            items=items,
            chair_label=gettext("Chair"),
            chair=meeting.chair,
            labels={
                "addressees": gettext("Addressees"),
                "deadline": gettext("Deadline"),
                "controller": gettext("Controlled by"),
            },
        )


def resolution_filename(meeting: Meeting, language: str, extension: str) -> str:
    return filename(f"resolution-{meeting.resolution_year}-{meeting.resolution_number}-{language}", extension)


def resolution_docx(meeting: Meeting, language: str) -> bytes:
    resolution = build_resolution(meeting, language)
    docx = DocxLetter()
    paragraph, center, justify, indent = docx.paragraph, docx.CENTER, docx.JUSTIFY, docx.indent
    if resolution.office:
        paragraph(resolution.office, bold=True, align=center, space_after=12)
    paragraph(resolution.title, bold=True, align=center)
    paragraph(resolution.number_line, align=center, space_after=12)
    paragraph(resolution.meeting, align=center)
    paragraph(resolution.period, align=center, space_after=12)
    paragraph(resolution.resolves, bold=True, align=justify, first_line=indent, space_after=6)
    labels = resolution.labels
    for item in resolution.items:
        paragraph(f"{item.number}. {item.text}", align=justify, first_line=indent)
        if item.note:
            paragraph(f"({item.note})", align=justify, first_line=indent)
        for label, value in (
            (labels["addressees"], item.addressees),
            (labels["deadline"], item.deadline),
            (labels["controller"], item.controller),
        ):
            paragraph(f"{label}: {value}", align=justify, first_line=indent)
        paragraph("", space_after=6)
    paragraph("", space_after=12)
    paragraph(f"{resolution.chair_label}: {resolution.chair}", bold=True)
    return docx.save(title=resolution.document_title, language=language, author=resolution.office)


def resolution_html(meeting: Meeting, language: str) -> str:
    resolution = build_resolution(meeting, language)
    with translation.override(language):
        return render_to_string("board/resolution.html", {"resolution": resolution})


def resolution_pdf(meeting: Meeting, language: str) -> bytes:
    return pdf(resolution_html(meeting, language), STYLESHEET)


# --- the materials pack ----------------------------------------------------------------------------


@dataclass
class OpenDirective:
    directive: Directive
    meeting: str
    text: str
    note: str
    deadline: str
    controller: str
    # (organisation's name, status, overdue) of each execution the reader reads.
    executions: list[tuple[str, str, bool]]


def _open_directives(directives, language: str, reader, now: datetime) -> list[OpenDirective]:
    """Each directive with the executions `reader` reads (board.scoping): one addressed only to
    others is left out, so an addressee's pack shows its own executions only."""
    visible = DirectiveAddressee.objects.for_user(reader).filter(directive__in=[d.pk for d in directives])
    by_directive: dict[int, list] = {}
    for row in visible.select_related("organisation").order_by("organisation__code"):
        by_directive.setdefault(row.directive_id, []).append(
            (row.organisation.localized("name", language), row.get_status_display(), is_overdue(row, now))
        )
    found = []
    for directive in directives:
        if directive.pk in by_directive:
            text, note = directive_text(directive, language)
            line = gettext("%(meeting)s, item %(number)s") % {
                "meeting": meeting_line(directive.meeting, language),
                "number": directive.number,
            }
            found.append(
                OpenDirective(
                    directive,
                    line,
                    text,
                    note,
                    day_text(directive.deadline),
                    person(directive.controller),
                    by_directive[directive.pk],
                )
            )
    return found


def region_summary(meeting: Meeting, language: str, reader) -> tuple[dict | None, str]:
    """The results summary of the period reviewed as of the meeting's day, or why it is not printed."""
    if not reads_region_summary(reader):
        return None, gettext("The region's results summary is printed in the packs of the regional office's staff.")
    document = plugins.summary_document(
        meeting.region_id, meeting.period_start, meeting.period_end, meeting.held_on, language
    )
    if document is None:
        return None, gettext("No results summary is available on this installation.")
    return document, ""


def materials_context(meeting: Meeting, language: str, *, reader, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    with translation.override(language):
        summary, summary_note = region_summary(meeting, language, reader)
        directives = meeting.directives.select_related("meeting", "controller").order_by("number")
        earlier = open_directives_before(meeting).select_related("controller")
        facts = [
            (gettext("Kind"), meeting.get_kind_display()),
            (gettext("Date"), day_text(meeting.held_on)),
            (gettext("Period reviewed"), f"{day_text(meeting.period_start)} – {day_text(meeting.period_end)}"),
            (gettext("Chair"), meeting.chair),
        ]
        if meeting.working_group_id:
            facts.append((gettext("Working group"), meeting.working_group.localized("name", language)))
        reports = [
            {
                "speaker": report.speaker,
                "position": ", ".join(
                    part
                    for part in (report.position, report.office.localized("name", language) if report.office else "")
                    if part
                ),
                "topic": report.topic,
                "file": report.file_name if report.file else "",
            }
            for report in meeting.reports.select_related("office").order_by("order", "id")
        ]
        return {
            "language": language,
            "office": office_name(meeting, language),
            "meeting": meeting_line(meeting, language),
            "running": kind_and_date(meeting),
            "facts": facts,
            "agenda": paragraphs(meeting.agenda),
            "participants": paragraphs(meeting.participants),
            "summary": summary,
            "summary_note": summary_note,
            "reports": reports,
            "earlier": _open_directives(list(earlier), language, reader, now),
            "own": _open_directives(list(directives), language, reader, now),
            "status_day": day_text(timezone.localdate(now, meeting.region.zone)),
        }


def materials_html(meeting: Meeting, language: str, *, reader, now: datetime | None = None) -> str:
    context = materials_context(meeting, language, reader=reader, now=now)
    with translation.override(language):
        return render_to_string("board/materials.html", context)


def materials_pdf(meeting: Meeting, language: str, *, reader, now: datetime | None = None) -> bytes:
    """The meeting's materials pack as one PDF, showing `reader` what board.scoping lets them read,
    with the files of the reports heard embedded in it."""
    return pdf(materials_html(meeting, language, reader=reader, now=now), STYLESHEET, report_files(meeting))


def report_files(meeting: Meeting) -> list[tuple[str, bytes]]:
    """The reports' files, each under its order and the name it was sent with (two speakers may
    send files of the same name)."""
    files = []
    for report in meeting.reports.exclude(file="").order_by("order", "id"):
        with report.file.open("rb") as handle:
            files.append((f"{report.order:02d}-{report.file_name}", handle.read()))
    return files


def materials_filename(meeting: Meeting, language: str) -> str:
    return filename(f"meeting-{meeting.held_on:%Y-%m-%d}-{meeting.pk}-materials-{language}", "pdf")
