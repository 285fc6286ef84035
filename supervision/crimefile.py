"""A file of registered offences, one row each (CSV or XLSX, read by lib.tables): which column is
which field, found by its header in Kazakh, Russian or English, and each row's values checked.
Nothing here touches the database: `supervision.services.crime` knows the region's districts and
the gravity table, and writes the rows.

The columns (docs/supervision.md; a template is served beside the upload form):

| field | required | the header, as any of |
|---|---|---|
| registration date | yes | "registration date", "дата регистрации", "тіркелген күні" |
| district's KATO code | yes | "KATO", "КАТО", "код КАТО" |
| article of the Criminal Code | yes | "article", "статья", "бап" |
| part | no | "part", "часть", "бөлік" |
| gravity category | no | "gravity", "категория тяжести", "ауырлық санаты" |
| crime or criminal misdemeanour | no | "kind", "вид", "түрі" |
| solved | no | "solved", "раскрыто", "ашылды" |
| committed by a minor | no | "by a minor", "несовершеннолетним", "кәмелетке толмаған адам жасаған" |
| committed against a minor | no | "against a minor", "в отношении несовершеннолетнего" |
| registration number (ERDR) | no | "number", "номер", "ЕРДР", "нөмірі" |
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from lib.tables import TableFileError, parse_when

from .models import Gravity

REGISTERED_ON, KATO, ARTICLE, PART, GRAVITY, KIND, SOLVED, BY_MINOR, AGAINST_MINOR, NUMBER = (
    "registered_on",
    "kato",
    "article",
    "part",
    "gravity",
    "kind",
    "solved",
    "by_minor",
    "against_minor",
    "number",
)
REQUIRED = (REGISTERED_ON, KATO, ARTICLE)

# Each field's name for the reader (errors name the column by its header; this, where it is missing).
FIELD_NAMES = {
    REGISTERED_ON: _("registration date"),
    KATO: _("KATO code"),
    ARTICLE: _("article"),
    PART: _("part"),
    GRAVITY: _("gravity"),
    KIND: _("crime or criminal misdemeanour"),
    SOLVED: _("solved"),
    BY_MINOR: _("committed by a minor"),
    AGAINST_MINOR: _("committed against a minor"),
    NUMBER: _("registration number"),
}


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", str(text or "").strip().lower().replace("ё", "е"))


# The headers each field is known by (lower case, spaces folded), in English, Russian and Kazakh.
HEADERS = {
    REGISTERED_ON: ("registration date", "registered", "дата регистрации", "тіркелген күні", "тіркеу күні"),
    KATO: ("kato", "kato code", "като", "код като", "като коды"),
    ARTICLE: ("article", "статья", "статья ук", "бап"),
    PART: ("part", "часть", "бөлік", "бөлігі"),
    GRAVITY: ("gravity", "категория", "категория тяжести", "тяжесть", "ауырлық санаты", "ауырлығы"),
    KIND: ("kind", "вид", "түрі"),
    SOLVED: ("solved", "раскрыто", "ашылды", "ашылған"),
    BY_MINOR: ("by a minor", "несовершеннолетним", "совершено несовершеннолетним", "кәмелетке толмаған адам жасаған"),
    AGAINST_MINOR: (
        "against a minor",
        "в отношении несовершеннолетнего",
        "против несовершеннолетнего",
        "кәмелетке толмағанға қатысты",
    ),
    NUMBER: ("number", "номер", "ердр", "номер ердр", "erdr", "нөмірі", "нөмір"),
}
_FIELD_OF_HEADER = {_normal(title): name for name, titles in HEADERS.items() for title in titles}

# A category as the rows write it.
GRAVITY_WORDS = {
    Gravity.MISDEMEANOUR: (
        "misdemeanour",
        "criminal misdemeanour",
        "уголовный проступок",
        "проступок",
        "қылмыстық теріс қылық",
        "теріс қылық",
    ),
    Gravity.MINOR: ("minor", "minor gravity", "небольшой тяжести", "небольшая тяжесть", "онша ауыр емес"),
    Gravity.MEDIUM: ("medium", "medium gravity", "средней тяжести", "средняя тяжесть", "ауырлығы орташа"),
    Gravity.GRAVE: ("grave", "тяжкое", "тяжкий", "ауыр"),
    Gravity.PARTICULARLY_GRAVE: ("particularly grave", "особо тяжкое", "особо тяжкий", "аса ауыр"),
}
_GRAVITY_OF_WORD = {_normal(word): gravity for gravity, words in GRAVITY_WORDS.items() for word in words}
_GRAVITY_OF_WORD.update({gravity.value: gravity for gravity in Gravity})
CRIME_WORDS = ("crime", "преступление", "қылмыс")
MISDEMEANOUR_WORDS = GRAVITY_WORDS[Gravity.MISDEMEANOUR]
YES = ("1", "yes", "y", "true", "да", "д", "+", "иә", "и")
NO = ("", "0", "no", "n", "false", "нет", "н", "-", "жоқ")

ARTICLE_FORM = re.compile(r"^\d{1,3}(-\d{1,2})?$")
PART_FORM = re.compile(r"^\d{1,2}$")
KATO_FORM = re.compile(r"^\d{9}$")


def columns_of(header: list[str]) -> dict[str, int]:
    """Each field's column, found by its header; TableFileError naming the missing required
    fields (and the headers they are known by) when the file lacks one."""
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        name = _FIELD_OF_HEADER.get(_normal(title))
        if name and name not in columns:
            columns[name] = index
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise TableFileError(
            gettext_noop(
                "The file has no column for: %(fields)s. Its header must name them, as the template does "
                "(%(expected)s)."
            ),
            fields=", ".join(str(FIELD_NAMES[name]) for name in missing),
            expected="; ".join(f"{HEADERS[name][0]} / {HEADERS[name][2]}" for name in missing),
        )
    return columns


@dataclass(frozen=True)
class Row:
    """A row's values as read, before its district and its gravity from the table are known."""

    registered_on: date
    kato: str
    article: str
    part: str
    gravity: str | None  # as the row gives it
    solved: bool
    by_minor: bool
    against_minor: bool
    number: str


