"""The results summary's figures of the acts of response (supervision.metrics) and the district an
act concerns (supervision.districts): which acts a window holds, their outcome as of its date, and
each figure against an independent count in plain SQL."""

import importlib
from datetime import date, datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection
from django.db.models import Count, Sum
from django.utils.translation import override

from accounts.models import District, Region, Role, User
from lib.metrics import Area, Kind, Unit, Window
from lib.plugins import metric_groups
from signals.demo import create_demo_reports
from supervision.demo import create_demo_acts
from supervision.districts import act_district_id
from supervision.metrics import ACTS
from supervision.models import SupervisoryAct, SupervisoryActEvent
from supervision.services import act_outcome

from .factories import ALGA, TEMIR, new_report, office, on, record

pytestmark = pytest.mark.django_db

AKTOBE_ZONE = ZoneInfo("Asia/Aqtobe")
CITY, ALMATY, ASTANA = "151010000", "151013100", "151011100"
Outcome = SupervisoryAct.Outcome
Type = SupervisoryAct.Type
METRICS = {metric.code: metric for metric in ACTS.metrics if metric.code.startswith("fsm.")}


def region() -> Region:
    return Region.objects.get(districts__kato=ALGA)


def district(kato: str) -> District:
    return District.objects.get(kato=kato)


def midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, AKTOBE_ZONE)


def end_of(day: date) -> datetime:
    return midnight(day + timedelta(days=1)) - timedelta(microseconds=1)


def window(first: date, last: date, as_of: date, district_ids=None) -> Window:
    """As the summary builds it: the region's local midnights of the first day and of the day after
    the last, and the end of the "as of" day."""
    return Window(region().pk, district_ids, midnight(first), midnight(last + timedelta(days=1)), end_of(as_of))


def local(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=AKTOBE_ZONE)


def act_on(actor, day: date, *, recorded: datetime | None = None, **kwargs) -> SupervisoryAct:
    """An act dated `day`, entered at `recorded` (default: noon of its day)."""
    act = on(day, record(actor, **kwargs))
    SupervisoryAct.objects.filter(pk=act.pk).update(created_at=recorded or local(day))
    act.refresh_from_db()
    return act


def decide(act, actor, outcome: str, day: date, *, entered: datetime | None = None, officials: int = 0):
    """The act's outcome dated `day`, entered in Tartip at `entered` (default: noon of that day)."""
    act_outcome(act=act, outcome=outcome, outcome_at=day, officials_disciplined=officials, actor=actor)
    SupervisoryActEvent.objects.filter(act=act, kind=SupervisoryActEvent.Kind.OUTCOME).update(at=entered or local(day))
    return act


def city_prosecutor() -> User:
    user, _ = User.objects.get_or_create(
        username="city_prosecutor",
        defaults={"role": Role.DISTRICT_PROSECUTOR, "organisation": office("akt-prok-city")},
    )
    return user


# --- the declaration ----------------------------------------------------------------------------


def test_it_is_declared_through_the_app():
    group = next(group for group in metric_groups() if group.name == "supervision-acts")
    assert group is ACTS
    assert group.kind == Kind.FLOW
    assert set(METRICS) == {"fsm.acts.recorded", "fsm.acts.satisfied", "fsm.acts.officials_held_accountable"}
    # Version 2: FSM Social's acts only (its area or none), officials of the three liabilities.
    assert all(metric.area == Area.FSM_SOCIAL and metric.version == 2 for metric in METRICS.values())
    assert METRICS["fsm.acts.officials_held_accountable"].unit == Unit.PERSONS
    assert METRICS["fsm.acts.officials_held_accountable"].rise_is_good is True
    assert all(set(metric.dimensions) <= set(ACTS.dimensions) for metric in ACTS.metrics)


def test_it_labels_types_and_outcomes_in_the_reader_s_language():
    with override("ru"):
        assert ACTS.labels("type", ["submission", "unknown"]) == {"submission": "представление"}
        assert ACTS.labels("outcome", ["partly"]) == {"partly": "удовлетворено частично"}
    with override("en"):
        assert ACTS.labels("type", ["protest"]) == {"protest": "protest"}
    assert ACTS.labels("body", ["x"]) == {}


# --- the window ---------------------------------------------------------------------------------


