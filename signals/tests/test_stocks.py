"""A report as it stood at any moment, from its dated events (signals.stocks): each event is its
report's state from `at` until the next one, with the status, body and deadline then in force;
the reports overdue at a moment are counted from those states, exactly at the boundaries.

Time is moved by hand (the services read django.utils.timezone.now): every step happens at a
moment the test chose, so the intervals are known to the microsecond."""

import importlib
from datetime import datetime, timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from accounts.models import Organisation, Region
from signals import policy, services, stocks
from signals.demo import DEMO_SEED, bulk_build_reports
from signals.models import Category, ExtensionRequest, Report, ReportEvent
from signals.sweep import sweep_deadlines
from signals.tests.test_intake_web import make_report

pytestmark = pytest.mark.django_db

Status = Report.Status
Kind = ReportEvent.Kind
TICK = timedelta(microseconds=1)
FOREVER = timezone.make_aware(datetime(2100, 1, 1))
# A Monday morning in Aktobe: the steps below fall on working days.
START = timezone.make_aware(datetime(2026, 3, 2, 10, 0))


class Clock:
    def __init__(self, moment: datetime):
        self.moment = moment

    def now(self) -> datetime:
        return self.moment

    def to(self, moment: datetime) -> datetime:
        assert moment >= self.moment, "time only moves forward here"
        self.moment = moment
        return moment


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(START)
    monkeypatch.setattr(timezone, "now", clock.now)
    return clock


@pytest.fixture
def officer(persona):
    return persona("alga_officer")


@pytest.fixture
def prosecutor(persona):
    return persona("alga_prosecutor")


def routed_report(**extra) -> Report:
    extra.setdefault("address", "Alga, Zhambyl street 12")
    report, _token = make_report(code="public-order", **extra)
    assert report.status == Status.ROUTED and report.deadline_at is not None
    return report


def overdue(moment: datetime) -> set[int]:
    """The reports overdue at `moment`, from their events."""
    return set(ReportEvent.objects.filter(stocks.overdue_at(moment)).values_list("report_id", flat=True))


def state(report: Report, moment: datetime) -> ReportEvent | None:
    states = list(ReportEvent.objects.filter(stocks.state_at(moment), report=report))
    assert len(states) <= 1, f"{len(states)} states of {report} at {moment}"
    return states[0] if states else None


def assert_chain(*reports: Report) -> None:
    """Each report's events form one chain: each ends when the next begins, exactly one is open,
    and the open one is the report as it stands (status, body, deadline)."""
    for report in reports:
        report.refresh_from_db()
        events = list(ReportEvent.objects.filter(report=report).order_by("at", "id"))
        assert [event.until for event in events] == [event.at for event in events[1:]] + [None], report
        last = events[-1]
        assert (last.to_status, last.body_id, last.deadline_at) == (report.status, report.body_id, report.deadline_at)
    assert stocks.relink_events([report.pk for report in reports]) == 0


def assert_overdue_exactly(report: Report, intervals: list[tuple[datetime, datetime]], moments: list[datetime]):
    """`report` is overdue at each of `moments` exactly when the moment lies in one of the
    (start, end) intervals: after the deadline `start`, before the change at `end`."""
    for moment in moments:
        expected = any(start < moment < end for start, end in intervals)
        assert (report.pk in overdue(moment)) is expected, moment


# --- the boundaries -----------------------------------------------------------------------------


