"""The demo step: two years of reports in every status and the months since up to the day it is
built (a given "now"), built in bulk, and only once."""

from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management.base import BaseCommand
from django.db.models import Count, F, Max, Min
from django.utils import timezone

from accounts.models import District, Region
from signals import oversight
from signals.demo import (
    DEMO_END,
    DEMO_SEED,
    DEMO_START,
    bulk_build_reports,
    create_demo_reports,
    refresh_demo_reports,
)
from signals.models import (
    Answer,
    Category,
    ExtensionRequest,
    Forward,
    ReferenceCounter,
    Report,
    ReporterContact,
    ReportEvent,
    ReportSupporter,
)
from signals.policy import AWAITING_ANSWER

pytestmark = pytest.mark.django_db

Status = Report.Status


# The day the demo is built, in the tests: two and a half months after the end of 2025, a Monday.
NOW = timezone.make_aware(datetime(2026, 3, 16, 11, 0))


def run_step(now=NOW) -> str:
    command = BaseCommand(stdout=StringIO(), stderr=StringIO())
    create_demo_reports(command, now=now)
    return command.stdout.getvalue() + command.stderr.getvalue()


def test_it_creates_two_years_of_reports_in_every_status_with_ordered_events():
    # One build (a few seconds) checked from several sides.
    run_step()

    check_spread()
    check_statuses()
    check_events()
    check_references()
    check_answering()
    check_alive_on_the_day_built()


def check_spread():

    reports = Report.objects.all()
    assert reports.count() >= 6000
    assert set(reports.values_list("status", flat=True)) == set(Status.values)
    span = reports.aggregate(first=Min("submitted_at"), last=Max("submitted_at"))
    assert timezone.localdate(span["first"]).isoformat() < "2024-01-15"
    assert span["last"] > NOW - timedelta(days=2)
    assert timezone.localdate(span["first"]) >= DEMO_START and span["last"] <= NOW
    in_2025 = reports.filter(submitted_at__date__gte="2025-12-01", submitted_at__date__lte=DEMO_END).count()
    assert in_2025 > 200
    assert set(reports.values_list("category_id", flat=True)) == set(Category.objects.values_list("id", flat=True))
    assert set(reports.values_list("channel", flat=True)) == set(Report.Channel.values)
    per_district = dict(reports.values_list("district__kato").annotate(n=Count("id")))
    assert len(per_district) >= 10
    # The city carries the most reports (with its two city districts).
    city = District.objects.get(kato="151010000")
    city_total = reports.filter(district__in=[city, *city.children.all()]).count()
    assert city_total > max(
        n for kato, n in per_district.items() if kato not in {"151010000", "151013100", "151011100"}
    )


def check_statuses():
    new = Report.objects.filter(status=Status.NEW)
    assert new.exists() and not new.filter(body__isnull=False).exists()
    # Each report waiting in triage says so in its timeline.
    in_triage = ReportEvent.objects.filter(report__in=new, kind=ReportEvent.Kind.TRIAGE)
    assert in_triage.values("report").distinct().count() == new.count()
    routed = Report.objects.exclude(status=Status.NEW).filter(routed_at__isnull=False)
    assert not routed.filter(deadline_at__isnull=True).exists()
    assert not routed.filter(deadline_at__lte=F("routed_at")).exists()
    assert not Report.objects.filter(status=Status.REJECTED, rejection_reason="").exists()
    duplicates = Report.objects.filter(status=Status.DUPLICATE)
    assert duplicates.exists() and not duplicates.filter(duplicate_of__isnull=True).exists()
    for duplicate in duplicates.select_related("duplicate_of")[:50]:
        assert duplicate.duplicate_of.submitted_at <= duplicate.submitted_at
        assert duplicate.duplicate_of.category_id == duplicate.category_id
    answered = Report.objects.filter(status__in=[Status.ANSWERED, Status.RESOLVED, Status.CLOSED])
    assert not answered.filter(answered_at__isnull=True).exists()
    assert not answered.filter(public_answer="").exists()
    assert Report.objects.filter(overdue=True).exists()
    assert not Report.objects.filter(latitude__isnull=True, address="").exists()
    contacts = ReporterContact.objects.all()
    assert contacts.exists()
    assert all(name.startswith("Demo Reporter ") for name in contacts.values_list("name", flat=True))
    # Sensitive categories keep their flag.
    assert not Report.objects.filter(category__sensitive=True, sensitive=False).exists()


