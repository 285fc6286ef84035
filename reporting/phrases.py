"""A figure as a sentence says it, in kk, ru and en: the number and what it counts agreeing ("1
обращение, 2 обращения, 5 обращений"; "1 report, 2 reports"; "5 өтініш": a Kazakh noun stays
singular after a numeral), money from a million on in the language's short form ("59,5 млн
тенге", "59.5 million tenge", "59,5 млн теңге"), and the hedge the metric asks for ("более 1 000
обращений", "more than 1,000 reports", "1 000-нан астам өтініш").

The libraries made for each part: Babel for the CLDR number, compact and plural rules; pymorphy3
(with its Russian dictionary) for the Russian noun's form agreeing with the number and the case a
hedge governs ("более" and "свыше", "около" take the genitive); num2words for the Kazakh words a
numeral is read as, whose last sound chooses the ablative suffix "астам" ("more than") asks for
(-нан after м, н, ң; -тан after a voiceless consonant or б, в, г, д; -дан after a vowel or any
other consonant; -ден, -тен, -нен after a front vowel). The sentence templates (a later step)
compose these phrases; tables show the exact number (reporting.numbers).
"""

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from babel import Locale
from num2words import num2words

from lib.metrics import Hedging, Unit

# The value with its unit (amount_text) is lib.numbers' (supervision's highlights write theirs too).
from lib.numbers import CURRENCY, amount_text

from .numbers import hedge

# How a Kazakh reader reads the units' signs: the word whose sound the ablative follows.
SPOKEN_KK = {Unit.KG: "килограмм", Unit.PERCENT: "пайыз"}


@dataclass(frozen=True)
class Noun:
    """What a count counts, in each language: the Kazakh and Russian dictionary forms ("өтініш",
    "обращение") and the English singular and plural ("report", "reports")."""

    kk: str
    ru: str
    en: tuple[str, str]


class GrammarError(ValueError):
    """A noun the language's grammar cannot make agree with a number (unknown to the dictionary)."""


# --- numbers ---------------------------------------------------------------------------------


def _is_whole(value) -> bool:
    return Decimal(value) == Decimal(value).to_integral_value()


# --- Russian -------------------------------------------------------------------------------------


@cache
def _morph():
    import pymorphy3  # the dictionary loads once, when a Russian phrase is first asked for

    return pymorphy3.MorphAnalyzer()


def russian_agreeing(noun: str, value, case: str = "nomn") -> str:
    """The Russian noun in the form the number asks for, in `case` (pymorphy3's tags: nomn, gent...):
    1 обращение, 2 обращения, 5 обращений; genitive 1 обращения, 5 обращений. A fraction takes the
    genitive singular (2,5 тонны)."""
    parses = [parse for parse in _morph().parse(noun) if "NOUN" in parse.tag]
    if not parses:
        raise GrammarError(f"“{noun}” is not a Russian noun the dictionary knows.")
    word = parses[0]
    if case != "nomn":
        word = word.inflect({case})
    if word is None:
        raise GrammarError(f"“{noun}” has no {case} form.")
    whole = _is_whole(value)
    form = word.make_agree_with_number(abs(int(value))) if whole else word.inflect({"gent", "sing"})
    if form is None:
        raise GrammarError(f"“{noun}” does not agree with {value}.")
    # The dictionary writes ё; official texts mostly do not: the noun keeps the template's spelling
    # ("счет" gives "счетов", "счёт" gives "счётов").
    return form.word if "ё" in noun else form.word.replace("ё", "е")


# --- Kazakh -------------------------------------------------------------------------------------

BACK_VOWELS = set("аоұыя")
FRONT_VOWELS = set("әеөүіэи")
VOWELS = BACK_VOWELS | FRONT_VOWELS | set("ую")
NASALS = set("мнң")
# Voiceless consonants and б, в, г, д: the ablative's т.
HARD = set("кқпстфхцчшщбвгд")