def test_it_holds_exactly_the_acts_dated_in_the_period_and_recorded_by_the_as_of_day(persona):
    alga = persona("alga_prosecutor")
    before = act_on(alga, date(2025, 2, 28), recorded=local(date(2025, 2, 28), 23, 59))
    first = act_on(alga, date(2025, 3, 1), recorded=local(date(2025, 3, 1), 0, 0))
    last = act_on(alga, date(2025, 3, 31), recorded=local(date(2025, 3, 31), 23, 59))
    after = act_on(alga, date(2025, 4, 1), recorded=local(date(2025, 4, 1), 0, 0))
    entered_on_the_day = act_on(alga, date(2025, 3, 15), recorded=local(date(2025, 4, 10), 23, 59))
    entered_later = act_on(alga, date(2025, 3, 15), recorded=local(date(2025, 4, 11), 0, 0))
    rows = ACTS.rows(window(date(2025, 3, 1), date(2025, 3, 31), date(2025, 4, 10)))
    assert set(rows) == {first, last, entered_on_the_day}
    assert {before, after, entered_later}.isdisjoint(rows)
    # The same acts, read as of the day before the late one was entered, and as of the next day.
    assert entered_on_the_day not in ACTS.rows(window(date(2025, 3, 1), date(2025, 3, 31), date(2025, 4, 9)))
    assert entered_later in ACTS.rows(window(date(2025, 3, 1), date(2025, 3, 31), date(2025, 4, 11)))


def test_it_keeps_to_the_window_s_districts(persona):
    alga_act = act_on(persona("alga_prosecutor"), date(2025, 3, 3))
    temir_act = act_on(persona("temir_prosecutor"), date(2025, 3, 3))
    regional_act = act_on(persona("regional_prosecutor"), date(2025, 3, 3))
    period = (date(2025, 3, 1), date(2025, 3, 31), date(2025, 3, 31))
    assert set(ACTS.rows(window(*period))) == {alga_act, temir_act, regional_act}
    assert set(ACTS.rows(window(*period, district_ids=frozenset({district(ALGA).pk})))) == {alga_act}


def test_it_counts_an_outcome_only_once_dated_and_entered_by_the_as_of_day(persona):
    alga = persona("alga_prosecutor")
    day = date(2025, 3, 10)
    in_time = decide(act_on(alga, day), alga, Outcome.SATISFIED, date(2025, 3, 20), officials=2)
    dated_later = decide(act_on(alga, day), alga, Outcome.PARTLY, date(2025, 4, 2), officials=3)
    entered_later = decide(
        act_on(alga, day),
        alga,
        Outcome.SATISFIED,
        date(2025, 3, 25),
        entered=local(date(2025, 4, 1), 0, 1),
        officials=5,
    )
    rejected = decide(act_on(alga, day), alga, Outcome.REJECTED, date(2025, 3, 12))
    pending = act_on(alga, day)
    as_of_march = window(date(2025, 3, 1), date(2025, 3, 31), date(2025, 3, 31))
    rows = ACTS.rows(as_of_march)
    assert {act.pk: act.outcome_as_of for act in rows} == {
        in_time.pk: Outcome.SATISFIED,
        dated_later.pk: Outcome.PENDING,
        entered_later.pk: Outcome.PENDING,
        rejected.pk: Outcome.REJECTED,
        pending.pk: Outcome.PENDING,
    }
    assert set(rows.filter(METRICS["fsm.acts.satisfied"].where)) == {in_time}
    assert rows.aggregate(n=Sum("officials_as_of"))["n"] == 2
    # As of a later day, both later outcomes are known.
    later = ACTS.rows(window(date(2025, 3, 1), date(2025, 3, 31), date(2025, 4, 2)))
    assert set(later.filter(METRICS["fsm.acts.satisfied"].where)) == {in_time, dated_later, entered_later}
    assert later.aggregate(n=Sum("officials_as_of"))["n"] == 10


def test_it_describes_the_acts_behind_a_figure_as_they_stood(persona):
    alga = persona("alga_prosecutor")
    act = decide(act_on(alga, date(2025, 3, 10)), alga, Outcome.SATISFIED, date(2025, 4, 5), officials=1)
    SupervisoryAct.objects.filter(pk=act.pk).update(outgoing_number="akt-prok-alga/2025/7")
    with override("en"):
        described = ACTS.describe_rows(ACTS.rows(window(date(2025, 3, 1), date(2025, 3, 31), date(2025, 3, 31))))
        assert described == [
            {
                "link": f"/supervision/acts/{act.pk}/",
                "number": "akt-prok-alga/2025/7",
                "type": "submission",
                "date": "2025-03-10",
                "office": office("akt-prok-alga").name,
                "outcome": "pending",
            }
        ]
        later = ACTS.describe_rows(ACTS.rows(window(date(2025, 3, 1), date(2025, 3, 31), date(2025, 4, 30))))
        assert later[0]["outcome"] == "satisfied"
    assert set(described[0]) == {"link", *ACTS.columns}


