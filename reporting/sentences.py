"""Sentence templates: the summary's text written from its figures (no language model).

A template is a sentence in one language whose placeholders name metrics of the catalogue:

- `{code}`: the figure as a sentence gives it, hedged by its metric's kind ("более 1 000",
  "59,5 млн тенге");
- `{code|noun}`: the same with what it counts agreeing with it; the noun in the template's
  language: Russian and Kazakh in their dictionary form ("обращение", "өтініш"), English as
  "singular/plural" ("report/reports");
- `{code.change}`: the change against the base in percent, without its sign ("3,8 %");
- `{code.trend|rise|fall}`: one of two words, by the change's direction ("рост|снижение"): a fall
  is written as a reduction, never as a negative rise.

A sentence none of whose figures has a value, or one a placeholder cannot be filled in for (no
value, no base to compare with, a change of 0 asked as a trend), is left out: never a broken
sentence, never "0" for an area without data. `problems(text, language, codes)` lists what makes a
template unusable (a placeholder naming no metric, a noun the grammar cannot agree, a trend
without its two words), in the reader's language, for the admin to refuse it.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from lib.metrics import Area, Hedging, Unit

from .models import SentenceTemplate
from .numbers import percent_text
from .phrases import GrammarError, Noun, phrase, russian_agreeing

PLACEHOLDER = re.compile(r"\{([^{}|]+)(?:\|([^{}]*))?\}")
ATTRIBUTES = ("change", "trend")


@dataclass(frozen=True)
class Placeholder:
    text: str  # as written, braces included
    code: str
    attribute: str  # "", "change" or "trend"
    words: tuple[str, ...]  # the noun, or a trend's two words


class Unfilled(Exception):
    """A placeholder the figures cannot fill: its sentence is left out."""


def placeholders(text: str, codes) -> tuple[list[Placeholder], list[str]]:
    """The template's placeholders, and the problems of those that name no metric."""
    found, problems = [], []
    for match in PLACEHOLDER.finditer(text):
        name, words = match.group(1).strip(), match.group(2)
        code, attribute = name, ""
        if name not in codes and "." in name:
            head, tail = name.rsplit(".", 1)
            if tail in ATTRIBUTES:
                code, attribute = head, tail
        if code not in codes:
            problems.append(_("“%(placeholder)s” names no metric of the catalogue.") % {"placeholder": match.group(0)})
            continue
        parts = tuple(word.strip() for word in words.split("|")) if words is not None else ()
        found.append(Placeholder(match.group(0), code, attribute, parts))
    if text.count("{") != text.count("}"):
        problems.append(_("A brace is not closed: write each placeholder as {code}."))
    return found, problems


def _noun(words: tuple[str, ...], language: str) -> Noun | None:
    if not words or not words[0]:
        return None
    word = words[0]
    if language == "en":
        singular, _slash, plural = word.partition("/")
        return Noun(kk="", ru="", en=(singular.strip(), (plural or singular + "s").strip()))
    return Noun(kk=word, ru=word, en=("", ""))


def problems(text: str, language: str, codes) -> list[str]:
    """What makes the template unusable in `language`, each in a sentence; none: usable."""
    found, errors = placeholders(text, codes)
    for placeholder in found:
        if placeholder.attribute == "trend" and len(placeholder.words) != 2:
            errors.append(
                _("“%(placeholder)s” needs two words, for a rise and for a fall: {code.trend|rise|fall}.")
                % {"placeholder": placeholder.text}
            )
        if placeholder.attribute == "" and language == "ru" and placeholder.words:
            try:
                russian_agreeing(placeholder.words[0], 5)
            except GrammarError:
                errors.append(
                    _("“%(word)s” is not a noun the Russian grammar can make agree with a number.")
                    % {"word": placeholder.words[0]}
                )
    return errors


def _fill(placeholder: Placeholder, figure, language: str) -> str:
    if figure is None or figure.value is None:
        raise Unfilled
    if placeholder.attribute == "change":
        if figure.change_percent is None:
            raise Unfilled
        return percent_text(abs(figure.change_percent), language)
    if placeholder.attribute == "trend":
        if not figure.change_percent:
            raise Unfilled
        rise, fall = placeholder.words
        return rise if figure.change_percent > 0 else fall
    hedging = Hedging.EXACT if figure.unit == Unit.PERCENT else figure.hedging
    return phrase(figure.value, figure.unit, language, hedging=hedging, noun=_noun(placeholder.words, language))


def render_parts(text: str, language: str, figures: dict) -> list[tuple[str, str]] | None:
    """The sentence as pieces of text, each with the code of the figure it writes ("" between
    placeholders), or None when it is left out (no figure of it has a value, or one placeholder
    cannot be filled). The pieces let a page link each number to its records."""
    found, errors = placeholders(text, figures)
    if errors or not found:
        return None
    if not any(figures[placeholder.code].value for placeholder in found):
        return None  # an area without data is left out, never written as zero
    try:
        filled = {placeholder.text: _fill(placeholder, figures[placeholder.code], language) for placeholder in found}
    except (Unfilled, GrammarError):
        return None
    codes = {placeholder.text: placeholder.code for placeholder in found}
    parts, at = [], 0
    for match in PLACEHOLDER.finditer(text):
        if match.start() > at:
            parts.append((text[at : match.start()], ""))
        parts.append((filled[match.group(0)], codes[match.group(0)]))
        at = match.end()
    if at < len(text):
        parts.append((text[at:], ""))
    return _sentence_case(parts)


