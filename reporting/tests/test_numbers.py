"""Percent changes, the undefined and small-base cases, shares, rates and the hedging kinds."""

from decimal import Decimal

import pytest

from lib.metrics import Hedging
from reporting.figures import percent_change, poisson_z, rate_per_population, share
from reporting.numbers import hedge, number_text, percent_text


@pytest.mark.parametrize(
    ("value", "base", "expected"),
    [
        (161, 100, Decimal("61.0")),
        (107, 100, Decimal("7.0")),
        (962, 1000, Decimal("-3.8")),
        (1, 3, Decimal("-66.7")),
        (5, 5, Decimal("0.0")),
    ],
)
def test_it_gives_the_percent_change_with_one_decimal(value, base, expected):
    assert percent_change(value, base) == expected


@pytest.mark.parametrize(("value", "base"), [(5, 0), (0, 0), (None, 3), (3, None)])
def test_it_leaves_the_percent_change_undefined_without_a_base(value, base):
    assert percent_change(value, base) is None


@pytest.mark.parametrize(
    ("language", "value", "text"),
    [
        ("en", Decimal("61.0"), "61%"),
        ("ru", Decimal("7.0"), "7\xa0%"),
        ("ru", Decimal("-3.8"), "-3,8\xa0%"),
        ("en", Decimal("3.8"), "3.8%"),
        ("kk", Decimal("3.8"), "3,8%"),
        ("ru", None, "n/a"),
    ],
)
def test_it_writes_a_percent_dropping_a_zero_decimal(language, value, text):
    assert percent_text(value, language) == text


def test_it_groups_numbers_in_the_readers_language():
    assert number_text(1234567, "ru") == "1\xa0234\xa0567"
    assert number_text(1234567, "en") == "1,234,567"
    assert number_text(None, "kk") == "n/a"


def test_it_flags_a_change_on_a_small_base_as_normal_variation():
    assert abs(poisson_z(5, 3)) < 2  # 3 -> 5 reports: +67 %, yet within normal variation
    assert poisson_z(400, 300) > 2  # a real rise
    assert poisson_z(0, 0) == 0


def test_it_computes_shares_and_rates_only_where_defined():
    assert share(3, 4) == Decimal("75.0")
    assert share(3, 0) is None
    assert rate_per_population(50, 43_682) == Decimal("11.4")
    assert rate_per_population(50, None) is None


@pytest.mark.parametrize(
    ("value", "kind", "expected_kind", "expected"),
    [
        (1043, Hedging.MORE_THAN, Hedging.MORE_THAN, 1000),
        (7212, Hedging.OVER, Hedging.OVER, 7000),
        (7_900_000_000, Hedging.ABOUT, Hedging.ABOUT, 8_000_000_000),
        (1000, Hedging.MORE_THAN, Hedging.EXACT, 1000),  # not "more than 1,000" when it is 1,000
        (1043, Hedging.EXACT, Hedging.EXACT, 1043),
        (Decimal("59.5"), Hedging.MORE_THAN, Hedging.MORE_THAN, 50),
        (0, Hedging.ABOUT, Hedging.EXACT, 0),
    ],
)
def test_it_hedges_by_the_metrics_rule(value, kind, expected_kind, expected):
    hedged = hedge(value, kind)
    assert (hedged.kind, hedged.value) == (expected_kind, expected)


def test_it_floors_a_hedged_value_to_two_figures_under_30_and_one_above():
    from lib.metrics import Hedging
    from reporting.numbers import hedge

    assert hedge(25_480, Hedging.MORE_THAN).value == 25_000
    assert hedge(1_043, Hedging.MORE_THAN).value == 1_000
    assert hedge(7_212, Hedging.OVER).value == 7_000
    assert hedge(31_900, Hedging.MORE_THAN).value == 30_000
    assert hedge(1_400, Hedging.MORE_THAN).kind == Hedging.EXACT  # already round at its two figures