def check_events():
    events = ReportEvent.objects.order_by("report_id", "id").values_list("report_id", "kind", "at", "to_status")
    last = {}
    first_kind = {}
    final_status = {}
    for report_id, kind, at, to_status in events.iterator(chunk_size=5000):
        if report_id in last:
            assert at > last[report_id], report_id
        else:
            first_kind[report_id] = kind
        last[report_id] = at
        if to_status:
            final_status[report_id] = to_status
    assert set(first_kind.values()) == {ReportEvent.Kind.SUBMITTED}
    statuses = dict(Report.objects.values_list("id", "status"))
    assert statuses.keys() == first_kind.keys()
    # The last status an event names is the report's status.
    assert {pk: final_status[pk] for pk in statuses} == statuses


def check_references():
    region = Region.objects.get(short_code="AKT")
    for year in (2024, 2025, 2026):
        count = Report.objects.filter(region=region, reference__startswith=f"AKT-{year}-").count()
        assert count > 0
        assert ReferenceCounter.objects.get(region=region, year=year).last == count
    assert Report.objects.filter(reference="AKT-2024-000001").exists()


def test_it_adds_nothing_on_a_second_run():
    run_step()
    counts = (Report.objects.count(), ReportEvent.objects.count(), ReporterContact.objects.count())

    output = run_step()

    assert (Report.objects.count(), ReportEvent.objects.count(), ReporterContact.objects.count()) == counts
    assert "skipped" in output


def check_answering():
    """Answers, returns, forwards, extensions, registrations, followers: what oversight reads."""
    answered = Report.objects.filter(status__in=[Status.ANSWERED, Status.RESOLVED, Status.CLOSED])
    assert not answered.exclude(answers__isnull=False).exists()
    answers = Answer.objects.all()
    assert set(answers.values_list("result", flat=True)) == set(Answer.Result.values)
    assert answers.filter(on_time=False).exists() and answers.filter(on_time=True).exists()
    assert set(answers.values_list("decision", flat=True)) == set(Answer.Decision.values)
    assert not answers.filter(decision=Answer.Decision.RETURNED, return_reason="").exists()
    # Pending answers belong to answered reports only.
    assert not answers.filter(decision=Answer.Decision.PENDING).exclude(report__status=Status.ANSWERED).exists()
    assert set(Forward.objects.values_list("decision", flat=True)) >= {"pending", "upheld"}
    assert set(ExtensionRequest.objects.values_list("decision", flat=True)) == set(ExtensionRequest.Decision.values)
    granted = ExtensionRequest.objects.filter(decision="granted")
    assert not granted.filter(deadline_after__lte=F("deadline_before")).exists()
    registered = Report.objects.exclude(registration_number="")
    assert registered.exists() and not registered.filter(registration="").exists()
    # Some confirmed crimes are left unregistered: the concealment list has something to show.
    concealed = Report.objects.filter(answers__result=Answer.Result.CONFIRMED_CRIMINAL, registration_number="")
    assert concealed.exists()
    assert ReportSupporter.objects.exists() and not ReportSupporter.objects.filter(report__sensitive=True).exists()
    overdue_open = Report.objects.filter(status__in=["routed", "accepted", "returned"], overdue=True)
    assert overdue_open.exists() and not overdue_open.filter(overdue_at__isnull=True).exists()
    assert Report.objects.filter(escalated_at__isnull=False).exists()
    assert Report.objects.filter(rating__isnull=False).exists()


