"""Criminal cases under the office's control: taken under control and changed through dated events
(supervision.services.cases), their stocks as of any day and their flows (supervision.case_metrics),
and the bad input the issue names."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum

from accounts.models import District, Region
from lib.metrics import Window
from supervision.case_metrics import CHANGES, REGISTERED, STATE
from supervision.models import CaseEvent, CriminalCase, Stage
from supervision.services import cases as services

from .factories import ALGA, TEMIR, office

pytestmark = pytest.mark.django_db

ZONE = ZoneInfo("Asia/Aqtobe")


def moment(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), ZONE)


def end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, ZONE) - timedelta(microseconds=1)


def window(first: date, last: date, as_of: date) -> Window:
    region = Region.objects.get(districts__kato=ALGA)
    start = datetime.combine(first, time.min, ZONE)
    return Window(region.pk, None, start, datetime.combine(last + timedelta(days=1), time.min, ZONE), end_of(as_of))


def value(group, code: str, win: Window):
    metric = next(metric for metric in group.metrics if metric.code == code)
    rows = group.rows(win).filter(metric.where)
    return (
        rows.aggregate(value=Sum(metric.sums))["value"] if metric.sums else rows.aggregate(value=Count("pk"))["value"]
    )


def take(actor, number="251500031000101", registered=date(2025, 2, 3), **more) -> CriminalCase:
    values = {
        "office": actor.organisation,
        "district": District.objects.get(kato=ALGA),
        "erdr_number": number,
        "registered_on": registered,
        "article": "190",
        "article_part": "4",
        "gravity": "grave",
        "investigating_body": "police",
        "summary": "Хищение путём обмана через интернет.",
        "charged": 2,
        "in_custody": 1,
        "now": moment(registered),
    }
    values.update(more)
    return services.case_record(actor=actor, **values)


def test_it_takes_a_case_under_control_with_its_first_event(persona):
    case = take(persona("alga_prosecutor"), number="25 1500031 000101", flags={"high_profile": True, "nonsense": True})
    assert case.erdr_number == "251500031000101" and case.high_profile
    event = case.events.get()
    assert (event.kind, event.on, event.stage, event.charged, event.in_custody) == (
        CaseEvent.Kind.RECORDED,
        date(2025, 2, 3),
        Stage.PRETRIAL,
        2,
        1,
    )


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("12345", "15 digits"),
        ("25150003100010A", "15 digits"),
        ("241500031000101", "year of registration 2025"),
    ],
)
def test_it_refuses_an_erdr_number_in_the_wrong_format_with_the_expected_one(persona, number, fragment):
    with pytest.raises(ValidationError) as refused:
        take(persona("alga_prosecutor"), number=number)
    assert fragment in " ".join(refused.value.message_dict["erdr_number"])
    assert not CriminalCase.objects.exists()


def test_it_refuses_the_same_erdr_number_twice(persona):
    take(persona("alga_prosecutor"))
    with pytest.raises(ValidationError) as refused:
        take(persona("alga_prosecutor"))
    assert "already under control" in refused.value.message_dict["erdr_number"][0]


def test_it_refuses_a_case_of_a_district_the_office_does_not_serve(persona):
    with pytest.raises(ValidationError) as refused:
        take(persona("alga_prosecutor"), district=District.objects.get(kato=TEMIR))
    assert "district" in refused.value.message_dict


def test_it_refuses_a_change_by_an_office_outside_the_case_s_scope(persona):
    case = take(persona("alga_prosecutor"))
    for intruder in ("temir_prosecutor", "analyst", "alga_officer", "citizen"):
        with pytest.raises(PermissionDenied):
            services.case_stage(case=case, actor=persona(intruder), stage=Stage.COURT, on=date(2025, 3, 1))
    with pytest.raises(PermissionDenied):
        take(persona("analyst"), office=office("akt-prok-alga"), number="251500031000102")
    assert case.events.count() == 1


def test_it_refuses_a_change_dated_before_the_latest_and_a_stage_out_of_order(persona):
    prosecutor = persona("alga_prosecutor")
    case = take(prosecutor)
    services.case_stage(case=case, actor=prosecutor, stage=Stage.COURT, on=date(2025, 5, 5))
    with pytest.raises(ValidationError) as refused:
        services.case_persons(case=case, actor=prosecutor, on=date(2025, 4, 1), charged=2, in_custody=0)
    assert "2025-05-05" in refused.value.message_dict["on"][0]
    with pytest.raises(ValidationError) as refused:
        services.case_stage(case=case, actor=prosecutor, stage=Stage.APPEAL, on=date(2025, 5, 6))
    assert "stage" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.case_stage(
            case=case, actor=prosecutor, stage=Stage.VERDICT, on=date(2025, 6, 1), convicted=1, imprisoned=2
        )
    assert "imprisoned" in refused.value.message_dict
    case.refresh_from_db()
    assert case.stage == Stage.COURT and case.events.count() == 2


def test_it_refuses_recovered_over_the_damage(persona):
    prosecutor = persona("alga_prosecutor")
    case = take(prosecutor, damage=Decimal("1000000"))
    services.case_amounts(case=case, actor=prosecutor, on=date(2025, 3, 1), recovered_added=600_000)
    with pytest.raises(ValidationError) as refused:
        services.case_amounts(case=case, actor=prosecutor, on=date(2025, 3, 2), recovered_added=500_000)
    assert "exceed the damage" in refused.value.message_dict["recovered_added"][0]
    case.refresh_from_db()
    assert case.recovered == Decimal("600000")


def _history(prosecutor) -> CriminalCase:
    """Registered 3 Feb 2025 (2 charged, 1 in custody), 7 kg seized 10 Mar, sent to court 5 May
    (entered 20 May), verdict 1 Jul (2 convicted, 1 imprisoned), appeal satisfied 15 Sep."""
    case = take(prosecutor, flags={"drugs": True}, investigating_body="special_prosecutors")
    services.case_amounts(
        case=case, actor=prosecutor, on=date(2025, 3, 10), kg_added="7.5", now=moment(date(2025, 3, 10))
    )
    services.case_stage(
        case=case, actor=prosecutor, stage=Stage.COURT, on=date(2025, 5, 5), now=moment(date(2025, 5, 20))
    )
    services.case_stage(
        case=case, actor=prosecutor, stage=Stage.VERDICT, on=date(2025, 7, 1), convicted=2, imprisoned=1,
        now=moment(date(2025, 7, 1)),
    )  # fmt: skip
    services.case_appeal(
        case=case, actor=prosecutor, on=date(2025, 9, 15), satisfied=True, now=moment(date(2025, 9, 15))
    )
    return case


@pytest.mark.parametrize(
    ("as_of", "stage", "in_custody"),
    [
        (date(2025, 2, 2), None, None),  # not yet registered
        (date(2025, 2, 3), Stage.PRETRIAL, 1),
        (date(2025, 5, 10), Stage.PRETRIAL, 1),  # sent to court on the 5th, but entered on the 20th
        (date(2025, 5, 20), Stage.COURT, 1),
        (date(2025, 7, 1), Stage.VERDICT, None),
        (date(2026, 1, 1), Stage.VERDICT, None),
    ],
)
def test_it_counts_a_case_s_stage_as_it_stood_on_any_day(persona, as_of, stage, in_custody):
    _history(persona("alga_prosecutor"))
    states = list(STATE.rows(window(date(2025, 1, 1), as_of, as_of)))
    assert [state.stage for state in states] == ([stage] if stage else [])
    assert value(STATE, "cases.under_investigation", window(date(2025, 1, 1), as_of, as_of)) == (
        1 if stage == Stage.PRETRIAL else 0
    )
    assert value(STATE, "drugs.special_in_custody", window(date(2025, 1, 1), as_of, as_of)) == in_custody


def test_it_counts_the_flows_by_the_event_s_date_as_entered_by_the_as_of_day(persona):
    _history(persona("alga_prosecutor"))
    nine_months = window(date(2025, 1, 1), date(2025, 9, 30), date(2025, 10, 16))
    assert value(CHANGES, "prosecution.cases_in_court", nine_months) == 1
    assert value(CHANGES, "prosecution.verdicts", nine_months) == 1
    assert value(CHANGES, "prosecution.convicted", nine_months) == 2
    assert value(CHANGES, "prosecution.imprisoned", nine_months) == 1
    assert value(CHANGES, "prosecution.appeals_satisfied", nine_months) == 1
    assert value(CHANGES, "drugs.seized_kg", nine_months) == Decimal("7.5")
    assert value(CHANGES, "drugs.special_cases_to_court", nine_months) == 1
    # Sent to court on 5 May, entered on the 20th: a summary as of the 10th does not know it.
    assert (
        value(CHANGES, "prosecution.cases_in_court", window(date(2025, 1, 1), date(2025, 5, 31), date(2025, 5, 10)))
        == 0
    )
    assert value(CHANGES, "prosecution.verdicts", window(date(2025, 1, 1), date(2025, 6, 30), date(2025, 10, 16))) == 0


def test_it_breaks_dropper_cases_down_by_their_stage_as_of_the_day(persona):
    prosecutor = persona("alga_prosecutor")
    convicted = take(prosecutor, dropper_article="190", number="251500031000201")
    take(prosecutor, dropper_article="190", number="251500031000202")
    take(prosecutor, number="251500031000203")
    services.case_stage(
        case=convicted, actor=prosecutor, stage=Stage.COURT, on=date(2025, 4, 1), now=moment(date(2025, 4, 1))
    )
    services.case_stage(
        case=convicted, actor=prosecutor, stage=Stage.VERDICT, on=date(2025, 8, 1), convicted=1, imprisoned=0,
        now=moment(date(2025, 8, 1)),
    )  # fmt: skip
    rows = REGISTERED.rows(window(date(2025, 1, 1), date(2025, 9, 30), date(2025, 10, 16))).filter(
        next(metric for metric in REGISTERED.metrics if metric.code == "fraud.dropper_cases").where
    )
    assert sorted(row.stage_as_of for row in rows) == [Stage.PRETRIAL, Stage.VERDICT]
    rows = REGISTERED.rows(window(date(2025, 1, 1), date(2025, 9, 30), date(2025, 7, 1))).filter(dropper_article="190")
    assert sorted(row.stage_as_of for row in rows) == [Stage.COURT, Stage.PRETRIAL]
