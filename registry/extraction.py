"""The indicators a citizen's text names: a cheap regular expression finds the candidates, and
only those are read by their kind's rules (registry.indicators), so a long text without any costs
one scan.

Not taken: a date or a time, an amount of money, a report's reference, a number failing its
checksum (a card's Luhn digit, an IIN's check digit), a value of no valid kind. What is on the
allow-list, or is the reporter's own contact, the caller leaves out (registry.services).
"""

import re

from .indicators import Indicator, InvalidIndicator, Kind, normalize

# The candidates, in one pass. Each alternative is a group the reading below dispatches on.
CANDIDATES = re.compile(
    r"""
    (?P<link>(?:https?://|www\.)[^\s<>"'«»]+
        | (?:t|telegram)\.me/[A-Za-z0-9_+/]+
        | (?<![@\w.])[A-Za-z0-9\u0400-\u04ff-]+(?:\.[A-Za-z0-9\u0400-\u04ff-]+)*
          \.(?:kz|ru|com|net|org|info|biz|shop|store|site|online|xyz|top|io|me|su|cc|pro|club|рф|қаз)
          (?:/[^\s<>"'«»]*)?(?![\w.])
    )
    | (?P<telegram>(?<![\w.@])@[A-Za-z][A-Za-z0-9_]{3,31}(?![\w@.]))
    | (?P<iban>(?<![\w])[A-Za-z]{2}\d{2}(?:[ \-]?[A-Za-z0-9]){12,30}(?![\w]))
    | (?P<number>(?<!\w)(?<!\d[.,/:])\+?\d(?:[ \-()]{0,2}\d){8,18}
        (?!\w|[.,/:]\d|\s?(?:тг|тенге|теңге|₸|тнг|руб|kzt|tg)\b))
    """,
    re.VERBOSE | re.IGNORECASE,
)
# A report's reference (AKT-2025-000123): its digits are no phone.
REFERENCE = re.compile(r"\b[A-Z]{3}-\d{4}-\d{6}\b")
TRAILING = ".,;:!?)»\"'"


def _number(text: str) -> Indicator | None:
    digits = re.sub(r"\D", "", text)
    kinds = []
    if len(digits) == 12:
        kinds = [Kind.BIN, Kind.IIN]
    elif 13 <= len(digits) <= 19 and not text.startswith("+"):
        kinds = [Kind.CARD]
    if text.startswith("+") or 10 <= len(digits) <= 11 or (len(digits) == 12 and text.startswith("+")):
        kinds = [Kind.PHONE, *kinds] if text.startswith("+") else [*kinds, Kind.PHONE]
    for kind in kinds:
        try:
            return normalize(kind, text)
        except InvalidIndicator:
            continue
    return None


def _read(kind: str, text: str) -> Indicator | None:
    try:
        return normalize(kind, text)
    except InvalidIndicator:
        return None


def extract(text: str) -> list[Indicator]:
    """The valid indicators the text names, each once, in the order they appear."""
    text = REFERENCE.sub(" ", text or "")
    found: dict[tuple[str, str], Indicator] = {}
    for match in CANDIDATES.finditer(text):
        group = match.lastgroup
        value = match.group(group).rstrip(TRAILING)
        if group == "number":
            indicator = _number(value)
        elif group == "iban":
            indicator = _read(Kind.IBAN, value)
        elif group == "telegram":
            indicator = _read(Kind.TELEGRAM, value)
        else:
            indicator = _read(Kind.WEBSITE, value)
        if indicator is not None:
            found.setdefault((indicator.kind, indicator.value), indicator)
    return list(found.values())
