"""What acts achieved (supervision.services.act_results, act_amount, act_outcome's liabilities) and
its figures (supervision.metrics): beneficiaries counted once, assessed against recovered, the state
budget's share within the reimbursed, amounts as of a day, and a change outside the act's scope."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum

from accounts.models import Region
from lib.metrics import Area, Window
from supervision.metrics import ACTS, AMOUNTS
from supervision.models import ActAmount, BusinessMatter, SupervisoryAct
from supervision.services import act_amount, act_outcome, act_results

from .factories import ALGA, on, record

pytestmark = pytest.mark.django_db

ZONE = ZoneInfo("Asia/Aqtobe")
Heading = ActAmount.Heading


def end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, ZONE) - timedelta(microseconds=1)


def window(first: date, last: date, as_of: date) -> Window:
    region = Region.objects.get(districts__kato=ALGA)
    start = datetime.combine(first, time.min, ZONE)
    return Window(region.pk, None, start, datetime.combine(last + timedelta(days=1), time.min, ZONE), end_of(as_of))


def value(group, code: str, win: Window):
    metric = next(metric for metric in group.metrics if metric.code == code)
    rows = group.rows(win).filter(metric.where)
    aggregate = Sum(metric.sums) if metric.sums else Count("pk")
    return rows.aggregate(value=aggregate)["value"] or 0


def moment(day: date) -> datetime:
    return datetime.combine(day, time(12), ZONE)


def dated(actor, day: date, **more) -> SupervisoryAct:
    """An act dated `day` and entered at its noon."""
    return record(actor, date=day, now=moment(day), **more)


def test_it_counts_beneficiaries_once_when_a_later_act_names_the_one_that_counted_them(persona):
    prosecutor = persona("alga_prosecutor")
    claim = dated(prosecutor, date(2025, 3, 1), type=SupervisoryAct.Type.CLAIM)
    act_results(act=claim, actor=prosecutor, area=Area.CONSTRUCTION, beneficiaries={"equity_holders": 285})
    protest = dated(prosecutor, date(2025, 4, 1), type=SupervisoryAct.Type.PROTEST)
    with pytest.raises(ValidationError) as refused:
        act_results(act=protest, actor=prosecutor, beneficiaries={"equity_holders": 285}, counted_by=claim)
    assert "already counted" in refused.value.message_dict["beneficiaries_counted_by"][0]
    act_results(act=protest, actor=prosecutor, area=Area.CONSTRUCTION, counted_by=claim)
    win = window(date(2025, 1, 1), date(2025, 9, 30), date(2025, 10, 16))
    assert value(ACTS, "construction.holders_in_court", win) == 285
    act_outcome(
        act=claim, actor=prosecutor, outcome="satisfied", outcome_at=date(2025, 6, 1), now=moment(date(2025, 6, 1))
    )
    assert value(ACTS, "construction.claims_satisfied", win) == 1
    assert value(ACTS, "construction.holders_satisfied", win) == 285
    assert value(ACTS, "construction.holders_in_court", win) == 0
    # Decided on 1 June: as of 31 May, the claim was still before the court.
    assert (
        value(ACTS, "construction.holders_in_court", window(date(2025, 1, 1), date(2025, 5, 31), date(2025, 5, 31)))
        == 285
    )


def test_it_refuses_recovered_over_assessed_and_the_state_budget_over_reimbursed(persona):
    prosecutor = persona("alga_prosecutor")
    act = on(date(2025, 2, 1), record(prosecutor))
    act_amount(
        act=act, actor=prosecutor, heading=Heading.FINES, amount="1000000", on=date(2025, 2, 5), preliminary=True
    )
    act_amount(
        act=act, actor=prosecutor, heading=Heading.RECOVERED, amount=600_000, on=date(2025, 3, 1), recovery="court"
    )
    with pytest.raises(ValidationError) as refused:
        act_amount(act=act, actor=prosecutor, heading=Heading.RECOVERED, amount=500_000, on=date(2025, 3, 2))
    assert "exceed the assessed" in refused.value.message_dict["amount"][0]
    act_amount(act=act, actor=prosecutor, heading=Heading.REIMBURSED, amount=100, on=date(2025, 3, 2))
    with pytest.raises(ValidationError) as refused:
        act_amount(act=act, actor=prosecutor, heading=Heading.TO_STATE_BUDGET, amount=101, on=date(2025, 3, 2))
    assert "exceed the reimbursed" in refused.value.message_dict["amount"][0]
    for bad in ({"amount": 0}, {"amount": "x"}, {"on": date(2025, 1, 1)}, {"recovery": "court"}):
        arguments = {"heading": Heading.FINES, "amount": 5, "on": date(2025, 3, 3), **bad}
        with pytest.raises(ValidationError):
            act_amount(act=act, actor=prosecutor, **arguments)
    assert act.amounts.count() == 3


def test_it_reads_amounts_by_their_date_as_entered_by_the_as_of_day(persona):
    prosecutor = persona("alga_prosecutor")
    act = on(date(2025, 2, 1), record(prosecutor))
    act_amount(
        act=act,
        actor=prosecutor,
        heading=Heading.DAMAGE,
        amount=7_000,
        on=date(2025, 2, 5),
        now=moment(date(2025, 2, 5)),
    )
    act_amount(
        act=act,
        actor=prosecutor,
        heading=Heading.FINES,
        amount=1_000,
        on=date(2025, 9, 30),
        now=moment(date(2025, 10, 20)),
    )
    act_amount(
        act=act,
        actor=prosecutor,
        heading=Heading.MISUSE_PREVENTED,
        amount=3_000,
        on=date(2025, 10, 2),
        now=moment(date(2025, 10, 2)),
    )
    nine_months = window(date(2025, 1, 1), date(2025, 9, 30), date(2025, 10, 16))
    assert value(AMOUNTS, "public_interests.assessed", nine_months) == Decimal("7000")
    assert value(AMOUNTS, "budget.misuse_prevented", nine_months) == 0
    later = window(date(2025, 1, 1), date(2025, 9, 30), date(2025, 10, 31))
    assert value(AMOUNTS, "public_interests.assessed", later) == Decimal("8000")


def test_it_counts_officials_by_every_liability_and_business_matters(persona):
    prosecutor = persona("alga_prosecutor")
    act = dated(prosecutor, date(2025, 5, 1))
    act_results(
        act=act, actor=prosecutor, area=Area.BUSINESS, business_matter=BusinessMatter.ILLEGAL_INSPECTION, violations=4
    )
    act_outcome(
        act=act, actor=prosecutor, outcome="satisfied", outcome_at=date(2025, 6, 1),
        officials_disciplined=1, officials_administrative=2, officials_criminal=0, now=moment(date(2025, 6, 1)),
    )  # fmt: skip
    win = window(date(2025, 1, 1), date(2025, 9, 30), date(2025, 10, 16))
    assert value(ACTS, "business.inspection_officials", win) == 3
    assert value(ACTS, "public_interests.officials_held_accountable", win) == 3
    assert value(ACTS, "public_interests.violations", win) == 4
    # Of the area of business: FSM Social's figures leave it out.
    assert value(ACTS, "fsm.acts.recorded", win) == 0


def test_it_refuses_results_and_amounts_from_outside_the_act_s_office(persona):
    act = record(persona("alga_prosecutor"))
    for intruder in ("temir_prosecutor", "analyst", "regional_prosecutor", "alga_officer", "citizen"):
        with pytest.raises(PermissionDenied):
            act_results(act=act, actor=persona(intruder), violations=1)
        with pytest.raises(PermissionDenied):
            act_amount(act=act, actor=persona(intruder), heading=Heading.FINES, amount=1, on=act.date)
    act.refresh_from_db()
    assert act.violations == 0 and not act.amounts.exists()