def test_it_counts_a_report_overdue_exactly_while_it_awaits_an_answer_past_the_deadline_in_force(
    clock, officer, prosecutor
):
    received = clock.now()
    report = routed_report()
    first_deadline = report.deadline_at
    answered_late = clock.to(first_deadline + timedelta(hours=1))
    services.answer_give(report=report, result="confirmed_administrative", text="A protocol.", actor=officer)
    returned = clock.to(answered_late + timedelta(hours=2))
    services.answer_return(report=report, reason="Say what the protocol found.", actor=prosecutor)
    report.refresh_from_db()
    second_deadline = report.deadline_at
    assert second_deadline > returned
    answered_on_time = clock.to(second_deadline - timedelta(hours=1))
    services.answer_give(report=report, result="confirmed_administrative", text="It found a fine.", actor=officer)
    assert_chain(report)

    # Overdue from just after the first deadline until the late answer, never after.
    moments = [
        received - TICK,
        received,
        first_deadline - TICK,
        first_deadline,
        first_deadline + TICK,
        answered_late - TICK,
        answered_late,
        returned - TICK,
        returned,
        returned + TICK,
        answered_on_time - TICK,
        answered_on_time,
        second_deadline,
        second_deadline + TICK,
        second_deadline + timedelta(days=400),
    ]
    assert_overdue_exactly(report, [(first_deadline, answered_late)], moments)
    assert state(report, received - TICK) is None
    assert state(report, first_deadline + TICK).to_status == Status.ROUTED
    assert state(report, returned).deadline_at == second_deadline
    assert state(report, returned - TICK).deadline_at == first_deadline
    # A deadline passing while the report is with the prosecutor makes nothing overdue.
    assert state(report, second_deadline + TICK).to_status == Status.ANSWERED
    # Now, the events agree with the reports' own columns (signals.policy).
    now = clock.now()
    assert overdue(now) == set(Report.objects.filter(policy.overdue_at(now)).values_list("pk", flat=True))


def test_it_moves_the_deadline_in_force_when_an_extension_is_granted(clock, officer, prosecutor):
    report = routed_report()
    first_deadline = report.deadline_at
    asked = clock.to(first_deadline - timedelta(hours=5))
    extension = services.extension_request(report=report, days=3, reason="Witnesses away.", actor=officer)
    granted = clock.to(first_deadline - timedelta(hours=2))
    services.extension_decide(extension=extension, grant=True, actor=prosecutor)
    report.refresh_from_db()
    extended = report.deadline_at
    assert extended > first_deadline
    assert ExtensionRequest.objects.get(pk=extension.pk).deadline_after == extended
    assert_chain(report)

    assert state(report, asked).deadline_at == first_deadline
    assert state(report, granted - TICK).deadline_at == first_deadline
    assert state(report, granted).deadline_at == extended
    moments = [first_deadline, first_deadline + TICK, extended - TICK, extended, extended + TICK]
    assert_overdue_exactly(report, [(extended, FOREVER)], moments)
    # Had the extension been refused, the first deadline would have stood.
    other = routed_report()
    clock.to(other.deadline_at - timedelta(hours=1))
    refused = services.extension_request(report=other, days=3, reason="Witnesses away.", actor=officer)
    services.extension_decide(extension=refused, grant=False, actor=prosecutor, note="No need.")
    assert_chain(other)
    assert other.pk in overdue(other.deadline_at + TICK)


def test_it_counts_a_reopened_report_again_only_once_returned_and_late(clock, officer, prosecutor):
    report = routed_report()
    clock.to(report.deadline_at - timedelta(hours=3))
    services.answer_give(report=report, result="not_confirmed", text="Nothing found.", actor=officer)
    resolved = clock.to(clock.now() + timedelta(hours=1))
    services.answer_accept(report=report, actor=prosecutor)
    reopened = clock.to(report.deadline_at + timedelta(days=2))
    services.followup_not_resolved(report=report, text="The fights go on.")
    returned = clock.to(reopened + timedelta(hours=4))
    services.report_transition(report=report, to_status=Status.RETURNED, actor=prosecutor, reason="Look again.")
    report.refresh_from_db()
    new_deadline = report.deadline_at
    assert_chain(report)

    assert state(report, resolved).to_status == Status.RESOLVED
    assert state(report, reopened).to_status == Status.REOPENED
    assert state(report, returned).to_status == Status.RETURNED
    moments = [reopened - TICK, reopened, returned - TICK, returned, new_deadline, new_deadline + TICK]
    assert_overdue_exactly(report, [(new_deadline, FOREVER)], moments)


def test_it_leaves_the_overdue_count_when_merged_into_another_report(clock, prosecutor):
    duplicate = routed_report(description="Fights near the shop again tonight.")
    original = routed_report()
    late = clock.to(original.deadline_at + timedelta(hours=1))
    assert {duplicate.pk, original.pk} <= overdue(late)
    merged = clock.to(late + timedelta(hours=1))
    services.report_merge(duplicate=duplicate, into=original, actor=prosecutor, reason="The same fights.")
    assert_chain(duplicate, original)

    assert state(duplicate, merged).to_status == Status.DUPLICATE
    assert state(original, merged).kind == Kind.MERGED
    assert_overdue_exactly(duplicate, [(duplicate.deadline_at, merged)], [merged - TICK, merged, merged + TICK])
    # The report merged into keeps awaiting its answer, late as before.
    assert original.pk in overdue(merged - TICK) and original.pk in overdue(merged + TICK)


