"""The demo step: indicators read from the demo reports' own texts, the banks' and the antifraud
centre's notices beside them, a share confirmed, each value kept once; run again, nothing doubles."""

from datetime import date
from io import StringIO

import pytest
from django.core.management.base import BaseCommand
from django.db.models import Count

from accounts.models import Region
from registry.demo.indicators import create_demo_indicators, refresh_demo_indicators
from registry.extraction import extract
from registry.indicators import Kind
from registry.models import Indicator, Sighting, Status
from registry.services import report_text
from signals.demo.builder import bulk_build_reports
from signals.models import Report

pytestmark = pytest.mark.django_db


def run(step) -> str:
    command = BaseCommand(stdout=StringIO(), stderr=StringIO())
    step(command)
    return command.stdout.getvalue()


def test_it_reads_the_demo_reports_and_adds_the_notices_once(persona):
    persona("alga_prosecutor")  # a district prosecutor confirms
    region = Region.objects.get()
    bulk_build_reports(region=region, count=400, start=date(2025, 1, 1), end=date(2025, 6, 30))
    assert "Demo registry indicators of AKT" in run(create_demo_indicators)
    named = {
        (found.kind, found.value)
        for report in Report.objects.all()
        for found in extract(report_text(report.description, report.address, report.attributes))
    }
    from_reports = Indicator.objects.filter(sightings__source=Sighting.Source.REPORT).distinct()
    assert named and len(named) == from_reports.count()
    kinds = set(Indicator.objects.values_list("kind", flat=True))
    assert {Kind.PHONE, Kind.TELEGRAM, Kind.IBAN, Kind.CARD} <= kinds
    assert Indicator.objects.filter(status=Status.CONFIRMED).exists()
    assert not Indicator.objects.values("kind", "value_hash").annotate(n=Count("id")).filter(n__gt=1).exists()
    card = (
        Indicator.objects.filter(kind=Kind.CARD, status=Status.SUSPECTED).first()
        or Indicator.objects.filter(kind=Kind.CARD).first()
    )
    assert card.value == "" and card.shown.startswith("400000")
    count = Indicator.objects.count()
    assert "skipped" in run(create_demo_indicators) and Indicator.objects.count() == count
    from_reports = Sighting.objects.filter(source=Sighting.Source.REPORT)
    notices = Sighting.objects.exclude(source=Sighting.Source.REPORT)
    latest_notice = notices.order_by("-at").first().at
    reports_before, notices_before = from_reports.count(), notices.filter(at__lte=latest_notice).count()
    run(refresh_demo_indicators)  # no report since, and notices only after the latest one
    assert from_reports.count() == reports_before
    assert notices.filter(at__lte=latest_notice).count() == notices_before
