"""The demo step: the office's summaries prepared from the demo records through its own steps."""

from io import StringIO

import pytest
from django.core.management.base import BaseCommand

from accounts.demo import create_demo_users
from reporting.demo import create_demo_summaries
from reporting.models import ResultsSummary, SummaryVersion
from reporting.tests import facts
from reporting.tests.facts import ALGA, TEMIR, local

pytestmark = pytest.mark.django_db


def run(step) -> str:
    command = BaseCommand(stdout=StringIO(), stderr=StringIO())
    step(command)
    return command.stdout.getvalue()


def test_it_prepares_a_published_summary_a_new_version_and_drafts_once(settings):
    settings.DEBUG = True
    run(create_demo_users)
    for day in (3, 4):
        facts.submit(local(2025, 3, day), kato=ALGA)
    facts.submit(local(2025, 11, 3), kato=TEMIR)
    assert "Demo results summaries: 3" in run(create_demo_summaries)
    nine = ResultsSummary.objects.get(period_end="2025-09-30")
    states = list(nine.versions.order_by("number").values_list("state", flat=True))
    assert states == [SummaryVersion.State.PUBLISHED, SummaryVersion.State.DRAFT]
    published = nine.versions.get(number=1)
    received = next(item for item in published.figures["ru"] if item["code"] == "fsm.reports.received")
    assert received["value"] == 2 and published.paragraphs["kk"]
    district = ResultsSummary.objects.get(title__contains="района")
    assert list(district.districts.values_list("kato", flat=True)) == [ALGA]
    assert "skipped" in run(create_demo_summaries) and ResultsSummary.objects.count() == 3