def _sentence_case(parts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A sentence starts with a capital, also when it starts with a figure written in words ("more
    than 3,000 reports…" reads "More than 3,000 reports…")."""
    for index, (piece, code) in enumerate(parts):
        stripped = piece.lstrip()
        if stripped:
            if stripped[0].islower():
                start = len(piece) - len(stripped)
                parts[index] = (piece[:start] + stripped[0].upper() + stripped[1:], code)
            break
    return parts


def render(text: str, language: str, figures: dict) -> str | None:
    """The sentence with its placeholders filled from `figures` (code -> Figure), or None when it
    is left out (render_parts)."""
    parts = render_parts(text, language, figures)
    return None if parts is None else "".join(piece for piece, _code in parts)


# --- the text of a summary ---------------------------------------------------------------------
#
# A summary's text in one language is a list of paragraphs: a line starting with "#" is a
# paragraph's heading, every other line one sentence template, a blank line ends a paragraph. The
# catalogue's sentences give the text of a new draft (catalogue_text); the analyst edits it.

HEADING = "#"


@dataclass(frozen=True)
class Paragraph:
    title: str
    sentences: list[str]
    # Each sentence as its pieces: (text, the code of the figure it writes, or "").
    linked: list[list[tuple[str, str]]]
    # The texts the apps give the area's section after its sentences (lib.plugins summary_quotes:
    # supervision's approved highlights), each {"area", "text", "link"}.
    quotes: list[dict] = field(default_factory=list)


def catalogue_text(language: str) -> str:
    """The text the catalogue's sentences make, by area in the reference documents' order."""
    templates = SentenceTemplate.objects.filter(retired_at__isnull=True).order_by("order", "code")
    by_area: dict[str, list[str]] = {}
    for template in templates:
        by_area.setdefault(template.area, []).append(" ".join(template.text(language).split()))
    with translation.override(language):
        blocks = [
            "\n".join([f"{HEADING} {capfirst(str(Area(area).label))}", *by_area[area]])
            for area in Area.values
            if by_area.get(area)
        ]
    return "\n\n".join(blocks)


def _blocks(text: str) -> list[tuple[str, list[tuple[int, str]]]]:
    """The text's paragraphs: (heading, [(line number, sentence template)])."""
    blocks, title, lines = [], "", []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line and not lines:
            continue  # a blank line under a heading keeps it the paragraph's
        if line.startswith(HEADING) or not line:
            if title or lines:
                blocks.append((title, lines))
            title, lines = (line.lstrip(HEADING).strip(), []) if line else ("", [])
            continue
        lines.append((number, line))
    if title or lines:
        blocks.append((title, lines))
    return blocks


def text_problems(text: str, language: str, codes) -> list[str]:
    """What makes a summary's text unusable in `language`, each naming its line; none: usable."""
    errors = []
    for _title, lines in _blocks(text):
        for number, line in lines:
            errors.extend(
                _("Line %(line)s: %(problem)s") % {"line": number, "problem": problem}
                for problem in problems(line, language, codes)
            )
    return errors


def narrative(figures: list, language: str, text: str | None = None, quotes: list[dict] = ()) -> list[Paragraph]:
    """The summary's text from `text` (default: the catalogue's sentences): each paragraph with the
    sentences its figures fill, in their order; a line without placeholders is kept as written; a
    paragraph none of whose sentences has data is left out. `quotes` (reporting.figures.quotes)
    join the paragraph of their area, after its sentences (with_quotes)."""
    by_code = {figure.code: figure for figure in figures}
    paragraphs = []
    for title, lines in _blocks(catalogue_text(language) if text is None else text):
        linked = []
        for _number, line in lines:
            parts = render_parts(line, language, by_code) if PLACEHOLDER.search(line) else [(line, "")]
            if parts:
                linked.append(parts)
        if linked:
            sentences = ["".join(piece for piece, _code in parts) for parts in linked]
            paragraphs.append(Paragraph(title, sentences, linked))
    return with_quotes(paragraphs, by_code, language, quotes) if quotes else paragraphs


def _area_title(area: str, language: str) -> str:
    with translation.override(language):
        return capfirst(str(Area(area).label))


def _paragraph_area(paragraph: Paragraph, by_code: dict, language: str) -> str:
    """The area a paragraph is about: that of most of the figures it writes, else the area its
    heading names (a paragraph of lines without figures)."""
    areas = Counter(by_code[code].area for parts in paragraph.linked for _piece, code in parts if code in by_code)
    if areas:
        return areas.most_common(1)[0][0]
    return next((area for area in Area.values if paragraph.title == _area_title(area, language)), "")


def with_quotes(paragraphs: list[Paragraph], by_code: dict, language: str, quotes: list[dict]) -> list[Paragraph]:
    """Each quote after the sentences of the first paragraph of its area; an area the text has no
    paragraph of gets one of its own (headed by the area's name), after the others, in the
    areas' order."""
    areas = [_paragraph_area(paragraph, by_code, language) for paragraph in paragraphs]
    added: dict[str, Paragraph] = {}
    for quote in quotes:
        area = quote.get("area", "")
        if area in areas:
            paragraphs[areas.index(area)].quotes.append(quote)
        else:
            title = _area_title(area, language) if area in Area.values else ""
            added.setdefault(area, Paragraph(title, [], [])).quotes.append(quote)
    order = {area: index for index, area in enumerate(Area.values)}
    return paragraphs + [added[area] for area in sorted(added, key=lambda area: order.get(area, len(order)))]