def _ablative_suffix(word: str) -> str:
    """The ablative suffix the word's last sound and vowel harmony choose."""
    word = word.lower().rstrip()
    vowels = [letter for letter in word if letter in BACK_VOWELS | FRONT_VOWELS]
    front = bool(vowels) and vowels[-1] in FRONT_VOWELS
    last = word[-1]
    if last in NASALS:
        start = "н"
    elif last in HARD:
        start = "т"
    else:
        start = "д"
    return start + ("ен" if front else "ан")


def kazakh_ablative(value=None, *, word: str = "") -> str:
    """The ablative ending of a number written in digits ("1 000" -> "-нан": мың; "5" -> "-тен":
    бес), or of a word ("теңге" -> "ден")."""
    if word:
        return _ablative_suffix(word)
    spoken = num2words(int(value) if _is_whole(value) else float(value), lang="kz")
    return "-" + _ablative_suffix(spoken.split()[-1])


# --- the phrase ---------------------------------------------------------------------------------

HEDGES = {
    "ru": {Hedging.MORE_THAN: "более", Hedging.OVER: "свыше", Hedging.ABOUT: "около"},
    "en": {Hedging.MORE_THAN: "more than", Hedging.OVER: "over", Hedging.ABOUT: "about"},
    # Kazakh: "about" comes before the number; "more than" and "over" after its ablative.
    "kk": {Hedging.MORE_THAN: "астам", Hedging.OVER: "артық", Hedging.ABOUT: "шамамен"},
}


def _whole_kilograms(value, unit: str, hedging: str) -> int | None:
    """The leading figures a weight under a hundred kilograms keeps when hedged: its whole part, as
    the press releases write "more than 76 kg" for 76.4 (None: the general rule)."""
    if unit != Unit.KG or hedging == Hedging.ABOUT or not value or not 1 <= abs(value) < 100:
        return None
    return len(str(int(abs(value))))


def phrase(value, unit: str, language: str, *, hedging: str = Hedging.EXACT, noun: Noun | None = None) -> str:
    """The figure as a sentence gives it, hedged by its metric's kind, with what it counts agreeing:
    1,043 reports hedged "more than" reads "более 1 000 обращений", "more than 1,000 reports",
    "1 000-нан астам өтініш"."""
    hedged = hedge(value, hedging, _whole_kilograms(value, unit, hedging))
    number = amount_text(hedged.value, unit, language)
    kind = hedged.kind
    if language == "ru":
        case = "nomn" if kind == Hedging.EXACT else "gent"  # более, свыше, около: the genitive
        counted = f"{number} {russian_agreeing(noun.ru, hedged.value, case)}" if noun else number
        return counted if kind == Hedging.EXACT else f"{HEDGES['ru'][kind]} {counted}"
    if language == "en":
        if noun:
            plural = Locale.parse("en").plural_form(hedged.value)
            number = f"{number} {noun.en[0] if plural == 'one' else noun.en[1]}"
        return number if kind == Hedging.EXACT else f"{HEDGES['en'][kind]} {number}"
    # Kazakh: the noun stays singular after a numeral.
    if kind == Hedging.EXACT:
        return f"{number} {noun.kk}" if noun else number
    if kind == Hedging.ABOUT:
        return f"{HEDGES['kk'][kind]} {number} {noun.kk}" if noun else f"{HEDGES['kk'][kind]} {number}"
    if unit == Unit.TENGE:  # the suffix goes on the unit's word: теңгеден
        number = f"{number}{kazakh_ablative(word=CURRENCY['kk'])}"
    elif unit in SPOKEN_KK:  # on its sign, as the word is read: кг-нан
        number = f"{number}-{kazakh_ablative(word=SPOKEN_KK[unit])}"
    else:
        number = f"{number}{kazakh_ablative(hedged.value)}"
    return f"{number} {HEDGES['kk'][kind]} {noun.kk}" if noun else f"{number} {HEDGES['kk'][kind]}"
