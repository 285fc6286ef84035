"""The demo's cases and acts give the 9-month document's figures (1 January - 30 September 2025,
as of 16 October 2025), each in its hedge class, computed from the records as the summary computes
them, and each checked against the records themselves."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management.base import BaseCommand
from django.db.models import Sum

from accounts.demo import create_demo_users
from reporting.catalogue import sync
from reporting.demo import read_demo_records
from reporting.figures import Request, compute
from reporting.numbers import Hedged, hedge
from reporting.phrases import phrase
from reporting.tests import facts
from supervision.highlights import rendered
from supervision.models import ActAmount, CaseEvent, CriminalCase, Highlight, Stage
from supervision.record_demo import build_demo_records
from supervision.tests.test_submissions import make_catalogue

pytestmark = pytest.mark.django_db

# code -> (the document's figure, exact: the value itself; else the hedged text's number)
EXACT = {
    "prosecution.cases_in_court": 973,
    "prosecution.verdicts": 824,
    "prosecution.imprisoned": 410,
    "prosecution.appeals_satisfied": 36,
    "prosecution.high_profile_verdicts": 4,
    "drugs.labs_liquidated": 2,
    "drugs.special_cases_to_court": 2,
    "drugs.special_in_custody": 7,
    "corruption.initiated_convicted": 5,
    "corruption.initiated_under_investigation": 16,
    "construction.claims_satisfied": 6,
    "construction.holders_satisfied": 285,
    "construction.claims_in_court": 3,
    "construction.holders_in_court": 128,
    "children.orphans_housed": 45,
    "business.investors_protected": 27,
    "business.tariff_enterprises": 17,
    "business.inspection_officials": 12,
    "business.entrepreneurs_freed": 35,
    "budget.reimbursed": Decimal("1200000000"),
    "budget.to_state_budget": Decimal("1000000000"),
}
HEDGED = {
    "public_interests.violations": ("more_than", Decimal("1000")),
    "public_interests.citizens_restored": ("over", Decimal("7000")),
    "public_interests.officials_held_accountable": ("about", Decimal("1000")),
    "public_interests.assessed": ("about", Decimal("8000000000")),
    "budget.misuse_prevented": ("more_than", Decimal("3000000000")),
}


def nine_months():
    """The demo built as of the document's day, and its 9-month summary (the catalogue as migrations
    leave it, written again where a transactional test emptied it)."""
    make_catalogue()
    sync()
    create_demo_users(BaseCommand(stdout=StringIO(), stderr=StringIO()))
    region = facts.region()
    build_demo_records(region=region, today=date(2025, 10, 16))
    read_demo_records()
    return compute(Request.make(region=region, start=date(2025, 1, 1), end=date(2025, 9, 30), as_of=date(2025, 10, 16)))


def test_the_demo_gives_the_nine_month_document_s_figures_from_its_records():
    summary = nine_months()
    for code, expected in EXACT.items():
        figure = summary.figure(code)
        assert figure.source == "computed", code
        assert figure.value == expected, code
    for code, (kind, shown) in HEDGED.items():
        figure = summary.figure(code)
        assert figure.hedging == kind, code
        assert hedge(figure.value, kind) == Hedged(kind, shown), (code, figure.value)
    # "More than 76 kg of synthetic drugs seized", as the document writes it.
    seized = summary.figure("drugs.seized_kg")
    assert (seized.hedging, phrase(seized.value, seized.unit, "en", hedging=seized.hedging)) == (
        "more_than",
        "more than 76\u00a0kg",
    )
    nine = {"on__gte": date(2025, 1, 1), "on__lte": date(2025, 9, 30)}
    verdicts = CaseEvent.objects.filter(kind=CaseEvent.Kind.VERDICT, **nine)
    assert summary.figure("prosecution.verdicts").value == verdicts.count()
    assert summary.figure("prosecution.imprisoned").value == verdicts.aggregate(n=Sum("imprisoned"))["n"]
    preliminary = ActAmount.objects.filter(heading__in=("damage", "fines"), preliminary=True, **nine)
    assert summary.figure("public_interests.assessed").value == preliminary.aggregate(n=Sum("amount"))["n"]
    # The four high-profile cases at their final decision; the two dropper cases' stages.
    assert CriminalCase.objects.filter(high_profile=True, stage=Stage.VERDICT).count() == 4
    # Each high-profile case quoted by an approved highlight, its numbers the case's.
    highlights = Highlight.objects.approved().filter(case__high_profile=True)
    assert highlights.count() == 4
    assert "6 billion\u00a0tenge from the Tu-Kha company" in rendered(highlights.get(case__economic=True), "en")
    droppers = summary.figure("fraud.dropper_cases")
    assert droppers.value == 2
    assert {part.key: part.value for part in droppers.by["stage"] if part.value} == {Stage.VERDICT: 1, Stage.COURT: 1}
