"""Numbers as the summary writes them: grouped in the reader's language (CLDR, through Babel), a
percent with one decimal and ",0" dropped (61 %, 7 %, 3,8 %), and the hedged value a text may give
instead of the exact one (DESIGN.md: "more than 1,000", "about 8 billion"). Tables always show the
exact value."""

import math
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from lib.metrics import Hedging

# The numbers themselves are written by lib.numbers (supervision's highlights write theirs too).
from lib.numbers import NOT_AVAILABLE, number_text, percent_text

__all__ = ["NOT_AVAILABLE", "Hedged", "hedge", "number_text", "percent_text"]


@dataclass(frozen=True)
class Hedged:
    kind: str  # lib.metrics.Hedging; EXACT when the value is given as it is
    value: int | Decimal


def _leading_figures(number: Decimal) -> int:
    """How many leading figures a hedged value keeps, as the press releases write them: two while
    they read under 30 ("more than 25,000", "more than 1,000"), one above ("over 7,000")."""
    leading = int(abs(number) / Decimal(10) ** (math.floor(math.log10(abs(number))) - 1))
    return 2 if leading < 30 else 1


def hedge(value, kind: str, figures: int | None = None) -> Hedged:
    """The value a text gives for a metric hedged by `kind`: "more than" and "over" floor it to its
    leading figures (1,043 -> more than 1,000; 25,480 -> more than 25,000; 7,212 -> over 7,000);
    "about" rounds it (7.9 billion -> about 8 billion). A value that is already round is given
    exactly (1,000 is not "more than 1,000")."""
    if kind == Hedging.EXACT or not value:
        return Hedged(Hedging.EXACT, value)
    number = Decimal(value)
    if figures is None:
        figures = _leading_figures(number) if abs(number) >= 10 else 1
    magnitude = Decimal(10) ** (math.floor(math.log10(abs(number))) - figures + 1)
    mode = ROUND_HALF_UP if kind == Hedging.ABOUT else ROUND_FLOOR
    rounded = (number / magnitude).quantize(Decimal(1), rounding=mode) * magnitude
    rounded = int(rounded) if rounded == rounded.to_integral_value() else rounded
    if rounded == number:
        return Hedged(Hedging.EXACT, value)
    return Hedged(kind, rounded)
