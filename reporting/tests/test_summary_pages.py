"""The summaries' pages over real HTTP: the builder, the list, a version (its text, approval,
publication, a new version), the export for publishing, and each figure's records; every endpoint
scoped (a district prosecutor their district's, the regional roles the region's, a body or a
partner nothing), a reporter's identity never shown."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from lib.plugins import metric_groups
from reporting import services
from reporting.models import ResultsSummary, SummaryVersion
from reporting.tests import facts
from reporting.tests.facts import ALGA, TEMIR, local
from signals.models import ReporterContact

pytestmark = pytest.mark.django_db
PERIOD = {"from": "2025-01-01", "to": "2025-09-30", "as_of": "2025-09-30"}


@pytest.fixture
def login(login):
    """The pages in English unless a test asks otherwise (the messages the tests read)."""

    def _login(username):
        client = login(username)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return _login


@pytest.fixture
def reports():
    made = [facts.submit(local(2025, 3, day), kato=ALGA) for day in (3, 4, 5)]
    made.append(facts.submit(local(2025, 3, 6), kato=TEMIR))
    facts.answer(made[0], local(2025, 3, 7))
    return made


def start(persona, username="analyst", katos=()):
    return services.summary_start(
        actor=persona(username),
        title="Итоги",
        region=None,
        katos=list(katos),
        start=date(2025, 1, 1),
        end=date(2025, 9, 30),
    )


def version_url(version, suffix=""):
    return reverse("reporting:version", args=[version.summary_id, version.number]) + suffix


def test_the_builder_shows_live_figures_and_text_and_saves_a_draft(login, reports):
    client = login("analyst")
    page = client.get(reverse("reporting:summary_new"))
    assert page.status_code == 200
    preview = client.get(
        reverse("reporting:summary_preview"), {"start": "2025-01-01", "end": "2025-09-30", "lang": "ru"}
    )
    html = preview.content.decode()
    assert "4 обращения" in html and "/reporting/figures/fsm.reports.received/?from=2025-01-01" in html
    saved = client.post(
        reverse("reporting:summary_new"), {"title": "Итоги 9 месяцев", "start": "2025-01-01", "end": "2025-09-30"}
    )
    version = SummaryVersion.objects.get(summary__title="Итоги 9 месяцев")
    assert saved.status_code == 302 and saved["Location"] == version_url(version)


def test_the_builder_offers_the_boards_usual_periods_and_opens_on_the_one_chosen(login, reports, monkeypatch):
    client = login("analyst")
    monkeypatch.setattr("reporting.forms.local_today", lambda: date(2026, 5, 4))
    page = client.get(reverse("reporting:summary_new")).content.decode()
    assert "First quarter of 2026" in page and "First half of 2026" not in page and "The year 2025" in page
    assert "?from=2025-01-01&amp;to=2025-09-30" in page  # 9 months of 2025
    chosen = client.get(reverse("reporting:summary_new"), {"from": "2025-03-01", "to": "2025-03-31", "lang": "ru"})
    text = strip_tags(chosen.content.decode())
    assert 'value="2025-03-31"' in chosen.content.decode() and "поступило 4 обращения" in text
    assert client.get(reverse("reporting:summary_new"), {"from": "31.03.2025"}).status_code == 200  # the default


def test_the_builder_refuses_a_period_ending_before_it_starts_and_keeps_what_was_typed(login):
    client = login("analyst")
    page = client.post(reverse("reporting:summary_new"), {"title": "Итоги", "start": "2025-09-30", "end": "2025-01-01"})
    assert page.status_code == 400 and "The period ends before it starts." in page.content.decode()
    assert 'value="Итоги"' in page.content.decode() and not ResultsSummary.objects.exists()


def test_a_version_is_edited_approved_published_and_made_again(login, persona, reports):
    version = start(persona)
    analyst = login("analyst")
    page = analyst.get(version_url(version, "?lang=ru")).content.decode()
    assert "4 обращения" in page and "Edit the text" in page
    assert "Edit the text" not in login("regional_prosecutor").get(version_url(version)).content.decode()
    refused = analyst.post(version_url(version, "text/"), {"lang": "ru", "text": "# Итоги\nПлохо {fsm.nope}."})
    assert refused.status_code == 400 and "Line 2" in refused.content.decode()
    assert "Плохо {fsm.nope}." in refused.content.decode()  # what was typed stays
    assert (
        analyst.post(
            version_url(version, "text/"), {"lang": "ru", "text": "# Итоги\nВсего {fsm.reports.received|обращение}."}
        ).status_code
        == 302
    )
    assert analyst.post(version_url(version, "approve/")).status_code == 403
    assert SummaryVersion.objects.get(pk=version.pk).state == SummaryVersion.State.DRAFT  # not the analyst's to approve
    approver = login("regional_prosecutor")
    approver.post(version_url(version, "approve/"))
    approver.post(version_url(version, "publish/"))
    version.refresh_from_db()
    assert version.state == SummaryVersion.State.PUBLISHED
    frozen = analyst.post(version_url(version, "text/"), {"lang": "ru", "text": "Иначе."})
    assert frozen.status_code == 409 and "it no longer changes. Make a new version" in frozen.content.decode()
    facts.submit(local(2025, 4, 1), kato=TEMIR)
    page = strip_tags(analyst.get(version_url(version, "?lang=ru")).content.decode())
    assert "Всего 4 обращения." in page  # frozen: the later report is not in it
    export = analyst.get(version_url(version, "export/?lang=ru")).content.decode()
    assert "Всего 4 обращения." in export and "/reporting/figures" not in export and "href" not in export
    analyst.post(version_url(version, "new-version/"))
    second = SummaryVersion.objects.get(summary=version.summary, number=2)
    page = strip_tags(analyst.get(version_url(second, "?lang=ru")).content.decode())
    assert "Всего 5 обращений." in page and "What changed since version 1" in page
    changed = page[page.index("What changed since version 1") :]
    assert "The text reads the same as in that version." in changed  # only a number moved: a figure's change
    text = "# Итоги\nВсего {fsm.reports.received|обращение}.\nРабота продолжается."
    analyst.post(version_url(second, "text/"), {"lang": "ru", "text": text})
    changed = strip_tags(analyst.get(version_url(second, "?lang=ru")).content.decode()).split("What changed")[1]
    assert "Работа продолжается." in changed and "Всего" not in changed.split("The text")[1]


def test_a_figure_page_shows_the_definition_the_parameters_and_the_rows_never_the_reporter(login, reports):
    ReporterContact.objects.create(
        report=reports[0], name="Айгерім Сұлтанова", phone="+77011234567", consent_at=local(2025, 3, 3)
    )
    client = login("regional_prosecutor")
    page = client.get(reverse("reporting:figure", args=["fsm.reports.received"]), PERIOD)
    html = page.content.decode()
    assert page.status_code == 200
    assert "4 records counted" in html
    assert all(report.reference in html for report in reports)
    assert "Сұлтанова" not in html and "7011234567" not in html
    one = client.get(reverse("reporting:figure", args=["fsm.reports.received"]), {**PERIOD, "unit": TEMIR})
    assert reports[3].reference in one.content.decode() and reports[0].reference not in one.content.decode()


@pytest.mark.parametrize("code", [metric.code for group in metric_groups() for metric in group.metrics])
def test_every_computed_metric_has_its_page(login, reports, code):
    page = login("analyst").get(reverse("reporting:figure", args=[code]), PERIOD)
    assert page.status_code == 200, code
    assert code in page.content.decode()


def test_a_district_prosecutor_works_on_the_district_only(login, persona, reports):
    region_wide = start(persona)
    alga = start(persona, "alga_prosecutor", [ALGA])
    temir = login("temir_prosecutor")
    for url in (version_url(alga), version_url(alga, "export/"), version_url(alga, "figures/fsm.reports.received/")):
        assert temir.get(url).status_code == 404
    assert temir.post(version_url(alga, "text/"), {"lang": "ru", "text": "x"}).status_code == 404
    assert temir.post(version_url(alga, "approve/")).status_code == 404
    alga_client = login("alga_prosecutor")
    assert alga_client.get(version_url(region_wide)).status_code == 404
    listed = alga_client.get(reverse("reporting:summaries")).content.decode()
    assert version_url(alga) in listed or reverse("reporting:summary", args=[alga.summary_id]) in listed
    assert reverse("reporting:summary", args=[region_wide.summary_id]) not in listed
    figure = reverse("reporting:figure", args=["fsm.reports.received"])
    assert alga_client.get(figure, {**PERIOD, "district": TEMIR}).status_code == 403
    mine = alga_client.get(figure, PERIOD).content.decode()
    assert reports[0].reference in mine and reports[3].reference not in mine
    assert alga_client.get(figure, {**PERIOD, "unit": TEMIR}).status_code == 400


@pytest.mark.parametrize("username", ["alga_officer", "bank_partner", "citizen"])
def test_bodies_partners_and_citizens_reach_no_summary_page(login, persona, reports, username):
    version = start(persona)
    client = login(username)
    for url in (
        reverse("reporting:summaries"),
        reverse("reporting:summary_new"),
        reverse("reporting:summary_preview"),
        reverse("reporting:figure", args=["fsm.reports.received"]) + "?from=2025-01-01&to=2025-09-30",
        version_url(version),
        version_url(version, "figures/fsm.reports.received/"),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(version_url(version, "approve/")).status_code == 403


def test_a_figure_page_refuses_dates_out_of_range_and_an_unknown_metric(login, reports):
    client = login("analyst")
    figure = reverse("reporting:figure", args=["fsm.reports.received"])
    for period in ({"from": "0001-01-01", "to": "2025-01-01"}, {"from": "2025-01-01", "to": "9999-12-31"}):
        page = client.get(figure, period)
        assert page.status_code == 400 and "Choose dates from 1991-01-01" in page.content.decode()
    assert client.get(figure, {"from": "2025-01-01"}).status_code == 400
    assert client.get(reverse("reporting:figure", args=["fsm.nothing"]), PERIOD).status_code == 404
    assert client.get(figure, {**PERIOD, "page": "x"}).status_code == 200  # the first page
    assert client.get(figure, {**PERIOD, "dimension": "colour", "key": "x"}).status_code == 400


def test_a_districts_sensitive_reports_are_not_listed_by_category(login, reports):
    hidden = facts.submit(local(2025, 3, 8), kato=ALGA, code="child-at-risk")
    client = login("regional_prosecutor")
    figure = reverse("reporting:figure", args=["fsm.reports.received"])
    region_wide = client.get(figure, {**PERIOD, "dimension": "category", "key": "child-at-risk"}).content.decode()
    assert hidden.reference in region_wide  # the region's own breakdown
    one_district = {**PERIOD, "unit": ALGA, "dimension": "category", "key": "child-at-risk"}
    assert hidden.reference not in client.get(figure, one_district).content.decode()
    assert hidden.reference in client.get(figure, {**PERIOD, "unit": ALGA}).content.decode()  # counted, not broken down


def test_only_a_published_version_is_downloaded_for_publishing(login, persona, reports):
    version = start(persona)
    client = login("regional_prosecutor")
    assert client.get(version_url(version, "export/")).status_code == 404
    client.post(version_url(version, "approve/"))
    assert client.get(version_url(version, "export/")).status_code == 404
    client.post(version_url(version, "publish/"))
    export = client.get(version_url(version, "export/?lang=kk"))
    assert export.status_code == 200 and 'lang="kk"' in export.content.decode()
