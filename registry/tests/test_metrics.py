"""The registry's figures in the results summary: the values citizens' reports named, by kind and
district, as of a day; the indicators confirmed; the records behind them, never an IIN."""

from datetime import date

import pytest

from accounts.models import District
from registry import services
from registry.models import Indicator, Sighting
from registry.tasks import take_report_indicators
from reporting.figures import Request, compute, rows_behind
from reporting.sentences import narrative
from reporting.tests import facts
from reporting.tests.facts import ALGA, TEMIR, local

pytestmark = pytest.mark.django_db


def report_naming(text, at, kato=ALGA):
    report = facts.submit(at, kato=kato, code="fraud")
    report.description = text
    report.save(update_fields=["description"])
    with facts.clock(at):
        take_report_indicators.call(report.pk)
    return report


def summary(as_of=date(2025, 12, 31)):
    return compute(Request.make(region=facts.region(), start=date(2025, 1, 1), end=date(2025, 12, 31), as_of=as_of))


def test_it_counts_the_values_reports_named_by_kind_and_district_as_of_a_day(persona):
    report_naming("Звонили с 8 705 123 45 67, просили на счёт KZ88 6010 0000 1234 5678", local(2025, 3, 3))
    report_naming("Опять 8 705 123 45 67", local(2025, 4, 3), kato=TEMIR)
    report_naming("Канал @shop_kz", local(2024, 4, 3))  # the base year
    found = summary().figure("fraud.indicators.found")
    assert (found.value, found.base) == (3, 1)
    assert {part.key: part.value for part in found.by["kind"] if part.value} == {"phone": 2, "iban": 1}
    assert {part.key: part.value for part in found.by_district if part.value} == {ALGA: 2, TEMIR: 1}
    assert summary().figure("fraud.indicators.found.accounts").value == 1
    assert summary(as_of=date(2025, 3, 31)).figure("fraud.indicators.found").value == 2


def test_an_unlinked_value_is_not_counted_and_a_confirmation_is(persona):
    report_naming("Канал @shop_kz и сайт shop-darik.kz", local(2025, 3, 3))
    wrong = Sighting.objects.get(indicator__kind="website")
    services.sighting_unlink(actor=persona("alga_prosecutor"), sighting=wrong)
    with facts.clock(local(2025, 3, 5)):
        services.indicator_confirm(actor=persona("alga_prosecutor"), indicator=Indicator.objects.get(kind="telegram"))
    figures = summary()
    assert figures.figure("fraud.indicators.found").value == 1
    confirmed = figures.figure("fraud.indicators.confirmed")
    assert confirmed.value == 1 and {p.key: p.value for p in confirmed.by_district if p.value} == {ALGA: 1}


def test_the_text_says_it_and_the_rows_behind_never_show_an_iin(persona):
    report_naming("Карту оформили на ИИН 880101300010, звонили с 8 705 123 45 67", local(2025, 3, 3))
    text = " ".join(" ".join(p.sentences) for p in narrative(summary().figures, "ru"))
    assert "в реестр «Территория без мошенничества» внесено 2 индикатора" in text
    assert "счетов и карт" not in text  # none found: the sentence is left out, never "— 0"
    rows, total = rows_behind(
        Request.make(region=facts.region(), start=date(2025, 1, 1), end=date(2025, 12, 31)), "fraud.indicators.found"
    )
    assert total == 2 and "880101300010" not in str(rows) and {row["shown"] for row in rows} == {"—", "+77051234567"}
    assert District.objects.get(kato=ALGA).name in {row["district"] for row in rows}
