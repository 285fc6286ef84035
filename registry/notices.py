"""A bank's or the antifraud centre's notice (CSV or XLSX): what its columns are (each mapped to
an indicator's kind or to what the row says about it, guessed from its header in Kazakh, Russian or
English) and whether a mapping can be read. The file itself is read by lib.tables (its kind, its
encoding, its header, its rows streamed, the cells it cannot read); `registry.services.notices`
stores it, keeps the notice's mapping and writes the rows' sightings. Nothing here touches the
database.
"""

from __future__ import annotations

import re

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from lib.tables import TableFileError

from .indicators import Kind


class Field(models.TextChoices):
    """What a column of a notice is: an indicator of one of the registry's kinds, or what the row
    says about it."""

    IBAN = Kind.IBAN.value, Kind.IBAN.label
    CARD = Kind.CARD.value, Kind.CARD.label
    PHONE = Kind.PHONE.value, Kind.PHONE.label
    WEBSITE = Kind.WEBSITE.value, Kind.WEBSITE.label
    TELEGRAM = Kind.TELEGRAM.value, Kind.TELEGRAM.label
    MESSENGER = Kind.MESSENGER.value, Kind.MESSENGER.label
    WALLET = Kind.WALLET.value, Kind.WALLET.label
    CRYPTO = Kind.CRYPTO.value, Kind.CRYPTO.label
    IIN = Kind.IIN.value, _("holder's IIN")
    BIN = Kind.BIN.value, _("holder's BIN")
    AMOUNT = "amount", _("amount, tenge")
    DATE = "date", _("date of the operation")
    DISTRICT = "district", _("district (KATO code or name)")
    NOTE = "note", _("note")
    IGNORE = "", _("ignore")


INDICATOR_FIELDS = frozenset(Kind.values)

# A header's words, in Kazakh, Russian and English, and the field they name; the first rule that
# matches wins (an "IIN" column is the holder's, never an account; "card account" is a card).
HEADER_RULES: tuple[tuple[str, str], ...] = (
    (Field.IIN, r"\b(иин|жсн|iin)\b"),
    (Field.BIN, r"\b(бин|бсн|bin)\b"),
    (Field.IBAN, r"iban|\b(иик|жск)\b|сч[её]т|шот|account"),
    (Field.CARD, r"карт|card|pan\b"),
    (Field.CRYPTO, r"крипт|crypto|usdt|btc|bitcoin"),
    (Field.TELEGRAM, r"telegram|телеграм"),
    (Field.PHONE, r"телефон|\bтел\b|phone|мобил|ұялы"),
    (Field.WALLET, r"кошел|әмиян|wallet|\bqr\b"),
    (Field.WEBSITE, r"сайт|site|url|ссылк|сілтеме|link|домен"),
    (Field.MESSENGER, r"мессенджер|messenger|whatsapp|viber"),
    (Field.AMOUNT, r"сумм|сома|amount|\bsum\b"),
    (Field.DATE, r"дата|күн|date"),
    (Field.DISTRICT, r"като|kato|район|аудан|district"),
    (Field.NOTE, r"примеч|коммент|ескерт|назначен|note|comment|purpose"),
)


# --- the mapping --------------------------------------------------------------------------------


def guess_mapping(header: list[str]) -> list[str]:
    """Each column's field guessed from its header (ru, kk, en); a field is given to its first
    column only, the rest ignored until the user says otherwise."""
    taken: set[str] = set()
    mapping = []
    for title in header:
        lowered = title.lower().replace("ё", "е") if title else ""
        guess = Field.IGNORE
        for candidate, pattern in HEADER_RULES:
            if candidate not in taken and re.search(pattern, lowered):
                guess = candidate
                break
        if guess:
            taken.add(guess)
        mapping.append(str(guess))
    return mapping


def check_mapping(mapping: list[str]) -> None:
    """A mapping that can be read: at least one column an indicator, no field given twice."""
    if not any(field in INDICATOR_FIELDS for field in mapping):
        raise TableFileError(
            gettext_noop(
                "No column is an account, a card, a phone or another indicator: the notice's columns are not "
                "the ones expected, and nothing was read."
            )
        )
    seen = set()
    for value in mapping:
        if value and value in seen:
            raise TableFileError(
                gettext_noop("Two columns are mapped to “%(field)s”: map each field to one column."),
                field=str(Field(value).label),
            )
        seen.add(value)
