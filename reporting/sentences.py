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
from dataclasses import dataclass

from django.utils import translation
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


def render(text: str, language: str, figures: dict) -> str | None:
    """The sentence with its placeholders filled from `figures` (code -> Figure), or None when it
    is left out (no figure of it has a value, or one placeholder cannot be filled)."""
    found, errors = placeholders(text, figures)
    if errors or not found:
        return None
    if not any(figures[placeholder.code].value for placeholder in found):
        return None  # an area without data is left out, never written as zero
    try:
        filled = {placeholder.text: _fill(placeholder, figures[placeholder.code], language) for placeholder in found}
    except (Unfilled, GrammarError):
        return None
    return PLACEHOLDER.sub(lambda match: filled[match.group(0)], text)


@dataclass(frozen=True)
class Paragraph:
    area: str
    title: str
    sentences: list[str]


def narrative(figures: list, language: str) -> list[Paragraph]:
    """The summary's text: a paragraph per area, in the catalogue's order of areas (the reference
    documents'), each of the area's sentences that its figures fill, in their order; an area none
    of whose sentences has data is left out."""
    by_code = {figure.code: figure for figure in figures}
    templates = SentenceTemplate.objects.filter(retired_at__isnull=True).order_by("order", "code")
    by_area: dict[str, list[str]] = {}
    for template in templates:
        sentence = render(template.text(language), language, by_code)
        if sentence:
            by_area.setdefault(template.area, []).append(sentence)
    with translation.override(language):
        return [Paragraph(area, str(Area(area).label), by_area[area]) for area in Area.values if by_area.get(area)]
