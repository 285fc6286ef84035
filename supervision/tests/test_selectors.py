"""Acts of response for the results summary: by type, outcome, issuing office and addressee body."""

from datetime import date

import pytest
from django.utils import timezone

from accounts.models import District
from supervision.selectors import acts_by_body, acts_summary
from supervision.services import act_outcome

from .factories import ALGA, TEMIR, new_report, office, on, record

pytestmark = pytest.mark.django_db

START, END = date(2025, 1, 1), date(2025, 6, 30)


@pytest.fixture
def region():
    return office("akt-prok-region").region


@pytest.fixture
def acts(persona):
    alga, temir, regional = persona("alga_prosecutor"), persona("temir_prosecutor"), persona("regional_prosecutor")
    akimat = office("akt-akimat-alga")

    def decided(act, outcome, officials=0):
        act_outcome(
            act=act,
            outcome=outcome,
            outcome_at=timezone.localdate(),
            officials_disciplined=officials,
            actor=act.created_by,
        )
        return act

    return {
        "alga_first_day": decided(on(START, record(alga)), "satisfied", 2),
        "alga_warning": on(date(2025, 3, 1), record(alga, type="warning", addressee=akimat)),
        "alga_last_day": decided(on(END, record(alga, addressee=akimat)), "partly", 1),
        "temir": decided(on(date(2025, 2, 1), record(temir, addressee=office("akt-police-temir"))), "rejected"),
        "regional_on_alga": on(date(2025, 4, 1), record(regional, reports=[new_report()])),
        "regional_on_temir": decided(
            on(date(2025, 5, 1), record(regional, reports=[new_report(TEMIR)], addressee=office("akt-police-temir"))),
            "satisfied",
            3,
        ),
        "before": on(date(2024, 12, 31), record(alga)),
        "after": on(date(2025, 7, 1), record(alga)),
    }


def test_it_counts_acts_of_the_period_by_type_outcome_and_office(region, acts):
    summary = acts_summary(region=region, start=START, end=END)
    assert summary["total"] == 6
    assert summary["officials_disciplined"] == 6
    assert summary["by_type"] == {
        "protest": 0,
        "submission": 5,
        "order": 0,
        "admin_resolution": 0,
        "warning": 1,
        "claim": 0,
        "instruction": 0,
        "pretrial": 0,
    }
    assert summary["by_outcome"] == {"pending": 2, "satisfied": 2, "partly": 1, "rejected": 1}
    offices = {row["code"]: row for row in summary["by_office"]}
    assert [row["code"] for row in summary["by_office"]][0] == "akt-prok-alga"
    assert {code: row["total"] for code, row in offices.items()} == {
        "akt-prok-alga": 3,
        "akt-prok-region": 2,
        "akt-prok-temir": 1,
    }
    alga = offices["akt-prok-alga"]
    assert (alga["satisfied"], alga["partly"], alga["pending"], alga["officials_disciplined"]) == (1, 1, 1, 3)
    assert alga["name"] == office("akt-prok-alga").name and alga["office_id"] == office("akt-prok-alga").pk


def test_it_narrows_the_summary_to_districts(region, acts):
    alga_ids = set(District.objects.filter(kato=ALGA).values_list("id", flat=True))
    summary = acts_summary(region=region, start=START, end=END, district_ids=alga_ids)
    # The Alga office's three acts and the regional act on an Alga report.
    assert summary["total"] == 4
    assert summary["by_outcome"] == {"pending": 2, "satisfied": 1, "partly": 1, "rejected": 0}
    temir_ids = set(District.objects.filter(kato=TEMIR).values_list("id", flat=True))
    assert acts_summary(region=region, start=START, end=END, district_ids=temir_ids)["officials_disciplined"] == 3


def test_it_counts_acts_by_addressee_body(region, acts):
    rows = {row["code"]: row for row in acts_by_body(region=region, start=START, end=END)}
    assert {code: row["total"] for code, row in rows.items()} == {
        "akt-akimat-alga": 2,
        "akt-police-temir": 2,
        "akt-police-alga": 2,
    }
    akimat = rows["akt-akimat-alga"]
    assert (akimat["pending"], akimat["partly"], akimat["officials_disciplined"]) == (1, 1, 1)
    assert rows["akt-police-temir"]["body_id"] == office("akt-police-temir").pk


def test_it_counts_nothing_in_an_empty_period(region, acts):
    summary = acts_summary(region=region, start=date(2020, 1, 1), end=date(2020, 12, 31))
    assert summary["total"] == 0 and summary["officials_disciplined"] == 0
    assert set(summary["by_outcome"].values()) == {0} and summary["by_office"] == []
    assert acts_by_body(region=region, start=date(2020, 1, 1), end=date(2020, 12, 31)) == []
