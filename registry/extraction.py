"""The indicators a citizen's text names: a cheap regular expression finds the candidates, and
only those are read by their kind's rules (registry.indicators), so a long text without any costs
one scan.

Not taken: a date or a time, an amount of money, a report's reference, a number failing its
checksum (a card's Luhn digit, an IIN's check digit), a value of no valid kind. What is on the
allow-list, or is the reporter's own contact, the caller leaves out (registry.services).
"""

import re

from .indicators import Indicator, InvalidIndicator, Kind, normalize

# The candidates, in one pass. Each alternative is a group the reading below dispatches on. A
# candidate's end is checked with its neighbours: a sentence's full stop may follow a name or a
# site ("@shop_kz." and "shop.kz."), an e-mail's domain may not be taken for a site, an amount
# of money is no phone, and a Kazakh case ending may be glued to a number ("87011234567ден").
CANDIDATES = re.compile(
    r"""
    (?P<link>(?:https?://|www\.)[^\s<>"'«»]+
        | (?:t|telegram)\.me/[A-Za-z0-9_+/\-]+
        | (?<![@\w.\-])[A-Za-z0-9\u0400-\u04ff-]+(?:\.[A-Za-z0-9\u0400-\u04ff-]+)*
          \.(?:kz|ru|com|net|org|info|biz|shop|store|site|online|xyz|top|io|me|su|cc|pro|club|рф|қаз)
          (?:/[^\s<>"'«»]*)?(?!\w|\.\w)
    )
    | (?P<crypto>(?<![\w])(?:0x[0-9a-fA-F]{40}|bc1[02-9ac-hj-np-z]{11,71}|T[1-9A-HJ-NP-Za-km-z]{33}
        |[13][1-9A-HJ-NP-Za-km-z]{25,34})(?![\w]))
    | (?P<telegram>(?<![\w.@])@[A-Za-z][A-Za-z0-9_]{3,31}(?![\w@]|\.\w))
    | (?P<iban>(?<![\w])[A-Za-z]{2}\d{2}(?:[ \-]?[A-Za-z0-9]){12,30}(?![\w]))
    | (?P<number>(?<![\dA-Za-z_])(?<!\d[.,/:])\+?\d(?:[ \-()]{0,2}\d){8,18}
        (?![\dA-Za-z_]|[.,/:]\d|\s?(?:тг|тенге|теңге|tenge|₸|тнг|руб|kzt|tg|млн|млрд|mln|bn)))
    """,
    re.VERBOSE | re.IGNORECASE,
)
# A report's reference (AKT-2025-000123): its digits are no phone.
REFERENCE = re.compile(r"\b[A-Z]{3}-\d{4}-\d{6}\b")
TRAILING = ".,;:!?)»\"'"
# Words before a bare number that make it a parcel's, an order's or a document's number, not a
# phone written without its prefix.
LABELS = re.compile(
    r"(?:трек|tracking|track|заказ|order|чек|receipt|квитанц|invoice|договор|contract|накладн|посылк|parcel"
    r"|тапсырыс|түбіртек|шарт)\w*[^\d]{0,20}$",
    re.IGNORECASE,
)
# The lengths a run of digits is most likely cut to when it ran into the next number ("карта
# 4400 4301 2345 6786 50 000 тг"): a card's, an IIN's, a phone's with and without its prefix.
LIKELY_LENGTHS = (16, 12, 11, 10, 15, 19, 13, 14, 17, 18)


def _kinds(text: str, digits: str, labelled: bool) -> list[str]:
    plus = text.startswith("+")
    kinds = []
    if len(digits) == 12 and not plus:
        kinds = [Kind.BIN, Kind.IIN]
    elif 13 <= len(digits) <= 19 and not plus:
        kinds = [Kind.CARD]
    bare = len(digits) == 10 and not plus
    if plus or len(digits) == 11 or (bare and not labelled):
        kinds.append(Kind.PHONE)
    return kinds


def _first_valid(text: str, labelled: bool) -> Indicator | None:
    digits = re.sub(r"\D", "", text)
    for kind in _kinds(text, digits, labelled):
        try:
            return normalize(kind, text)
        except InvalidIndicator:
            continue
    return None


def _prefixes(text: str):
    """The run cut after each of its groups (a space or a dash ends one), by likely length."""
    cuts = {}
    for match in re.finditer(r"[ \-]", text):
        head = text[: match.start()]
        cuts.setdefault(len(re.sub(r"\D", "", head)), head)
    return [cuts[length] for length in LIKELY_LENGTHS if length in cuts]


# A card written in four groups of four, and more digits after it: those are the next number's.
GROUPED_CARD = re.compile(r"(\d{4}[ \-]\d{4}[ \-]\d{4}[ \-]\d{4})[ \-]\d")


def _number(text: str, before: str) -> Indicator | None:
    labelled = bool(LABELS.search(before))
    grouped = GROUPED_CARD.match(text)
    for candidate in ([grouped.group(1)] if grouped else []) + [text, *_prefixes(text)]:
        found = _first_valid(candidate, labelled)
        if found is not None:
            return found
    return None


def _iban(text: str) -> Indicator | None:
    """An IBAN, or one that ran into the next word ("KZ94 9149 … 5492 Kaspi Gold"): cut at a space."""
    found = _read(Kind.IBAN, text)
    words = text.split(" ")
    while found is None and len(words) > 4:
        words.pop()
        found = _read(Kind.IBAN, " ".join(words))
    return found


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
            indicator = _number(value, text[max(0, match.start() - 40) : match.start()])
        elif group == "iban":
            indicator = _iban(value)
        elif group == "crypto":
            indicator = _read(Kind.CRYPTO, value)
        elif group == "telegram":
            indicator = _read(Kind.TELEGRAM, value)
        else:
            indicator = _read(Kind.WEBSITE, value)
        if indicator is not None:
            found.setdefault((indicator.kind, indicator.value), indicator)
    return list(found.values())
