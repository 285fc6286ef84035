"""Recording acts of prosecutorial response, numbering their letters, recording their outcomes."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from signals.models import ReportEvent
from supervision.models import OutgoingCounter, SupervisoryAct, SupervisoryActEvent
from supervision.services import act_change, act_letter, act_outcome

from .factories import TEMIR, new_report, office, record

pytestmark = pytest.mark.django_db

Kind = SupervisoryActEvent.Kind
Outcome = SupervisoryAct.Outcome


def counters() -> list[tuple]:
    return list(OutgoingCounter.objects.order_by("id").values_list("office__code", "year", "last"))


# --- recording ---------------------------------------------------------------------------------


def test_it_records_an_act_with_its_reports_and_events(persona):
    prosecutor = persona("alga_prosecutor")
    first, second = new_report(), new_report()
    act = record(prosecutor, reports=[first, second, first])
    act.refresh_from_db()
    assert act.issuing_office == office("akt-prok-alga")
    assert act.region == office("akt-prok-alga").region
    assert act.addressee == first.body
    assert act.created_by == prosecutor
    assert act.outcome == Outcome.PENDING
    assert act.outgoing_number == ""
    assert set(act.reports.all()) == {first, second}
    event = act.events.get()
    assert (event.kind, event.actor) == (Kind.RECORDED, prosecutor)
    assert event.data["reports"] == sorted([first.reference, second.reference])
    for report in (first, second):
        noted = report.events.get(kind=ReportEvent.Kind.ACT)
        assert noted.data == {"act": act.pk, "type": "submission"}
        assert noted.actor == prosecutor


def test_it_lets_a_regional_prosecutor_link_reports_of_any_district(persona):
    regional = persona("regional_prosecutor")
    act = record(regional, reports=[new_report(), new_report(TEMIR)])
    assert act.issuing_office.code == "akt-prok-region"
    assert act.reports.count() == 2


def test_it_refuses_a_report_of_another_district(persona):
    alga_report = new_report()
    with pytest.raises(PermissionDenied):
        record(persona("temir_prosecutor"), reports=[new_report(TEMIR), alga_report])
    assert not SupervisoryAct.objects.exists()
    assert not ReportEvent.objects.filter(kind=ReportEvent.Kind.ACT).exists()


@pytest.mark.parametrize("username", ["citizen", "alga_officer", "analyst", "board_secretary", "bank_partner"])
def test_it_refuses_people_who_are_not_prosecutors(persona, username):
    user = persona(username)
    with pytest.raises(PermissionDenied):
        record(user, issuing_office=office("akt-prok-alga"))
    assert not SupervisoryAct.objects.exists()


def test_it_refuses_an_act_issued_in_another_office_s_name(persona):
    with pytest.raises(PermissionDenied):
        record(persona("alga_prosecutor"), issuing_office=office("akt-prok-temir"))
    assert not SupervisoryAct.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"type": "reprimand"}, "type"),
        ({"date": "tomorrow"}, "date"),
        ({"addressee": "akt-prok-temir"}, "addressee"),
        ({"addressee_title": "x" * 301}, "addressee_title"),
        ({"legal_basis": "x" * 2001}, "legal_basis"),
        ({"language": "en"}, "language"),
    ],
)
def test_it_refuses_invalid_details_with_nothing_recorded(persona, overrides, field):
    # Tomorrow as the test runs, not as the tests were collected: a run may cross midnight.
    if overrides.get("date") == "tomorrow":
        overrides["date"] = timezone.localdate() + timedelta(days=1)
    if overrides.get("addressee"):
        overrides["addressee"] = office(overrides["addressee"])
    with pytest.raises(ValidationError) as error:
        record(persona("alga_prosecutor"), **overrides)
    assert field in error.value.error_dict
    assert not SupervisoryAct.objects.exists()


# --- the letter's number -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "missing",
    [
        {"addressee": None, "addressee_title": ""},
        {"addressee": None, "addressee_title": "   "},
        {"legal_basis": ""},
        {"summary": ""},
    ],
)
def test_it_refuses_a_letter_without_addressee_or_text_before_taking_a_number(persona, missing):
    prosecutor = persona("alga_prosecutor")
    record(prosecutor)
    act_letter(act=SupervisoryAct.objects.get(), actor=prosecutor)  # the office's counter exists: 1
    before = counters()
    act = record(prosecutor, **missing)
    with pytest.raises(ValidationError):
        act_letter(act=act, actor=prosecutor)
    act.refresh_from_db()
    assert act.outgoing_number == "" and act.letter_at is None
    assert counters() == before
    assert not act.events.filter(kind=Kind.LETTER).exists()


def test_it_numbers_letters_per_office_and_year(persona):
    alga, temir = persona("alga_prosecutor"), persona("temir_prosecutor")
    year = timezone.localdate().year
    OutgoingCounter.objects.create(office=office("akt-prok-alga"), year=year - 1, last=40)
    numbers = [act_letter(act=record(alga), actor=alga).outgoing_number for _ in range(3)]
    other = act_letter(act=record(temir, addressee=office("akt-police-temir")), actor=temir).outgoing_number
    assert numbers == [f"akt-prok-alga/{year}/{n}" for n in (1, 2, 3)]
    assert other == f"akt-prok-temir/{year}/1"
    assert OutgoingCounter.objects.get(office__code="akt-prok-alga", year=year - 1).last == 40
    assert SupervisoryAct.objects.exclude(outgoing_number="").values("outgoing_number").distinct().count() == 4


def test_it_keeps_the_number_on_a_second_letter_call(persona):
    prosecutor = persona("alga_prosecutor")
    act = record(prosecutor)
    first = act_letter(act=act, actor=prosecutor)
    number, letter_at = first.outgoing_number, first.letter_at
    again = act_letter(act=SupervisoryAct.objects.get(pk=act.pk), actor=prosecutor)
    assert (again.outgoing_number, again.letter_at) == (number, letter_at)
    assert OutgoingCounter.objects.get(office__code="akt-prok-alga").last == 1
    event = act.events.get(kind=Kind.LETTER)
    assert event.data["number"] == number


@pytest.mark.parametrize("username", ["regional_prosecutor", "temir_prosecutor", "analyst", "alga_officer"])
def test_it_lets_only_the_issuing_office_number_the_letter(persona, username):
    act = record(persona("alga_prosecutor"))
    with pytest.raises(PermissionDenied):
        act_letter(act=act, actor=persona(username))
    assert not OutgoingCounter.objects.exists()


# --- corrections before the letter -------------------------------------------------------------


def test_it_corrects_an_act_before_its_letter_and_not_after(persona):
    prosecutor = persona("alga_prosecutor")
    act = record(prosecutor, addressee=None, addressee_title="")
    act_change(act=act, actor=prosecutor, addressee=office("akt-akimat-alga"), language="kk")
    act.refresh_from_db()
    assert (act.addressee.code, act.language) == ("akt-akimat-alga", "kk")
    assert act.events.get(kind=Kind.CHANGED).data == {"fields": ["addressee", "language"]}
    act_letter(act=act, actor=prosecutor)
    with pytest.raises(ValidationError):
        act_change(act=act, actor=prosecutor, summary="Another text")
    act.refresh_from_db()
    assert act.summary.startswith("Ответ на обращение")


def test_it_lets_only_the_issuing_office_correct_an_act(persona):
    act = record(persona("alga_prosecutor"))
    with pytest.raises(PermissionDenied):
        act_change(act=act, actor=persona("temir_prosecutor"), summary="Another text")


# --- outcome ------------------------------------------------------------------------------------


def test_it_records_the_outcome(persona):
    prosecutor = persona("alga_prosecutor")
    act = record(prosecutor, date=timezone.localdate() - timedelta(days=40))
    today = timezone.localdate()
    act_outcome(
        act=act,
        outcome=Outcome.PARTLY,
        outcome_at=today,
        note="Two officers",
        officials_disciplined=2,
        actor=prosecutor,
    )
    act.refresh_from_db()
    assert (act.outcome, act.outcome_at, act.outcome_note, act.officials_disciplined) == (
        Outcome.PARTLY,
        today,
        "Two officers",
        2,
    )
    event = act.events.get(kind=Kind.OUTCOME)
    assert event.data["outcome"] == "partly" and event.data["officials_disciplined"] == 2
    with pytest.raises(ValidationError):
        act_outcome(act=act, outcome=Outcome.SATISFIED, outcome_at=today, actor=prosecutor)
    act.refresh_from_db()
    assert act.outcome == Outcome.PARTLY


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"outcome": "pending"}, "outcome"),
        ({"outcome": "withdrawn"}, "outcome"),
        ({"outcome_at": -1}, "outcome_at"),
        ({"outcome_at": +1}, "outcome_at"),
        ({"officials_disciplined": -1}, "officials_disciplined"),
        ({"officials_disciplined": True}, "officials_disciplined"),
        ({"note": "x" * 4001}, "outcome_note"),
    ],
)
def test_it_refuses_an_invalid_outcome_with_nothing_changed(persona, values, field):
    prosecutor = persona("alga_prosecutor")
    act = record(prosecutor, date=timezone.localdate() - timedelta(days=3))
    arguments = {"outcome": Outcome.SATISFIED, "outcome_at": timezone.localdate(), "officials_disciplined": 0}
    arguments.update(values)
    if isinstance(arguments["outcome_at"], int):
        # -1: the day before the act; +1: tomorrow
        base = act.date if arguments["outcome_at"] < 0 else timezone.localdate()
        arguments["outcome_at"] = base + timedelta(days=arguments["outcome_at"])
    with pytest.raises(ValidationError) as error:
        act_outcome(act=act, actor=prosecutor, **arguments)
    assert field in error.value.error_dict
    act.refresh_from_db()
    assert act.outcome == Outcome.PENDING and act.outcome_at is None
    assert not act.events.filter(kind=Kind.OUTCOME).exists()


@pytest.mark.parametrize("username", ["regional_prosecutor", "temir_prosecutor", "analyst"])
def test_it_lets_only_the_issuing_office_record_the_outcome(persona, username):
    act = record(persona("alga_prosecutor"))
    with pytest.raises(PermissionDenied):
        act_outcome(act=act, outcome=Outcome.SATISFIED, outcome_at=timezone.localdate(), actor=persona(username))
    act.refresh_from_db()
    assert act.outcome == Outcome.PENDING
