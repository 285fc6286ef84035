"""Numbers as Tartip's texts write them, in kk, ru and en: grouped in the reader's language (CLDR,
through Babel), a percent with one decimal and ",0" dropped (61 %, 3,8 %), money from a million on
in the language's short form ("59,5 млн тенге", "59.5 million tenge", "59,5 млн теңге"), kg with
its sign. Model-free and below every app: the results summary (reporting.numbers, .phrases) and
the highlights of supervision (supervision.highlights) write their numbers with these."""

from decimal import Decimal

from babel import Locale
from babel.numbers import format_compact_decimal, format_decimal
from django.utils.translation import pgettext_lazy

from lib.metrics import Unit

# Shown for a figure that is not defined (a percent change on a base of 0).
NOT_AVAILABLE = pgettext_lazy("figure not defined", "n/a")
# From this value on, money is written in the short form ("59,5 млн тенге").
COMPACT_FROM = 1_000_000
CURRENCY = {"kk": "теңге", "ru": "тенге", "en": "tenge"}
UNIT_WORDS = {Unit.KG: {"kk": "кг", "ru": "кг", "en": "kg"}}


def number_text(value, language: str) -> str:
    if value is None:
        return str(NOT_AVAILABLE)
    return format_decimal(value, format="#,##0.#", locale=language)


def percent_text(value, language: str) -> str:
    """A percent (61, 3.8) in the language's percent pattern with at most one decimal."""
    if value is None:
        return str(NOT_AVAILABLE)
    pattern = Locale.parse(language).percent_formats[None].pattern.replace("#,##0", "#,##0.#")
    # The pattern multiplies by 100: the figure is a percent already.
    return format_decimal(Decimal(value) / 100, format=pattern, locale=language)


def amount_text(value, unit: str, language: str) -> str:
    """The value with its unit as a sentence writes it: money from a million on in the short form
    ("59,5 млн тенге", "59.5 million tenge"), below it grouped ("950 000 тенге"); kg and percent
    with their signs; a count alone ("1 043")."""
    if unit == Unit.TENGE:
        if abs(value) >= COMPACT_FROM:
            form = "long" if language == "en" else "short"
            number = format_compact_decimal(value, format_type=form, locale=language, fraction_digits=1)
        else:
            number = number_text(value, language)
        return f"{number}\u00a0{CURRENCY[language]}"
    if unit == Unit.PERCENT:  # as the tables write it: the language's percent pattern
        return percent_text(value, language)
    if unit in UNIT_WORDS:
        return f"{number_text(value, language)}\u00a0{UNIT_WORDS[unit][language]}"
    return number_text(value, language)
