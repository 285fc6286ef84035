"""The catalogue follows the code: computed metrics synced by code when migrating, the
administrator's names and hedging kept, a metric removed from the code retired and never deleted;
the catalogue page lists them for the summary's readers only."""

from dataclasses import replace

import pytest
from django.urls import reverse

from lib import plugins
from lib.metrics import Hedging, Source
from reporting import catalogue
from reporting.figures import Request, compute
from reporting.models import Metric
from reporting.tests import facts

pytestmark = pytest.mark.django_db


def declared_codes() -> set[str]:
    return {metric.code for group in plugins.metric_groups() for metric in group.metrics}


def test_it_has_a_row_for_every_declared_metric_after_migrating():
    rows = Metric.objects.filter(source=Source.COMPUTED, retired_at__isnull=True)
    assert set(rows.values_list("code", flat=True)) == declared_codes()
    received = rows.get(code="fsm.reports.received")
    assert received.name_en == "Reports received"
    assert received.name_ru and received.name_kk and received.name_ru != received.name_en
    assert received.definition_ru and received.version == 1
    assert rows.get(code="fsm.answers.on_time").parent.code == "fsm.answers.given"


def test_it_keeps_the_administrators_names_and_hedging_and_follows_the_code_otherwise():
    Metric.objects.filter(code="fsm.reports.received").update(
        name_ru="Поступило обращений", hedging=Hedging.OVER, unit="kg", version=7
    )
    assert catalogue.sync().updated == 1
    row = Metric.objects.get(code="fsm.reports.received")
    assert (row.name_ru, row.hedging) == ("Поступило обращений", Hedging.OVER)
    assert (row.unit, row.version) == ("count", 1)


def test_it_retires_a_metric_removed_from_the_code_and_brings_it_back(monkeypatch):
    groups = plugins.metric_groups()
    without = [replace(g, metrics=tuple(m for m in g.metrics if m.code != "fsm.reports.reopened")) for g in groups]
    monkeypatch.setattr(catalogue, "metric_groups", lambda: without)
    assert catalogue.sync().retired == 1
    row = Metric.objects.get(code="fsm.reports.reopened")
    assert row.retired_at is not None  # kept, not deleted
    monkeypatch.setattr(catalogue, "metric_groups", lambda: groups)
    catalogue.sync()
    assert Metric.objects.get(code="fsm.reports.reopened").retired_at is None


def test_it_gives_each_figure_the_version_of_its_definition(monkeypatch):
    groups = plugins.metric_groups()
    bumped = [
        replace(g, metrics=tuple(replace(m, version=2) if m.code == "fsm.reports.received" else m for m in g.metrics))
        for g in groups
    ]
    monkeypatch.setattr(catalogue, "metric_groups", lambda: bumped)
    catalogue.sync()
    assert Metric.objects.get(code="fsm.reports.received").version == 2
    from datetime import date

    monkeypatch.setattr("reporting.figures.metric_groups", lambda: bumped)
    summary = compute(Request.make(region=facts.region(), start=date(2025, 1, 1), end=date(2025, 1, 31)))
    assert summary.figure("fsm.reports.received").version == 2
    assert summary.figure("fsm.answers.given").version == 1


def test_it_shows_a_submitted_metric_the_administrator_added_without_a_value():
    Metric.objects.create(
        code="tax.audits",
        name_en="Tax audits",
        unit="count",
        area="tax",
        kind="flow",
        aggregation="sum",
        source=Source.SUBMITTED,
    )
    from datetime import date

    summary = compute(Request.make(region=facts.region(), start=date(2025, 1, 1), end=date(2025, 1, 31)))
    figure = summary.figure("tax.audits")
    assert figure.value is None and figure.source == Source.SUBMITTED and figure.note


@pytest.mark.parametrize("username", ["analyst", "alga_prosecutor", "regional_prosecutor", "board_secretary"])
def test_it_lists_the_catalogue_for_the_summarys_readers(login, username):
    html = login(username).get(reverse("reporting:catalogue"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "fsm.reports.received" in html and "Reports received" in html
    assert "Offence reports received in the period" in html  # its definition


@pytest.mark.parametrize("username", ["alga_officer", "bank_partner", "citizen"])
def test_it_refuses_the_catalogue_to_others(login, username):
    assert login(username).get(reverse("reporting:catalogue")).status_code == 403
