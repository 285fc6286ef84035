"""Several offices' summaries computed together (reporting.figures.compute_each, for the press
releases of every district office) are the summaries computed one by one: the region's cells kept
by district give each office its own figures, breakdowns and base."""

from datetime import date

import pytest

from accounts.models import District
from reporting.figures import Request, compute, compute_each
from reporting.tests import facts
from reporting.tests.facts import ALGA, TEMIR, local

pytestmark = pytest.mark.django_db


def figures_of(summary) -> dict:
    return {
        figure.code: (figure.value, figure.base, [(p.key, p.value, p.base) for p in figure.by_district], figure.by)
        for figure in summary.figures
    }


def test_it_computes_each_office_as_alone(settings):
    for day, kato in ((3, ALGA), (4, ALGA), (5, TEMIR)):
        report = facts.submit(local(2025, 3, day), kato=kato)
        facts.answer(report, local(2025, 3, day + 2))
    facts.submit(local(2024, 3, 9), kato=TEMIR)
    facts.submit(local(2025, 3, 9), kato=ALGA, code="domestic-violence")
    requests = [
        Request.make(
            region=facts.region(),
            start=date(2025, 1, 1),
            end=date(2025, 6, 30),
            as_of=date(2025, 6, 30),
            district_ids=ids,
        )
        for ids in (
            frozenset({District.objects.get(kato=ALGA).pk}),
            frozenset({District.objects.get(kato=TEMIR).pk}),
            None,
        )
    ]
    together = compute_each(requests)
    alone = [compute(request) for request in requests]
    assert [figures_of(summary) for summary in together] == [figures_of(summary) for summary in alone]
    received = [summary.figure("fsm.reports.received").value for summary in together]
    assert received == [3, 1, 4]
