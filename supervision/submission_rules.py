"""A monthly submission's figures checked cell by cell (no database): each a number of zero or
more, whole where the metric counts, the catalogue's consistency rules held (verdicts <= cases in
court), and a warning where a figure is more than three times the office's usual month. The
messages are in the active language."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from lib.metrics import Consistency, SubmittedMetric

JUMP = 3  # a figure over this many times the office's usual month is questioned (a warning)


@dataclass
class Checked:
    values: dict[str, Decimal] = field(default_factory=dict)  # the figures given
    errors: dict[str, list[str]] = field(default_factory=dict)  # code -> why it is refused
    warnings: dict[str, list[str]] = field(default_factory=dict)  # code -> what to look at again


def plain(value: Decimal) -> str:
    """1234 for 1234.00, 1234.5 for 1234.50."""
    return f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"


def parse(raw) -> Decimal | None:
    """A figure as written ("1 234", "1234,5"), None when empty; InvalidOperation when not a number."""
    text = str(raw if raw is not None else "").strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not text:
        return None
    value = Decimal(text)
    if not value.is_finite():
        raise InvalidOperation
    return value


def check(raw: dict, metrics: list[SubmittedMetric], rules: list[Consistency], usual: dict[str, Decimal]) -> Checked:
    checked = Checked()
    names = {metric.code: metric.name for metric in metrics}
    for metric in metrics:
        try:
            value = parse(raw.get(metric.code))
        except (InvalidOperation, ValueError):
            checked.errors.setdefault(metric.code, []).append(_("Write a number (as 1234 or 1234,5)."))
            continue
        if value is None:
            continue
        if value < 0:
            checked.errors.setdefault(metric.code, []).append(_("A figure cannot be negative."))
        elif metric.whole and value != value.to_integral_value():
            checked.errors.setdefault(metric.code, []).append(_("This figure counts: write a whole number."))
        else:
            checked.values[metric.code] = value
    for rule in rules:
        lesser, greater = checked.values.get(rule.lesser), checked.values.get(rule.greater)
        if lesser is not None and greater is not None and lesser > greater:
            checked.errors.setdefault(rule.lesser, []).append(
                _("It may not exceed “%(greater)s” (%(value)s > %(limit)s).")
                % {"greater": names.get(rule.greater, rule.greater), "value": plain(lesser), "limit": plain(greater)}
            )
    for code, value in checked.values.items():
        base = usual.get(code)
        if base and value > JUMP * base:
            checked.warnings.setdefault(code, []).append(
                _("More than three times the office's usual month (%(usual)s): check it.") % {"usual": plain(base)}
            )
    return checked