# --- the chain after every service -----------------------------------------------------------------


def test_it_keeps_one_open_event_per_report_after_every_service(clock, officer, prosecutor, persona):
    report = routed_report()
    akimat = Organisation.objects.get(code="akt-akimat-alga")
    police = report.body

    def step(minutes=10):
        clock.to(clock.now() + timedelta(minutes=minutes))

    assert_chain(report)
    step()
    services.report_assign(report=report, assignee=officer, actor=officer)
    assert_chain(report)
    step()
    forward = services.report_forward(report=report, to_body=akimat, reason="Not the police's.", actor=officer)
    assert_chain(report)
    step()
    services.forward_decide(forward=forward, uphold=False, actor=prosecutor, note="A public-order matter.")
    assert_chain(report)
    assert report.body_id == police.pk
    step()
    services.report_recategorise(report=report, category=Category.objects.get(code="fraud"), actor=prosecutor)
    assert_chain(report)
    step()
    services.report_reroute(report=report, body=akimat, actor=prosecutor, reason="The akimat's.")
    assert_chain(report)
    step()
    services.report_me_too(report=report)
    assert_chain(report)
    step()
    services.followup_add(report=report, text="It happened again.")
    assert_chain(report)
    step()
    services.report_note_act(report=report, act_id=1, act_type="submission", actor=prosecutor)
    assert_chain(report)
    # The sweep marks it once late, in the chain too.
    clock.to(report.deadline_at + timedelta(minutes=1))
    assert sweep_deadlines(now=clock.now()).marked == 1
    assert_chain(report)
    assert state(report, clock.now()).kind == Kind.OVERDUE and report.pk in overdue(clock.now())
    step()
    akimat_officer = persona("alga_officer")
    akimat_officer.organisation = akimat
    akimat_officer.save()
    services.report_register(report=report, registration="kui", number="261234", actor=prosecutor)
    assert_chain(report)
    step()
    services.answer_give(report=report, result="confirmed_other", text="Cleaned up.", actor=akimat_officer)
    assert_chain(report)
    step()
    services.followup_rate(report=report, rating=4)
    assert_chain(report)
    step()
    services.answer_accept(report=report, actor=prosecutor)
    services.report_transition(report=report, to_status=Status.CLOSED, actor=prosecutor)
    assert_chain(report)
    # A report in the prosecutor's triage (no body for its category), routed from there, and one
    # rejected.
    triaged, _ = make_report(code="other", address="Alga, Zhambyl street 12")
    assert triaged.status == Status.NEW and triaged.body_id is None
    assert_chain(triaged)
    step()
    services.report_reroute(report=triaged, body=police, actor=prosecutor)
    assert_chain(triaged)
    rejected = routed_report()
    step()
    services.report_transition(report=rejected, to_status=Status.REJECTED, actor=prosecutor, reason="Not an offence.")
    assert_chain(rejected)
    # Exactly one open event for every report written here.
    open_events = ReportEvent.objects.filter(until__isnull=True).values("report").annotate(n=Count("id"))
    assert {row["n"] for row in open_events} == {1}
    assert len(open_events) == Report.objects.count()


def test_it_writes_the_submission_events_as_one_chain(clock):
    report = routed_report()
    submitted, routed = ReportEvent.objects.filter(report=report).order_by("at", "id")
    assert (submitted.kind, submitted.until, submitted.deadline_at) == (Kind.SUBMITTED, clock.now(), report.deadline_at)
    assert (routed.kind, routed.until, routed.deadline_at) == (Kind.ROUTED, None, report.deadline_at)
    # The moment itself reads the routed state, never the submitted one (superseded at once).
    assert state(report, clock.now()).pk == routed.pk


# --- bulk builders and the filled history ---------------------------------------------------------


NOW = timezone.make_aware(datetime(2026, 3, 16, 11, 0))


