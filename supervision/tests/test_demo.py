"""The demo step: acts of response built from the demo reports' late and returned answers."""

from io import StringIO

import pytest
from django.core.management.base import BaseCommand
from django.db.models import Count

from signals.demo import create_demo_reports
from signals.models import Report, ReportEvent
from supervision.demo import create_demo_acts
from supervision.models import OutgoingCounter, SupervisoryAct

pytestmark = pytest.mark.django_db


def run(step) -> str:
    command = BaseCommand(stdout=StringIO(), stderr=StringIO())
    step(command)
    return command.stdout.getvalue()


def test_it_records_acts_for_late_answers_with_numbers_outcomes_and_report_events(smaller_demo):
    run(create_demo_reports)
    assert "Demo acts of response of AKT" in run(create_demo_acts)
    acts = SupervisoryAct.objects.all()
    assert acts.count() >= 50
    assert set(acts.values_list("outcome", flat=True)) == set(SupervisoryAct.Outcome.values)
    assert acts.values("type").distinct().count() >= 4
    assert not acts.filter(addressee__isnull=True).exists() and not acts.filter(outgoing_number="").exists()
    # Outgoing numbers are unique per office, and the counters stand at the last number given.
    numbers = acts.values("issuing_office", "outgoing_number").annotate(n=Count("id")).filter(n__gt=1)
    assert not numbers.exists()
    for counter in OutgoingCounter.objects.all()[:5]:
        given = acts.filter(issuing_office=counter.office, date__year=counter.year).count()
        assert counter.last == given
    # Every act covers reports of the issuing office's districts that were late or returned.
    act = acts.prefetch_related("reports").first()
    reports = list(act.reports.all())
    assert reports and all(r.body_id == act.addressee_id for r in reports)
    assert all(r.overdue or r.answers.filter(decision="returned").exists() for r in reports)
    linked = Report.objects.filter(supervisory_acts__isnull=False).distinct().count()
    assert ReportEvent.objects.filter(kind=ReportEvent.Kind.ACT).values("report").distinct().count() == linked
    # Only pending acts lack an outcome date.
    assert not acts.exclude(outcome="pending").filter(outcome_at__isnull=True).exists()
    # A second run adds nothing.
    assert "exist: skipped" in run(create_demo_acts)
    assert SupervisoryAct.objects.count() == acts.count()
