"""The results summary's on-time and overdue figures, by district and by body, on a small
hand-made set of reports whose every figure is counted by hand below."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from accounts.models import District, Organisation, Region
from signals.models import Answer, Report
from signals.selectors import on_time_rate, overdue_summary
from signals.services import report_submit

pytestmark = pytest.mark.django_db

Status = Report.Status
ALGA = "153200000"
TEMIR = "155600000"
MARCH = {"start": date(2025, 3, 1), "end": date(2025, 3, 31)}


def at(day: int, month: int = 3, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime(2025, month, day, hour), timezone.get_default_timezone())


NOW = at(30)


def report(deadline, status, district=ALGA, body=None, answered=None) -> Report:
    made = report_submit(
        actor=None,
        category="public-order",
        description="Fights near the shop.",
        channel=Report.Channel.WEB,
        district=District.objects.get(kato=district),
        address="Main street 1",
    ).report
    fields = {"deadline_at": deadline, "status": status, "answered_at": answered}
    if body:
        fields["body"] = Organisation.objects.get(code=body)
    Report.objects.filter(pk=made.pk).update(**fields)
    made.refresh_from_db()
    return made


def answer(of: Report, when, on_time: bool) -> Answer:
    return Answer.objects.create(
        report=of, body=of.body, at=when, result=Answer.Result.CONFIRMED_OTHER, text="Done.", on_time=on_time
    )


@pytest.fixture
def data():
    """A..J: see each line; every deadline but F's and G's falls in March, NOW is 30 March noon."""
    a = report(at(10), Status.RESOLVED, answered=at(8))  # answered on time
    b = report(at(12), Status.ANSWERED, answered=at(15))  # answered late
    c = report(at(20), Status.ROUTED)  # unanswered past the deadline
    d = report(at(25), Status.RETURNED, answered=at(10))  # an earlier answer returned: awaiting again
    e = report(at(5), Status.CLOSED, district=TEMIR, answered=at(6))  # late, in Temir
    report(at(10, month=4), Status.ROUTED)  # F: due in April
    report(at(20, month=2), Status.ACCEPTED)  # G: due in February, still unanswered (overdue now)
    report(at(31, hour=23), Status.ROUTED)  # H: due tomorrow
    report(at(18), Status.REJECTED)  # I: rejected, never answered
    j = report(at(15), Status.RESOLVED, body="akt-akimat-alga", answered=at(14))  # on time, by the akimat
    answer(a, at(8), True)
    answer(b, at(15), False)
    answer(d, at(10), True)
    answer(e, at(6), False)
    answer(j, at(14), True)
    answer(j, at(2, month=4), True)  # outside the period
    Answer.objects.create(  # given in February: outside the period too
        report=c, body=c.body, at=at(28, month=2), result=Answer.Result.NOT_CONFIRMED, text="-", on_time=True
    )
    return {"region": Region.objects.get(pk=a.region_id), "alga": District.objects.get(kato=ALGA)}


def by_key(rows: list[dict]) -> dict:
    return {row["key"]: row for row in rows}


def test_it_gives_the_on_time_rate_of_the_answers_given_in_the_period(data):
    figures = on_time_rate(region=data["region"], **MARCH)

    assert (figures["answers"], figures["on_time"], figures["rate"]) == (5, 3, 0.6)
    districts = by_key(figures["by_district"])
    assert set(districts) == {ALGA, TEMIR}
    assert (districts[ALGA]["answers"], districts[ALGA]["on_time"], districts[ALGA]["rate"]) == (4, 3, 0.75)
    assert (districts[TEMIR]["answers"], districts[TEMIR]["on_time"], districts[TEMIR]["rate"]) == (1, 0, 0.0)
    assert districts[ALGA]["label"] == data["alga"].name
    bodies = by_key(figures["by_body"])
    assert {code: (row["answers"], row["on_time"]) for code, row in bodies.items()} == {
        "akt-police-alga": (3, 2),
        "akt-akimat-alga": (1, 1),
        "akt-police-temir": (1, 0),
    }
    assert bodies["akt-akimat-alga"]["label"] == Organisation.objects.get(code="akt-akimat-alga").name


def test_it_narrows_the_on_time_rate_to_some_districts_and_says_none_without_answers(data):
    figures = on_time_rate(region=data["region"], district_ids=[data["alga"].pk], **MARCH)
    assert (figures["answers"], figures["on_time"]) == (4, 3)
    assert set(by_key(figures["by_district"])) == {ALGA}
    empty = on_time_rate(region=data["region"], start=date(2024, 1, 1), end=date(2024, 1, 31))
    assert (empty["answers"], empty["rate"], empty["by_district"], empty["by_body"]) == (0, None, [], [])


def test_it_counts_deadlines_kept_and_missed_in_the_period(data):
    figures = overdue_summary(region=data["region"], now=NOW, **MARCH)

    assert figures["as_of"] == NOW
    totals = {name: figures[name] for name in ("due", "answered_on_time", "answered_late", "unanswered")}
    assert totals == {"due": 8, "answered_on_time": 2, "answered_late": 2, "unanswered": 2}
    assert (figures["not_yet_due"], figures["overdue"], figures["overdue_now"]) == (1, 4, 3)

    districts = by_key(figures["by_district"])
    assert {key: (row["due"], row["overdue"], row["overdue_now"]) for key, row in districts.items()} == {
        ALGA: (7, 3, 3),
        TEMIR: (1, 1, 0),
    }
    bodies = by_key(figures["by_body"])
    expected = {
        "akt-police-alga": {"due": 6, "answered_on_time": 1, "answered_late": 1, "unanswered": 2, "overdue_now": 3},
        "akt-akimat-alga": {"due": 1, "answered_on_time": 1, "answered_late": 0, "unanswered": 0, "overdue_now": 0},
        "akt-police-temir": {"due": 1, "answered_on_time": 0, "answered_late": 1, "unanswered": 0, "overdue_now": 0},
    }
    assert {code: {name: row[name] for name in expected[code]} for code, row in bodies.items()} == expected


def test_it_counts_a_report_overdue_now_even_when_its_deadline_fell_before_the_period(data):
    april = overdue_summary(region=data["region"], start=date(2025, 4, 1), end=date(2025, 4, 30), now=NOW)
    assert (april["due"], april["overdue"], april["not_yet_due"], april["overdue_now"]) == (1, 0, 1, 3)
    (alga,) = april["by_district"]
    assert (alga["key"], alga["due"], alga["overdue_now"]) == (ALGA, 1, 3)
    later = overdue_summary(region=data["region"], now=at(11, month=4), **MARCH)
    assert (later["unanswered"], later["not_yet_due"], later["overdue_now"]) == (3, 0, 5)  # H and F passed too


def test_it_narrows_the_overdue_summary_to_some_districts(data):
    temir = District.objects.get(kato=TEMIR)
    figures = overdue_summary(region=data["region"], now=NOW, district_ids=[temir.pk], **MARCH)
    assert (figures["due"], figures["answered_late"], figures["overdue"], figures["overdue_now"]) == (1, 1, 1, 0)
    assert [row["key"] for row in figures["by_body"]] == ["akt-police-temir"]
