"""Amounts of tenge as people and banks write them, read into one Decimal: the one reader of
amounts that a bank's notice, a partner's answer in a page and a partner's filled list all use."""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_noop

CURRENCY = re.compile(r"(₸|kzt|тенге|теңге|тг\.?)", re.IGNORECASE)
SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
TOO_LARGE = Decimal("1e14")
NOT_A_NUMBER = gettext_noop("The amount is not a number.")


def parse_tenge(raw) -> Decimal:
    """Tenge written any way: "59 500,00", "59,500.00", "1,250,000.50", "59500", "59.500,5 ₸", or a
    number a spreadsheet holds. The separator that comes last is the decimal one unless three digits
    follow it once alone (tiyn have two decimals: "59,500" is fifty-nine thousand five hundred).
    ValueError (its message untranslated, gettext_noop's) when it is not an amount."""
    if isinstance(raw, bool):
        raise ValueError(NOT_A_NUMBER)
    text = str(raw) if isinstance(raw, int | float | Decimal) else _plain(raw or "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(NOT_A_NUMBER) from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(NOT_A_NUMBER)
    if amount != amount.quantize(Decimal("0.01")) or amount >= TOO_LARGE:
        raise ValueError(gettext_noop("The amount has more than two decimals or is too large."))
    return amount.quantize(Decimal("0.01"))


def _plain(written: str) -> str:
    """The digits of a written amount with a "." before its decimals, if any."""
    text = SPACES.sub("", CURRENCY.sub("", written))
    if not text:
        raise ValueError(NOT_A_NUMBER)
    last = max(text.rfind(","), text.rfind("."))
    if last < 0:
        return text
    whole, decimals, separator = text[:last], text[last + 1 :], text[last]
    alone = "," not in whole and "." not in whole
    if len(decimals) == 3 and (text.count(separator) > 1 or alone):  # a thousands' separator
        whole, decimals = text, ""
    return re.sub(r"[.,]", "", whole) + ("." + decimals if decimals else "")