# --- the district an act concerns ----------------------------------------------------------------


def test_it_puts_an_act_in_the_district_of_its_reports(persona):
    assert record(persona("alga_prosecutor"), reports=[new_report(), new_report()]).district == district(ALGA)
    # The regional office's act about reports of one district is that district's.
    assert record(persona("regional_prosecutor"), reports=[new_report(TEMIR)]).district == district(TEMIR)


def test_it_puts_an_act_about_reports_of_two_city_districts_in_the_city(persona):
    act = record(city_prosecutor(), reports=[new_report(ALMATY), new_report(ASTANA)])
    assert act.district == district(CITY)
    assert record(city_prosecutor(), reports=[new_report(ASTANA)]).district == district(ASTANA)


def test_it_puts_an_act_without_reports_in_the_one_unit_its_office_serves(persona):
    assert record(persona("alga_prosecutor")).district == district(ALGA)
    # A city office serves the city and its city districts: the city.
    assert record(city_prosecutor()).district == district(CITY)


def test_it_leaves_the_regional_office_s_acts_without_a_district(persona):
    regional = persona("regional_prosecutor")
    assert record(regional).district is None
    # Reports of two districts: the office serves the whole region.
    assert record(regional, reports=[new_report(ALGA), new_report(TEMIR)]).district is None


def test_it_follows_the_rule_for_offices_and_reports_of_any_shape():
    parents = {1: None, 2: 1, 3: 1, 4: None, 5: None}  # a city (1) with two city districts, two districts
    rule = act_district_id
    assert rule(report_district_ids=[2, 2], office_district_ids=[1, 2, 3], parents=parents) == 2
    assert rule(report_district_ids=[2, 3], office_district_ids=[], parents=parents) == 1
    assert rule(report_district_ids=[None, 4], office_district_ids=[5], parents=parents) == 4
    assert rule(report_district_ids=[None], office_district_ids=[5], parents=parents) == 5
    assert rule(report_district_ids=[2, 4], office_district_ids=[3], parents=parents) == 3
    assert rule(report_district_ids=[2, 4], office_district_ids=[1, 2, 3, 4, 5], parents=parents) is None
    assert rule(report_district_ids=[], office_district_ids=[4, 5], parents=parents) is None
    assert rule(report_district_ids=[], office_district_ids=[], parents=parents) is None


def test_it_fills_the_district_of_earlier_acts_by_the_same_rule(persona):
    acts = [
        record(persona("alga_prosecutor"), reports=[new_report()]),
        record(persona("regional_prosecutor"), reports=[new_report(TEMIR)]),
        record(persona("regional_prosecutor"), reports=[new_report(ALGA), new_report(TEMIR)]),
        record(persona("temir_prosecutor")),
        record(city_prosecutor(), reports=[new_report(ALMATY), new_report(ASTANA)]),
    ]
    expected = {act.pk: act.district_id for act in acts}
    assert None in expected.values()
    SupervisoryAct.objects.update(district=None)
    migration = importlib.import_module("supervision.migrations.0003_act_district")
    migration.fill_districts(apps, None)
    assert dict(SupervisoryAct.objects.values_list("pk", "district_id")) == expected


# --- each figure against plain SQL --------------------------------------------------------------


def _by_group(window: Window, metric) -> dict:
    """(district id, type) -> the metric's value, through the group's rows and the metric's own
    filter or sum, as the summary asks for it."""
    value = Sum(metric.sums, filter=metric.where) if metric.sums else Count("pk", filter=metric.where)
    cells = ACTS.rows(window).order_by().values("district_id", "type").annotate(value=value)
    return {(cell["district_id"], cell["type"]): cell["value"] for cell in cells if cell["value"]}


SQL = {
    "fsm.acts.recorded": "COUNT(*)",
    "fsm.acts.satisfied": "SUM(CASE WHEN {decided} AND a.outcome IN ('satisfied', 'partly') THEN 1 ELSE 0 END)",
    "fsm.acts.officials_held_accountable": "SUM(CASE WHEN {decided} THEN a.officials_disciplined ELSE 0 END)",
}
DECIDED = (
    "(a.outcome <> 'pending' AND a.outcome_at <= %(as_of_day)s AND EXISTS (SELECT 1 FROM "
    "supervision_supervisoryactevent e WHERE e.act_id = a.id AND e.kind = 'outcome' AND e.at <= %(as_of)s))"
)