def check_alive_on_the_day_built():
    """Built on NOW: nothing after it, the queues hold reports due in the coming days, the
    oversight's 90-day figures have answers and places to show, 2025's reports are done with."""
    assert not ReportEvent.objects.filter(at__gt=NOW).exists()
    assert not Answer.objects.filter(at__gt=NOW).exists()
    waiting = Report.objects.filter(status__in=AWAITING_ANSWER)
    due_ahead = waiting.filter(deadline_at__gt=NOW)
    assert due_ahead.count() >= 20
    assert due_ahead.filter(routed_at__gte=NOW - timedelta(days=7)).exists()  # routed this week
    assert due_ahead.filter(deadline_at__lte=NOW + timedelta(days=7)).exists()  # due in the coming days
    assert waiting.filter(deadline_at__lte=NOW).count() < due_ahead.count() * 3  # overdue: some, not most
    # The reports of 2024-2025 lived on until NOW: few still wait for their answer (the long
    # overdue ones the oversight is for).
    old = Report.objects.filter(submitted_at__lt=timezone.make_aware(datetime(2025, 12, 1)))
    assert old.filter(status__in=AWAITING_ANSWER).count() < old.count() * 3 / 100
    region = Region.objects.get(short_code="AKT")
    ranking = oversight.body_ranking(region=region, now=NOW)
    assert len(ranking) >= 5 and sum(rank.answers for rank in ranking) >= 50
    assert oversight.repeat_places(region=region, now=NOW).count >= 3
    # A district prosecutor's too: Alga, a district of 40,000 people.
    alga = {District.objects.get(kato="153200000").pk}
    assert oversight.body_ranking(region=region, district_ids=alga, now=NOW)
    assert oversight.repeat_places(region=region, district_ids=alga, now=NOW).count >= 1


def test_it_builds_a_second_region_with_tokens_of_its_own():
    """Two regions built with the same seed: the random draws differ by region, so no tracking
    token's hash repeats (it is unique)."""
    from django.core.management import call_command

    from signals.tests.test_submit import SECOND_REGION_DIR

    call_command("load_reference", reference_dir=str(SECOND_REGION_DIR), verbosity=0)
    first = bulk_build_reports(region=Region.objects.get(short_code="AKT"), count=60, seed=DEMO_SEED, now=NOW)
    second = bulk_build_reports(region=Region.objects.get(short_code="TST"), count=60, seed=DEMO_SEED, now=NOW)
    assert first.reports and second.reports
    hashes = list(Report.objects.values_list("tracking_token_hash", flat=True))
    assert len(hashes) == len(set(hashes)) == first.reports + second.reports


def test_it_brings_a_demo_made_on_an_earlier_day_up_to_today():
    region = Region.objects.get(short_code="AKT")
    earlier = NOW - timedelta(days=20)
    made = bulk_build_reports(
        region=region, count=300, seed=DEMO_SEED, start=DEMO_END, end=timezone.localdate(earlier), now=earlier
    )
    assert made.reports and not Report.objects.filter(submitted_at__gt=earlier).exists()
    command = BaseCommand(stdout=StringIO(), stderr=StringIO())

    refresh_demo_reports(command, now=NOW)

    added = Report.objects.filter(submitted_at__date__gt=timezone.localdate(earlier))
    assert added.count() > 100 and not added.filter(submitted_at__gt=NOW).exists()
    assert added.filter(submitted_at__gt=NOW - timedelta(days=2)).exists()
    assert added.filter(status__in=AWAITING_ANSWER, deadline_at__gt=NOW).exists()
    # The same day again: nothing more.
    count = Report.objects.count()
    refresh_demo_reports(command, now=NOW + timedelta(hours=1))
    assert Report.objects.count() == count


def test_it_leaves_a_database_without_demo_reports_alone_when_refreshing(persona):
    new = BaseCommand(stdout=StringIO(), stderr=StringIO())
    refresh_demo_reports(new, now=NOW)
    assert not Report.objects.exists()


def test_the_demo_command_on_a_database_with_users_only_refreshes(persona):
    from django.core.management import call_command

    persona("alga_officer")  # a database with users, no demo reports
    call_command("demo", "--if-empty", "--force", stdout=StringIO())
    assert not Report.objects.exists()
