"""Amounts of tenge read one way wherever they are written (a bank's notice, a partner's answer)."""

from decimal import Decimal

import pytest

from lib.money import parse_tenge


@pytest.mark.parametrize(
    ("written", "amount"),
    [
        ("59 500,00", "59500.00"),
        ("59,500.00", "59500.00"),
        ("59.500", "59500.00"),
        ("1.234", "1234.00"),  # a thousands' separator, not tiyn
        ("59.500", "59500.00"),
        ("1.234", "1234.00"),
        ("1,250,000.50", "1250000.50"),
        ("1 250 000,50", "1250000.50"),
        ("1.250.000,5 ₸", "1250000.50"),
        ("12,5", "12.50"),
        ("59500 тенге", "59500.00"),
        (1250000.5, "1250000.50"),
        (59500, "59500.00"),
        (Decimal("7.1"), "7.10"),
    ],
)
def test_it_reads_an_amount_written_any_way(written, amount):
    assert parse_tenge(written) == Decimal(amount)


@pytest.mark.parametrize("written", ["", "abc", "-5", "1e20", "NaN", True, "12.345.678,901"])
def test_it_refuses_what_is_not_an_amount_of_tenge(written):
    with pytest.raises(ValueError):
        parse_tenge(written)