def test_the_demo_builds_consistent_chains_that_agree_with_the_reports(persona):
    from supervision.demo import create_demo_acts

    bulk_build_reports(region=Region.objects.get(short_code="AKT"), count=400, seed=DEMO_SEED, now=NOW)
    create_demo_acts(BaseCommand(stdout=StringIO(), stderr=StringIO()))
    reports = Report.objects.count()
    assert reports >= 400
    open_events = ReportEvent.objects.filter(until__isnull=True)
    assert open_events.count() == reports
    assert open_events.values("report").distinct().count() == reports
    assert stocks.relink_events() == 0
    for report in Report.objects.order_by("?")[:40]:
        assert_chain(report)
    # Overdue now, from the events, is what the reports' columns say (signals.policy).
    for moment in (NOW, timezone.now()):
        from_reports = set(Report.objects.filter(policy.overdue_at(moment)).values_list("pk", flat=True))
        assert from_reports and overdue(moment) == from_reports
    # And at a past moment, each report has at most one state.
    past = NOW - timedelta(days=200)
    per_report = ReportEvent.objects.filter(stocks.state_at(past)).values("report").annotate(n=Count("id"))
    assert per_report and {row["n"] for row in per_report} == {1}


def test_relink_repairs_broken_chains_in_one_statement_per_batch(clock, officer, django_assert_max_num_queries):
    reports = [routed_report() for _ in range(3)]
    for report in reports:
        clock.to(clock.now() + timedelta(minutes=5))
        services.report_assign(report=report, assignee=officer, actor=officer)
    expected = dict(ReportEvent.objects.values_list("pk", "until"))
    ReportEvent.objects.update(until=None)
    with django_assert_max_num_queries(1):
        assert stocks.relink_events([report.pk for report in reports]) == 2 * len(reports)
    assert dict(ReportEvent.objects.values_list("pk", "until")) == expected
    ReportEvent.objects.update(until=START)
    assert stocks.relink_events() == 2 * len(reports)  # the submitted events end at START indeed
    assert dict(ReportEvent.objects.values_list("pk", "until")) == expected


def test_the_migration_fills_until_exactly_and_deadlines_from_what_the_events_name(clock, officer, prosecutor):
    migration = importlib.import_module("signals.migrations.0008_event_state_chain")
    report = routed_report()
    first_deadline = report.deadline_at
    clock.to(first_deadline - timedelta(hours=4))
    extension = services.extension_request(report=report, days=3, reason="Witnesses away.", actor=officer)
    clock.to(first_deadline - timedelta(hours=2))
    services.extension_decide(extension=extension, grant=True, actor=prosecutor)
    clock.to(first_deadline + timedelta(days=1))
    services.answer_give(report=report, result="not_confirmed", text="Nothing found.", actor=officer)
    report.refresh_from_db()
    truth = {event.pk: (event.until, event.deadline_at) for event in ReportEvent.objects.all()}
    ReportEvent.objects.update(until=None, deadline_at=None)

    migration.fill_deadlines(apps, None)
    migration.fill_until(apps, SimpleNamespace(connection=connection))

    filled = {event.pk: (event.until, event.deadline_at) for event in ReportEvent.objects.all()}
    assert {pk: until for pk, (until, _) in filled.items()} == {pk: until for pk, (until, _) in truth.items()}
    decided = ReportEvent.objects.get(kind=Kind.EXTENSION_DECIDED)
    assert filled[decided.pk][1] == report.deadline_at == truth[decided.pk][1]
    # The events before the extension name no deadline: they get the report's current one (the
    # migration says so: historic snapshots are approximate).
    routed = ReportEvent.objects.get(kind=Kind.ROUTED)
    assert truth[routed.pk][1] == first_deadline and filled[routed.pk][1] == report.deadline_at


def test_the_overdue_filter_is_served_by_the_partial_index():
    sql = str(ReportEvent.objects.filter(stocks.overdue_at(START)).query)
    assert "IN ('routed', 'accepted', 'returned')" in sql  # the index's condition, as it spells it
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    plan = ReportEvent.objects.filter(stocks.overdue_at(START)).explain()
    if connection.vendor == "sqlite":
        assert "report_event_awaiting" in plan, plan
