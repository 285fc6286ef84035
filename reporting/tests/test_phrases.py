"""A figure as a sentence says it (reporting.phrases), in kk, ru and en, for the numbers the issue
names: 1, 2, 5, 11, 21, 22, 25, 101, 1,043, 7,212, 59,500,000 and 7.9 billion tenge."""

from decimal import Decimal

import pytest

from lib.metrics import Hedging, Unit
from reporting.phrases import GrammarError, Noun, amount_text, kazakh_ablative, phrase, russian_agreeing

REPORT = Noun(kk="өтініш", ru="обращение", en=("report", "reports"))
NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "nominative", "genitive"),
    [
        (1, "обращение", "обращения"),
        (2, "обращения", "обращений"),
        (5, "обращений", "обращений"),
        (11, "обращений", "обращений"),
        (21, "обращение", "обращения"),
        (22, "обращения", "обращений"),
        (25, "обращений", "обращений"),
        (101, "обращение", "обращения"),
        (1043, "обращения", "обращений"),
        (7212, "обращений", "обращений"),
    ],
)
def test_it_makes_a_russian_noun_agree_with_the_number_in_each_case(value, nominative, genitive):
    assert russian_agreeing("обращение", value) == nominative
    assert russian_agreeing("обращение", value, "gent") == genitive


def test_it_puts_a_russian_noun_after_a_fraction_in_the_genitive_singular():
    assert russian_agreeing("тонна", Decimal("2.5")) == "тонны"


def test_it_refuses_a_word_the_russian_dictionary_cannot_make_agree():
    with pytest.raises(GrammarError):
        russian_agreeing("быстро", 5)


@pytest.mark.parametrize(
    ("value", "ru", "en", "kk"),
    [
        (1, "1 обращение", "1 report", "1 өтініш"),
        (2, "2 обращения", "2 reports", "2 өтініш"),
        (5, "5 обращений", "5 reports", "5 өтініш"),
        (11, "11 обращений", "11 reports", "11 өтініш"),
        (21, "21 обращение", "21 reports", "21 өтініш"),
        (22, "22 обращения", "22 reports", "22 өтініш"),
        (25, "25 обращений", "25 reports", "25 өтініш"),
        (101, "101 обращение", "101 reports", "101 өтініш"),
        (1043, f"1{NBSP}043 обращения", "1,043 reports", f"1{NBSP}043 өтініш"),
        (7212, f"7{NBSP}212 обращений", "7,212 reports", f"7{NBSP}212 өтініш"),
    ],
)
def test_it_writes_an_exact_count_with_its_noun_in_each_language(value, ru, en, kk):
    assert phrase(value, Unit.COUNT, "ru", noun=REPORT) == ru
    assert phrase(value, Unit.COUNT, "en", noun=REPORT) == en
    assert phrase(value, Unit.COUNT, "kk", noun=REPORT) == kk


def test_it_writes_money_from_a_million_on_in_each_languages_short_form():
    assert amount_text(59_500_000, Unit.TENGE, "ru") == f"59,5{NBSP}млн{NBSP}тенге"
    assert amount_text(59_500_000, Unit.TENGE, "en") == f"59.5 million{NBSP}tenge"
    assert amount_text(59_500_000, Unit.TENGE, "kk") == f"59,5{NBSP}млн{NBSP}теңге"
    assert amount_text(Decimal("7900000000"), Unit.TENGE, "ru") == f"7,9{NBSP}млрд{NBSP}тенге"
    assert amount_text(950_000, Unit.TENGE, "ru") == f"950{NBSP}000{NBSP}тенге"
    assert amount_text(76, Unit.KG, "en") == f"76{NBSP}kg"


@pytest.mark.parametrize(
    ("language", "more_than", "over", "about"),
    [
        ("ru", f"более 1{NBSP}000 обращений", f"свыше 7{NBSP}000 обращений", f"около 8{NBSP}млрд{NBSP}тенге"),
        ("en", "more than 1,000 reports", "over 7,000 reports", f"about 8 billion{NBSP}tenge"),
        ("kk", f"1{NBSP}000-нан астам өтініш", f"7{NBSP}000-нан артық өтініш", f"шамамен 8{NBSP}млрд{NBSP}теңге"),
    ],
)
def test_it_hedges_each_kind_in_each_language(language, more_than, over, about):
    assert phrase(1043, Unit.COUNT, language, hedging=Hedging.MORE_THAN, noun=REPORT) == more_than
    assert phrase(7212, Unit.COUNT, language, hedging=Hedging.OVER, noun=REPORT) == over
    assert phrase(Decimal("7900000000"), Unit.TENGE, language, hedging=Hedging.ABOUT) == about


def test_it_gives_a_round_value_exactly_though_its_metric_hedges():
    assert phrase(1000, Unit.COUNT, "ru", hedging=Hedging.MORE_THAN, noun=REPORT) == f"1{NBSP}000 обращений"


@pytest.mark.parametrize(
    ("value", "ending"),
    [
        (1, "-ден"),
        (2, "-ден"),
        (5, "-тен"),
        (6, "-дан"),
        (20, "-дан"),
        (40, "-тан"),
        (80, "-нен"),
        (100, "-ден"),
        (1000, "-нан"),
        (4, "-тен"),
        (59_000_000, "-нан"),
    ],
)
def test_it_chooses_the_kazakh_ablative_by_how_the_number_is_read(value, ending):
    assert kazakh_ablative(value) == ending


def test_it_puts_the_kazakh_ablative_on_the_unit_after_money():
    assert phrase(59_512_000, Unit.TENGE, "kk", hedging=Hedging.MORE_THAN) == f"50{NBSP}млн{NBSP}теңгеден астам"
    assert phrase(59_500_000, Unit.TENGE, "kk") == f"59,5{NBSP}млн{NBSP}теңге"
    assert phrase(76, Unit.KG, "kk", hedging=Hedging.EXACT) == f"76{NBSP}кг"
    # A weight under 100 kg keeps its whole kilograms, as the document writes "more than 76 kg".
    assert phrase(Decimal("76.4"), Unit.KG, "kk", hedging=Hedging.MORE_THAN) == f"76{NBSP}кг-нан астам"
    assert phrase(Decimal("76.4"), Unit.KG, "en", hedging=Hedging.MORE_THAN) == f"more than 76{NBSP}kg"