def _by_sql(code: str, *, region_id: int, first: date, last: date, as_of: date) -> dict:
    ops = connection.ops
    params = {
        "region": region_id,
        "first": ops.adapt_datefield_value(first),
        "last": ops.adapt_datefield_value(last),
        "as_of_day": ops.adapt_datefield_value(as_of),
        "as_of": ops.adapt_datetimefield_value(end_of(as_of)),
    }
    value = SQL[code].format(decided=DECIDED)
    statement = (
        f"SELECT a.district_id, a.type, {value} FROM supervision_supervisoryact a "  # noqa: S608 (constants only)
        "WHERE a.region_id = %(region)s AND a.date >= %(first)s AND a.date <= %(last)s "
        "AND a.created_at <= %(as_of)s GROUP BY a.district_id, a.type"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return {(district_id, type_): value for district_id, type_, value in cursor.fetchall() if value}


def test_it_computes_every_figure_as_plain_sql_does(persona):
    alga, temir, regional = persona("alga_prosecutor"), persona("temir_prosecutor"), persona("regional_prosecutor")
    city = city_prosecutor()
    acts = [
        decide(act_on(alga, date(2025, 1, 1)), alga, Outcome.SATISFIED, date(2025, 1, 20), officials=2),
        decide(act_on(alga, date(2025, 1, 15), type=Type.WARNING), alga, Outcome.PARTLY, date(2025, 2, 1), officials=1),
        decide(act_on(alga, date(2025, 3, 31)), alga, Outcome.REJECTED, date(2025, 4, 3)),
        decide(act_on(temir, date(2025, 2, 2)), temir, Outcome.SATISFIED, date(2025, 4, 20), officials=4),
        decide(
            act_on(temir, date(2025, 2, 3), type=Type.PROTEST),
            temir,
            Outcome.SATISFIED,
            date(2025, 3, 1),
            entered=local(date(2025, 4, 25)),
            officials=1,
        ),
        act_on(temir, date(2025, 3, 9), recorded=local(date(2025, 4, 30))),
        decide(act_on(regional, date(2025, 2, 14)), regional, Outcome.PARTLY, date(2025, 3, 3), officials=3),
        decide(
            act_on(regional, date(2025, 3, 5), reports=[new_report(TEMIR)], type=Type.INSTRUCTION),
            regional,
            Outcome.SATISFIED,
            date(2025, 3, 20),
            officials=2,
        ),
        decide(act_on(city, date(2025, 2, 20)), city, Outcome.SATISFIED, date(2025, 3, 1), officials=6),
        act_on(city, date(2024, 12, 31)),
        act_on(city, date(2025, 4, 1)),
    ]
    assert len({act.district_id for act in acts}) == 4  # Alga, Temir, the city and none
    region_id = region().pk
    checked = 0
    for first, last, as_of in [
        (date(2025, 1, 1), date(2025, 3, 31), date(2025, 3, 31)),
        (date(2025, 1, 1), date(2025, 3, 31), date(2025, 4, 21)),
        (date(2025, 1, 1), date(2025, 3, 31), date(2025, 12, 31)),
        (date(2025, 2, 1), date(2025, 2, 28), date(2025, 2, 28)),
    ]:
        for code, metric in METRICS.items():
            expected = _by_sql(code, region_id=region_id, first=first, last=last, as_of=as_of)
            assert _by_group(window(first, last, as_of), metric) == expected, (code, first, last, as_of)
            checked += bool(expected)
    # Every metric has a value in each window but February's, whose outcomes all came later.
    assert checked == 10


def test_it_gives_the_demo_acts_their_district_by_the_same_rule(smaller_demo):
    command = BaseCommand(stdout=StringIO(), stderr=StringIO())
    create_demo_reports(command)
    create_demo_acts(command)
    given = dict(SupervisoryAct.objects.values_list("pk", "district_id"))
    assert given and None not in given.values()  # district offices' acts about their districts' reports
    SupervisoryAct.objects.update(district=None)
    importlib.import_module("supervision.migrations.0003_act_district").fill_districts(apps, None)
    assert dict(SupervisoryAct.objects.values_list("pk", "district_id")) == given