class RowError(ValueError):
    """A cell refused: `column` the field, `message` a msgid with its `params`."""

    def __init__(self, column: str, message: str, **params):
        self.column, self.message, self.params = column, message, params
        super().__init__(message)


def _flag(name: str, raw: str) -> bool:
    value = _normal(raw)
    if value in YES:
        return True
    if value in NO:
        return False
    raise RowError(name, gettext_noop("“%(value)s” is neither yes nor no (write 1 or 0, да or нет)."), value=raw)


def _gravity(raw_gravity: str, raw_kind: str) -> str | None:
    gravity = None
    if _normal(raw_gravity):
        gravity = _GRAVITY_OF_WORD.get(_normal(raw_gravity))
        if gravity is None:
            raise RowError(
                GRAVITY,
                gettext_noop(
                    "“%(value)s” is no gravity category: expected misdemeanour, minor, medium, grave or "
                    "particularly grave (уголовный проступок, небольшой / средней тяжести, тяжкое, особо тяжкое)."
                ),
                value=raw_gravity,
            )
    kind = _normal(raw_kind)
    if not kind:
        return gravity
    if kind in {_normal(word) for word in MISDEMEANOUR_WORDS}:
        if gravity not in (None, Gravity.MISDEMEANOUR):
            raise RowError(KIND, gettext_noop("The row says a criminal misdemeanour, and its gravity a crime's."))
        return Gravity.MISDEMEANOUR
    if kind in CRIME_WORDS:
        if gravity == Gravity.MISDEMEANOUR:
            raise RowError(KIND, gettext_noop("The row says a crime, and its gravity a criminal misdemeanour's."))
        return gravity
    raise RowError(KIND, gettext_noop("“%(value)s” is neither a crime nor a criminal misdemeanour."), value=raw_kind)


def read_row(cells: list[str], columns: dict[str, int], today: date) -> Row:
    """The row's values, or RowError for its first bad cell (the expected form in its message)."""

    def cell(name: str) -> str:
        index = columns.get(name)
        return str(cells[index]).strip() if index is not None and index < len(cells) else ""

    raw_date = cell(REGISTERED_ON)
    if not raw_date:
        raise RowError(REGISTERED_ON, gettext_noop("The registration date is missing."))
    try:
        registered_on = parse_when(raw_date).date()
    except ValueError:
        raise RowError(
            REGISTERED_ON, gettext_noop("The date is not a date (write it as 15.03.2025 or 2025-03-15).")
        ) from None
    if registered_on > today:
        raise RowError(REGISTERED_ON, gettext_noop("The date is in the future."))
    kato = cell(KATO)
    if not KATO_FORM.match(kato):
        raise RowError(
            KATO, gettext_noop("“%(value)s” is no KATO code: expected its nine digits, as 151010000."), value=kato
        )
    article = cell(ARTICLE).upper().replace("СТ.", "").replace("ST.", "").strip()
    if not ARTICLE_FORM.match(article):
        raise RowError(
            ARTICLE,
            gettext_noop("“%(value)s” is no article of the Criminal Code: expected its number, as 190 or 232-1."),
            value=cell(ARTICLE),
        )
    part = cell(PART)
    if part and not PART_FORM.match(part):
        raise RowError(
            PART, gettext_noop("“%(value)s” is no part of an article: expected its number, as 2."), value=part
        )
    return Row(
        registered_on=registered_on,
        kato=kato,
        article=article,
        part=part,
        gravity=_gravity(cell(GRAVITY), cell(KIND)),
        solved=_flag(SOLVED, cell(SOLVED)),
        by_minor=_flag(BY_MINOR, cell(BY_MINOR)),
        against_minor=_flag(AGAINST_MINOR, cell(AGAINST_MINOR)),
        number=cell(NUMBER)[:40],
    )
