"""An aggregated table of crime statistics (district rows × indicator columns, cumulative from
1 January to a month's end), read by a column-mapping file. Nothing here touches the database:
`supervision.services.crime_tables` turns the cumulative figures into the months'.

A mapping is a JSON file (the shipped ones in `supervision/mappings/`):

    {"name": "...", "verified": false, "note": "...",
     "district_column": ["КАТО", "Код КАТО"],          # the headers the KATO column may have
     "columns": {"Зарегистрировано преступлений": "crime.registered", ...}}   # header -> metric

Headers are compared without case and extra spaces. A column the mapping does not name is
ignored; a mapped column the table lacks refuses the file (its headers were edited).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext_noop

from lib.tables import TableFileError, column_letter

MAPPINGS = Path(__file__).resolve().parent / "mappings"
KATO_FORM = re.compile(r"^\d{9}$")


def _normal(text) -> str:
    return re.sub(r"\s+", " ", str(text or "").strip().lower().replace("ё", "е"))


@dataclass(frozen=True)
class Mapping:
    name: str
    verified: bool
    note: str
    district_column: tuple[str, ...]
    columns: dict[str, str]  # header -> metric code


def shipped() -> dict[str, Mapping]:
    """The mappings shipped with Tartip, by file name."""
    return {path.name: parse_mapping(path.read_bytes()) for path in sorted(MAPPINGS.glob("*.json"))}


def parse_mapping(content: bytes, known_codes: frozenset[str] | None = None) -> Mapping:
    """A mapping file read and checked; TableFileError saying what is wrong with it."""
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise TableFileError(gettext_noop("The mapping is not a JSON file.")) from None
    if not isinstance(data, dict) or not isinstance(data.get("columns"), dict) or not data["columns"]:
        raise TableFileError(gettext_noop("The mapping names no column: it needs “columns”, a header for each metric."))
    districts = data.get("district_column")
    if isinstance(districts, str):
        districts = [districts]
    if not districts or not all(isinstance(title, str) for title in districts):
        raise TableFileError(gettext_noop("The mapping names no district column (“district_column”)."))
    columns = {str(header): str(code) for header, code in data["columns"].items()}
    unknown = sorted({code for code in columns.values() if known_codes is not None and code not in known_codes})
    if unknown:
        raise TableFileError(
            gettext_noop("The mapping names metrics Tartip does not compute: %(codes)s."), codes=", ".join(unknown)
        )
    return Mapping(
        name=str(data.get("name") or ""),
        verified=bool(data.get("verified", False)),
        note=str(data.get("note") or ""),
        district_column=tuple(districts),
        columns=columns,
    )


@dataclass
class Table:
    """The cumulative figures by KATO code and metric, or the cells' problems."""

    cumulative: dict[str, dict[str, int]] = field(default_factory=dict)
    problems: list[tuple[str, str, dict]] = field(default_factory=list)  # (cell, msgid, params)


def locate(header: list[str], mapping: Mapping) -> tuple[int, dict[int, str]]:
    """The KATO column's index and each mapped column's (index -> code); TableFileError naming the
    headers the table lacks."""
    normal = [_normal(title) for title in header]
    district = next((normal.index(_normal(t)) for t in mapping.district_column if _normal(t) in normal), None)
    missing = [title for title in mapping.columns if _normal(title) not in normal]
    if district is None:
        missing.insert(0, mapping.district_column[0])
    if missing:
        raise TableFileError(
            gettext_noop(
                "The table lacks the columns the mapping names: %(headers)s. Its headers may have been edited: "
                "send the table as the statistics give it, or a mapping of its headers."
            ),
            headers="; ".join(f"“{title}”" for title in missing),
        )
    return district, {normal.index(_normal(title)): code for title, code in mapping.columns.items()}


def read(rows, header: list[str], mapping: Mapping, district_katos: set[str], region_kato: str) -> Table:
    """The table's cumulative figures: one row a district by its KATO code (the region's own row,
    a total, is left out), each mapped cell a whole number of zero or more."""
    district_index, columns = locate(header, mapping)
    table = Table()
    for number, cells in rows:
        kato = str(cells[district_index]).strip() if district_index < len(cells) else ""
        if not kato or kato == region_kato:
            continue
        cell = f"{column_letter(district_index)}{number}"
        if not KATO_FORM.match(kato) or kato not in district_katos:
            table.problems.append(
                (
                    cell,
                    gettext_noop(
                        "“%(value)s” is no KATO code of the region's districts: expected nine digits, as %(example)s."
                    ),
                    {"value": kato, "example": min(district_katos) if district_katos else "151010000"},
                )
            )
            continue
        if kato in table.cumulative:
            table.problems.append((cell, gettext_noop("The district %(kato)s has a row already."), {"kato": kato}))
            continue
        figures = {}
        for index, code in columns.items():
            raw = str(cells[index]).strip().replace("\u00a0", "").replace(" ", "") if index < len(cells) else ""
            try:
                value = Decimal(raw or "0")
            except InvalidOperation:
                value = None
            if value is None or value < 0 or value != value.to_integral_value():
                table.problems.append(
                    (
                        f"{column_letter(index)}{number}",
                        gettext_noop("“%(value)s” is not a whole number of zero or more."),
                        {"value": raw},
                    )
                )
                continue
            figures[code] = int(value)
        table.cumulative[kato] = figures
    if not table.cumulative and not table.problems:
        table.problems.append(("", gettext_noop("The table has no district's row."), {}))
    return table
