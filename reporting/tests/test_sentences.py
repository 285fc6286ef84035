"""Sentence templates (reporting.sentences): filled from figures in kk, ru and en, falls written
as reductions, sentences without data left out, unusable templates refused with the reason."""

from decimal import Decimal

from django.utils import translation

from lib.metrics import Hedging, Unit
from reporting.figures import Figure
from reporting.sentences import problems, render

NBSP = "\u00a0"


def figure(code, value, base=None, change_percent=None, unit=Unit.COUNT, hedging=Hedging.EXACT) -> Figure:
    return Figure(
        code=code,
        version=1,
        name=code,
        unit=unit,
        kind="flow",
        area="fsm_social",
        aggregation="sum",
        hedging=hedging,
        rise_is_good=None,
        parent="",
        source="computed",
        value=value,
        base=base,
        change_percent=change_percent,
    )


FIGURES = {
    "fsm.reports.received": figure("fsm.reports.received", 1043, 1084, Decimal("-3.8"), hedging=Hedging.MORE_THAN),
    "fsm.answers.on_time_share": figure("fsm.answers.on_time_share", Decimal("61"), unit=Unit.PERCENT),
    "fraud.blocked.amount": figure("fraud.blocked.amount", 59_500_000, unit=Unit.TENGE),
    "fraud.blocked.budget": figure("fraud.blocked.budget", 0, unit=Unit.TENGE),
    "drugs.seized": figure("drugs.seized", 0, unit=Unit.KG),
}


def test_it_writes_a_fall_as_a_reduction_with_the_hedged_count_in_russian():
    text = (
        "Поступило {fsm.reports.received|обращение}: {fsm.reports.received.trend|рост|снижение} "
        "на {fsm.reports.received.change}."
    )
    assert render(text, "ru", FIGURES) == f"Поступило более 1{NBSP}000 обращений: снижение на 3,8{NBSP}%."


def test_it_writes_the_same_sentence_in_english_and_kazakh():
    english = (
        "{fsm.reports.received|report/reports} were received, "
        "{fsm.reports.received.change} {fsm.reports.received.trend|more|fewer} than a year earlier."
    )
    assert render(english, "en", FIGURES) == "More than 1,000 reports were received, 3.8% fewer than a year earlier."
    kazakh = "{fsm.reports.received|өтініш} түсті, уақытында жауап берілгені {fsm.answers.on_time_share}."
    assert render(kazakh, "kk", FIGURES) == f"1{NBSP}000-нан астам өтініш түсті, уақытында жауап берілгені 61%."


def test_it_writes_money_and_a_parent_with_its_child_in_one_sentence():
    text = "Заблокировано {fraud.blocked.amount}, из них {fraud.blocked.budget} в бюджет."
    assert render(text, "ru", FIGURES) == f"Заблокировано 59,5{NBSP}млн{NBSP}тенге, из них 0{NBSP}тенге в бюджет."


def test_it_leaves_out_a_sentence_without_data_and_one_it_cannot_fill():
    assert render("Изъято {drugs.seized}.", "ru", FIGURES) is None  # no data: never "0 кг"
    no_base = {"x.y": figure("x.y", 5, 0, None)}
    assert render("{x.y} ({x.y.trend|рост|снижение} на {x.y.change})", "ru", no_base) is None
    assert render("Без чисел.", "ru", FIGURES) is None


def test_it_refuses_a_template_naming_no_metric_or_a_noun_the_grammar_cannot_agree():
    codes = set(FIGURES)
    with translation.override("ru"):
        unknown = problems("Поступило {fsm.reports.recieved}.", "ru", codes)
        assert unknown and "{fsm.reports.recieved}" in unknown[0] and "каталог" in unknown[0]
    assert problems("Поступило {fsm.reports.received|быстро}.", "ru", codes)
    assert problems("{fsm.reports.received.trend|рост}", "ru", codes)
    assert problems("Поступило {fsm.reports.received", "ru", codes)
    assert problems("Поступило {fsm.reports.received|обращение}.", "ru", codes) == []
