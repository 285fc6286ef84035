"""What is published protects people: the one place every published output of the summary asks
(its documents, reporting.documents; its standalone page, reporting.output; the press releases).

- A part of a breakdown that counts rows of a sensitive category (figures.Part.sensitive; not
  known counts as sensitive) never shows a count below SUPPRESSED_BELOW: 1 or 2 reports of a
  child at risk in a region may name the child. The count is withheld ("<3"), and so is every
  number it could be worked out from: the part's change, and a share whose numerator or
  denominator is withheld ("—"). An amount or a duration of a sensitive part (no count to judge
  it by) is withheld always.
- Those categories are never broken down by district: a summary below the region keeps no
  sensitive part at all (reporting.figures leaves them out already; a version frozen before that
  may hold some).
- Nothing published links to the records behind a figure: `provenance_free` says whether a text
  holds such a link, for the tests and for the outputs that take text from elsewhere.

Call `protected(summary)` before writing anything published, and write a part's numbers with
`part_cell`; the figures' own totals and the districts' totals are published as they are."""

import copy
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from lib.metrics import COUNTED_UNITS, Unit
from lib.plugins import metric_groups

from .figures import Figure, Part, Summary
from .numbers import number_text, percent_text

SUPPRESSED_BELOW = 3
# How a withheld number reads: a count, and anything else that would give one away.
FEWER_THAN = f"<{SUPPRESSED_BELOW}"
WITHHELD = "—"
# The path of the pages behind the figures (reporting.urls): never in a published document.
PROVENANCE_PATHS = ("/reporting/figures/", "/figures/")


@dataclass
class Withheld(Part):
    """A part of a breakdown with some numbers withheld: `shown_as` maps each withheld number's
    name (value, base, change_percent, rate) to what is written instead; those numbers are None."""

    shown_as: dict[str, str] = field(default_factory=dict)


def small(count) -> bool:
    """A count that is not published in a sensitive category: 1 or 2 (none is nobody)."""
    return count is not None and 0 < count < SUPPRESSED_BELOW


def _ratios() -> dict[str, tuple[str, str]]:
    """A share's code -> (numerator's code, denominator's code), as the apps declare them."""
    return {metric.code: metric.ratio for group in metric_groups() for metric in group.metrics if metric.ratio}


def _same_part(figures: dict[str, Figure], code: str, dimension: str, key: str) -> Part | None:
    figure = figures.get(code)
    if figure is None:
        return None
    return next((part for part in figure.by.get(dimension, []) if part.key == key), None)


def _withheld_numbers(figure: Figure, dimension: str, part: Part, figures: dict, ratios: dict) -> dict[str, str]:
    """The numbers of a sensitive part that may not be published, and what is written instead."""
    if figure.unit in COUNTED_UNITS:
        shown = {name: FEWER_THAN for name in ("value", "base") if small(getattr(part, name))}
    elif figure.code in ratios:
        shown = {}
        for code in ratios[figure.code]:
            counted = _same_part(figures, code, dimension, part.key)
            for name in ("value", "base"):
                if counted is None or small(getattr(counted, name)):
                    shown[name] = WITHHELD
    else:
        shown = {"value": WITHHELD, "base": WITHHELD}
    if shown:
        shown.setdefault("change_percent", WITHHELD)
        shown.setdefault("rate", WITHHELD)
    return shown


def _withheld(part: Part, shown_as: dict[str, str]) -> Withheld:
    fields = {name: value for name, value in vars(part).items() if name != "shown_as"}
    return Withheld(**{**fields, **dict.fromkeys(shown_as)}, shown_as=shown_as)


def protected(summary: Summary) -> Summary:
    """A copy of the summary that may be published (the module's rules): its sensitive parts'
    small counts, and what would give them away, withheld (Withheld parts); below the region, no
    sensitive part at all. The summary itself is not changed. A note says what was withheld."""
    published = copy.deepcopy(summary)
    below_region = summary.request.district_ids is not None
    figures = {figure.code: figure for figure in summary.figures}
    ratios = _ratios()
    withheld_any = False
    for figure in published.figures:
        for dimension, parts in figure.by.items():
            kept = []
            for part in parts:
                sensitive = part.sensitive is not False  # None: not known, taken as sensitive
                if sensitive and below_region:
                    continue
                shown_as = _withheld_numbers(figure, dimension, part, figures, ratios) if sensitive else {}
                withheld_any = withheld_any or bool(shown_as)
                kept.append(_withheld(part, shown_as) if shown_as else part)
            figure.by[dimension] = kept
    if withheld_any:
        published.notes.append(withheld_note())
    return published


def withheld_note() -> str:
    return _(
        "Counts below %(count)s in sensitive categories are not published (written “%(fewer)s”), nor any "
        "number they could be worked out from (“%(withheld)s”)."
    ) % {"count": SUPPRESSED_BELOW, "fewer": FEWER_THAN, "withheld": WITHHELD}


def part_cell(part: Part, name: str, unit: str, language: str) -> str:
    """One number of a part (value, base, change_percent, rate) as a published table writes it:
    what stands for it when withheld, else the number in the reader's language."""
    if isinstance(part, Withheld) and name in part.shown_as:
        return part.shown_as[name]
    value = getattr(part, name)
    if name == "change_percent" or (name in ("value", "base") and unit == Unit.PERCENT):
        return percent_text(value, language)
    return number_text(value, language)


def provenance_free(text: str) -> bool:
    """True when a published text holds no link to the records behind a figure."""
    return not any(path in text for path in PROVENANCE_PATHS)
