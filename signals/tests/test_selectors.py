"""Selectors of the results summary on a small known data set, and who sees which report."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import District, Region
from signals.models import Report
from signals.selectors import answer_times, overdue_summary, reports_in_period, reports_received, routing_summary
from signals.services import report_submit

pytestmark = pytest.mark.django_db

LOCAL = ZoneInfo("Asia/Almaty")
ALGA, TEMIR, CITY = "153200000", "155600000", "151010000"
NOW = datetime(2025, 3, 1, 12, tzinfo=LOCAL)


def at(day: int, hour: int = 10, month: int = 1) -> datetime:
    return datetime(2025, month, day, hour, tzinfo=LOCAL)


def make(category, kato, channel, submitted, *, answered_after_hours=None, deadline=None, **extra) -> Report:
    report = report_submit(
        actor=None,
        category=category,
        description="Known data set",
        channel=channel,
        district=District.objects.get(kato=kato) if kato else None,
        address="Somewhere",
        now=submitted,
        **extra,
    ).report
    changes = {}
    if deadline is not None:
        changes["deadline_at"] = deadline
    if answered_after_hours is not None:
        changes.update(answered_at=submitted + timedelta(hours=answered_after_hours), status=Report.Status.ANSWERED)
    if changes:
        Report.objects.filter(pk=report.pk).update(**changes)
    return report


@pytest.fixture
def data_set():
    """January 2025 in the region: six reports; one in December 2024 and one in February outside."""
    web, api, hotline = Report.Channel.WEB, Report.Channel.API, Report.Channel.HOTLINE
    late = at(3) + timedelta(hours=5)
    make("public-order", ALGA, web, at(6), answered_after_hours=10, deadline=at(20))  # on time
    make("public-order", ALGA, web, at(8), answered_after_hours=30, deadline=at(8, 20))  # late
    make("public-order", TEMIR, api, at(10), answered_after_hours=50, deadline=at(24))  # on time
    make("fraud", CITY, hotline, at(13), deadline=late)  # overdue, not answered
    make("fraud", TEMIR, web, at(20), deadline=at(31, 23))  # pending, not yet due
    make("other", ALGA, web, at(31, 23))  # triage, last hour of January
    make("fraud", ALGA, web, datetime(2024, 12, 31, 23, 30, tzinfo=LOCAL))  # outside: December
    make("fraud", ALGA, web, datetime(2025, 2, 1, 0, 0, tzinfo=LOCAL))  # outside: February
    return Region.objects.get(short_code="AKT")


JANUARY = {"start": date(2025, 1, 1), "end": date(2025, 1, 31)}


def test_it_counts_reports_received_by_category(data_set):
    rows = reports_received(region=data_set, by="category", **JANUARY)
    assert [(row["key"], row["count"]) for row in rows] == [("public-order", 3), ("fraud", 2), ("other", 1)]
    assert all(row["label"] for row in rows)


def test_it_counts_reports_received_by_channel_and_district(data_set):
    by_channel = reports_received(region=data_set, by="channel", **JANUARY)
    assert {row["key"]: row["count"] for row in by_channel} == {"web": 4, "api": 1, "hotline": 1}
    assert {row["key"]: row["label"] for row in by_channel}["hotline"] == str(Report.Channel.HOTLINE.label)
    by_district = reports_received(region=data_set, by="district", **JANUARY)
    assert {row["key"]: row["count"] for row in by_district} == {ALGA: 3, TEMIR: 2, CITY: 1}


def test_it_narrows_to_some_districts_and_any_period(data_set):
    alga = District.objects.get(kato=ALGA).pk
    rows = reports_received(region=data_set, by="category", district_ids=[alga], **JANUARY)
    assert {row["key"]: row["count"] for row in rows} == {"public-order": 2, "other": 1}
    whole = reports_received(region=data_set, by="channel", start=date(2024, 12, 1), end=date(2025, 2, 28))
    assert sum(row["count"] for row in whole) == 8


def test_it_summarises_routing_and_deadlines(data_set):
    summary = routing_summary(region=data_set, now=NOW, **JANUARY)
    assert summary == {
        "received": 6,
        "routed": 5,
        "in_triage": 1,
        "answered": 3,
        "answered_on_time": 2,
        "answered_late": 1,
        "overdue": 2,
        "rejected": 0,
        "duplicate": 0,
        "closed": 0,
    }
    before_the_last_deadline = routing_summary(region=data_set, now=at(25), **JANUARY)
    assert before_the_last_deadline["overdue"] == 1


def test_a_returned_answer_counts_as_awaiting_not_as_answered(data_set):
    """As in overdue_summary: the prosecutor returned the late answer, its fresh deadline passed."""
    unanswered_before = overdue_summary(region=data_set, now=NOW, **JANUARY)["unanswered"]
    late = Report.objects.get(submitted_at=at(8))
    Report.objects.filter(pk=late.pk).update(status=Report.Status.RETURNED, deadline_at=at(28))
    summary = routing_summary(region=data_set, now=NOW, **JANUARY)
    assert (summary["answered"], summary["answered_on_time"], summary["answered_late"]) == (2, 2, 0)
    assert summary["overdue"] == 3
    assert overdue_summary(region=data_set, now=NOW, **JANUARY)["unanswered"] == unanswered_before + 1


def test_it_measures_answer_times(data_set):
    assert answer_times(region=data_set, **JANUARY) == {"answered": 3, "mean_hours": 30.0, "median_hours": 30.0}
    alga = District.objects.get(kato=ALGA).pk
    assert answer_times(region=data_set, district_ids=[alga], **JANUARY) == {
        "answered": 2,
        "mean_hours": 20.0,
        "median_hours": 20.0,
    }
    nothing = answer_times(region=data_set, start=date(2023, 1, 1), end=date(2023, 12, 31))
    assert nothing == {"answered": 0, "mean_hours": None, "median_hours": None}


def test_it_answers_with_one_query_per_figure_whatever_the_number_of_reports(data_set):
    with CaptureQueriesContext(connection) as few:
        routing_summary(region=data_set, now=NOW, **JANUARY)
    for day in range(1, 10):
        make("fraud", ALGA, Report.Channel.WEB, at(day, 11))
    with CaptureQueriesContext(connection) as many:
        routing_summary(region=data_set, now=NOW, **JANUARY)
    assert len(few) == len(many) == 1


def test_it_takes_both_ends_of_the_period_as_local_days(data_set):
    assert reports_in_period(region=data_set, start=date(2025, 1, 31), end=date(2025, 1, 31)).count() == 1
    assert reports_in_period(region=data_set, start=date(2024, 12, 31), end=date(2024, 12, 31)).count() == 1


# --- scoping: Report.objects.for_user for every persona -------------------------------------------


@pytest.fixture
def scoped(persona):
    citizen = persona("citizen")
    reports = {
        "alga": make("public-order", ALGA, Report.Channel.WEB, at(5)),
        "alga_triage": make("other", ALGA, Report.Channel.WEB, at(5)),
        "temir": make("public-order", TEMIR, Report.Channel.WEB, at(5)),
        "city": make("public-order", CITY, Report.Channel.WEB, at(5)),
        "no_district": make("fraud", None, Report.Channel.WEB, at(5)),
        "citizens_own": make("public-order", TEMIR, Report.Channel.WEB, at(5), reporter=citizen),
    }
    return {key: report.pk for key, report in reports.items()}


EVERYTHING = {"alga", "alga_triage", "temir", "city", "no_district", "citizens_own"}


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("citizen", {"citizens_own"}),
        ("alga_officer", {"alga"}),  # routed to the Alga police only, never the triage
        ("alga_prosecutor", {"alga", "alga_triage"}),
        ("temir_prosecutor", {"temir", "citizens_own"}),
        ("department_prosecutor", EVERYTHING),
        ("analyst", EVERYTHING),
        ("regional_prosecutor", EVERYTHING),
        ("board_secretary", EVERYTHING),
        ("administrator", EVERYTHING),
        ("bank_partner", set()),
    ],
)
def test_it_shows_each_persona_only_its_reports(persona, scoped, username, expected):
    visible = set(Report.objects.for_user(persona(username)).values_list("pk", flat=True))
    assert visible == {scoped[key] for key in expected}


def test_it_shows_an_anonymous_visitor_nothing(scoped):
    assert not Report.objects.for_user(AnonymousUser()).exists()
