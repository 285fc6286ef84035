"""The demo step: two years of reports in every status, built in bulk, and only once."""

from io import StringIO

import pytest
from django.core.management.base import BaseCommand
from django.db.models import Count, F, Max, Min
from django.utils import timezone

from accounts.models import District, Region
from signals.demo import DEMO_END, DEMO_START, create_demo_reports
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

pytestmark = pytest.mark.django_db

Status = Report.Status


def run_step() -> str:
    command = BaseCommand(stdout=StringIO(), stderr=StringIO())
    create_demo_reports(command)
    return command.stdout.getvalue() + command.stderr.getvalue()


def test_it_creates_two_years_of_reports_in_every_status_with_ordered_events():
    # One build (a few seconds) checked from several sides.
    run_step()

    check_spread()
    check_statuses()
    check_events()
    check_references()
    check_answering()


def check_spread():

    reports = Report.objects.all()
    assert reports.count() >= 6000
    assert set(reports.values_list("status", flat=True)) == set(Status.values)
    span = reports.aggregate(first=Min("submitted_at"), last=Max("submitted_at"))
    assert timezone.localdate(span["first"]).isoformat() < "2024-01-15"
    assert timezone.localdate(span["last"]).isoformat() > "2025-12-15"
    assert timezone.localdate(span["first"]) >= DEMO_START and timezone.localdate(span["last"]) <= DEMO_END
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
    for year in (2024, 2025):
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
