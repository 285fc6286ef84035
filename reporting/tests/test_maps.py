"""The results summary's map: the finest units (a city's districts where they have shapes, never the
city besides), coloured by the change of a figure, with rates where the population is known; the
units without a shape listed; reports of sensitive categories never on it; the Vega-Lite map of the
documents rendered by vl-convert in every language; the page within the user's remit."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import District
from lib.metrics import Window
from reporting import maps
from reporting import services as summary_services
from reporting.charts import render_svg
from reporting.figures import Request, compute, window_of
from reporting.tests import facts
from reporting.tests.facts import ALGA, ALMATY_DISTRICT, CITY, TEMIR, clock, local
from signals import services
from signals.map_layers import report_points

pytestmark = pytest.mark.django_db

ASTANA_DISTRICT = "151011100"
AITEKE_BI = "153400000"  # no shape in the reference data
BAIGANIN = "153600000"  # no shape, no population
RECEIVED = "fsm.reports.received"
PERIOD = {"from": "2025-01-01", "to": "2025-09-30"}
# Two squares inside the city, for its districts (the reference data has none for them).
WEST = {
    "type": "Polygon",
    "coordinates": [[[57.10, 50.22], [57.20, 50.22], [57.20, 50.32], [57.10, 50.32], [57.10, 50.22]]],
}
EAST = {
    "type": "Polygon",
    "coordinates": [[[57.20, 50.22], [57.30, 50.22], [57.30, 50.32], [57.20, 50.32], [57.20, 50.22]]],
}


def summary_of(district_ids=None, code=""):
    request = Request.make(
        region=facts.region(),
        start=date(2025, 1, 1),
        end=date(2025, 9, 30),
        as_of=date(2025, 9, 30),
        district_ids=district_ids,
    )
    return compute(request, only=code)


def shape_the_city_districts():
    District.objects.filter(kato=ALMATY_DISTRICT).update(boundary=WEST, boundary_approximate=False)
    District.objects.filter(kato=ASTANA_DISTRICT).update(boundary=EAST, boundary_approximate=False)


def submit_at(at, *, kato, code="public-order", point=None):
    """A report with a point (lat, lon) where asked, as the public form sends it."""
    latitude, longitude = point or (None, None)
    with clock(at):
        return services.report_submit(
            actor=None,
            category=code,
            description="Fights near the shop every night.",
            channel="web",
            district=District.objects.get(kato=kato),
            latitude=latitude,
            longitude=longitude,
            address="Main street 1",
            now=at,
        ).report


def units_by_kato(drawn):
    return {unit.kato: unit for unit in drawn.units}


def test_it_draws_the_city_when_its_districts_have_no_shape():
    facts.submit(local(2025, 3, 3), kato=ALMATY_DISTRICT)
    facts.submit(local(2025, 3, 4), kato=CITY)
    drawn = maps.summary_map(summary_of(code=RECEIVED), "en", RECEIVED, points=False)
    units = units_by_kato(drawn)
    assert CITY in units and ALMATY_DISTRICT not in units and ASTANA_DISTRICT not in units
    assert units[CITY].value == 2  # the city holds its district's report: counted once
    assert sum(unit.value for unit in drawn.units) == 2


def test_it_draws_a_citys_districts_with_their_own_figures_and_never_the_city_besides():
    shape_the_city_districts()
    facts.submit(local(2025, 3, 3), kato=ALMATY_DISTRICT)
    facts.submit(local(2025, 3, 4), kato=ALMATY_DISTRICT)
    facts.submit(local(2024, 3, 4), kato=ALMATY_DISTRICT)
    facts.submit(local(2025, 3, 5), kato=ASTANA_DISTRICT)
    facts.submit(local(2025, 3, 6), kato=ALGA)
    summary = summary_of(code=RECEIVED)
    drawn = maps.summary_map(summary, "en", RECEIVED, points=False)
    units = units_by_kato(drawn)
    assert CITY not in units
    assert units[ALMATY_DISTRICT].value == 2 and units[ALMATY_DISTRICT].base == 1
    assert units[ALMATY_DISTRICT].change_percent == 100
    assert units[ASTANA_DISTRICT].value == 1 and units[ALGA].value == 1
    # Every report once: the map's units add up to the summary's total.
    assert sum(unit.value for unit in drawn.units) == summary.figure(RECEIVED).value == 4
    assert [unit.kato for unit in drawn.drawn][:2] == [ASTANA_DISTRICT, ALMATY_DISTRICT]


def test_it_notes_what_a_city_holds_outside_the_districts_it_is_drawn_as():
    shape_the_city_districts()
    facts.submit(local(2025, 3, 3), kato=ALMATY_DISTRICT)
    facts.submit(local(2025, 3, 4), kato=CITY)
    drawn = maps.summary_map(summary_of(code=RECEIVED), "en", RECEIVED, points=False)
    assert CITY not in units_by_kato(drawn)
    assert any("without one of its districts" in note and "1" in note for note in drawn.notes)


def test_it_gives_the_rate_per_10000_where_the_population_is_known_beside_the_bases():
    alga = District.objects.get(kato=ALGA)
    for day in (3, 4, 5, 6):
        facts.submit(local(2025, 3, day), kato=ALGA)
    for day in (3, 4):
        facts.submit(local(2024, 3, day), kato=ALGA)
    drawn = maps.summary_map(summary_of(code=RECEIVED), "en", RECEIVED, points=False)
    unit = units_by_kato(drawn)[ALGA]
    assert unit.rate == Decimal("0.9") == round(Decimal(4 * 10_000) / alga.population, 1)
    assert unit.base_rate == Decimal("0.5") == round(Decimal(2 * 10_000) / alga.population, 1)
    assert unit.change_percent == 100 and unit.band == len(maps.BANDS)  # the highest band
    # A unit whose population is not known has no rate, and still its change.
    assert units_by_kato(drawn)[BAIGANIN].rate is None and units_by_kato(drawn)[AITEKE_BI].rate == 0


def test_it_lists_a_unit_without_a_shape_beside_the_map_and_says_shapes_are_approximate():
    facts.submit(local(2025, 3, 3), kato=AITEKE_BI)
    drawn = maps.summary_map(summary_of(code=RECEIVED), "en", RECEIVED, points=False)
    assert AITEKE_BI in [unit.kato for unit in drawn.without_shape]
    assert AITEKE_BI not in [unit.kato for unit in drawn.drawn]
    notes = maps.map_notes(None, "en", prepared=drawn)
    name = District.objects.get(kato=AITEKE_BI).name
    assert any(note.startswith("No shape yet") and name in note for note in notes)
    assert any("approximate" in note for note in notes)  # the reference shapes are cells around the centres


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_it_renders_the_map_as_a_vega_lite_geoshape_in_svg(language):
    facts.submit(local(2025, 3, 3), kato=ALGA)
    submit_at(local(2025, 3, 4), kato=TEMIR, point=(49.14391, 56.48196))
    summary = summary_of(code=RECEIVED)
    chart = maps.map_chart(summary, language, RECEIVED)
    assert not chart.empty and chart.key == "map"
    svg = render_svg(chart.spec)
    assert svg.startswith("<svg") and svg.count("<path") >= 10
    with translation.override(language):
        alga = District.objects.get(kato=ALGA).name
    assert alga in svg  # the unit's name in the reader's language, at its centre
    assert "+100 %" in svg or "100" in svg


def test_it_says_no_data_when_nothing_can_be_drawn():
    District.objects.update(boundary=None)
    facts.submit(local(2025, 3, 3), kato=ALGA)
    chart = maps.map_chart(summary_of(code=RECEIVED), "ru", RECEIVED)
    assert chart.empty and chart.spec["mark"]["type"] == "text"
    assert render_svg(chart.spec).count("<text") >= 2  # the title and "no data"


def test_it_never_puts_a_sensitive_report_on_the_map():
    point = (49.90278, 57.335)
    submit_at(local(2025, 3, 3), kato=ALGA, point=point)
    submit_at(local(2025, 3, 4), kato=ALGA, code="domestic-violence", point=(49.95, 57.40))
    submit_at(local(2025, 3, 5), kato=ALGA, code="child-at-risk", point=(49.95, 57.40))
    request = summary_of(code=RECEIVED).request
    layer = report_points(window_of(request, request.period, request.as_of), "en")
    assert layer["key"] == "reports"
    assert [point["label"] for point in layer["points"]] == ["1 report"]
    # Coarsened to the public map's cell: not the report's own point.
    only = layer["points"][0]
    assert (only["lat"], only["lon"]) != point and abs(only["lat"] - point[0]) < 0.005
    drawn = maps.summary_map(summary_of(code=RECEIVED), "en", RECEIVED)
    reports = next(layer for layer in drawn.layers if layer["key"] == "reports")
    assert len(reports["points"]) == 1


def test_it_keeps_a_window_outside_the_districts_off_the_map():
    submit_at(local(2025, 3, 3), kato=TEMIR, point=(49.14391, 56.48196))
    request = summary_of(code=RECEIVED).request
    whole = window_of(request, request.period, request.as_of)
    alga_only = Window(
        whole.region_id, frozenset({District.objects.get(kato=ALGA).pk}), whole.start, whole.end, whole.as_of
    )
    assert report_points(alga_only, "en")["points"] == []
    assert len(report_points(whole, "en")["points"]) == 1


# --- the page -------------------------------------------------------------------------------------


@pytest.fixture
def login(login):
    def _login(username):
        client = login(username)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return _login


def test_it_shows_a_district_prosecutor_their_districts_only(login):
    facts.submit(local(2025, 3, 3), kato=ALGA)
    facts.submit(local(2025, 3, 4), kato=TEMIR)
    client = login("alga_prosecutor")
    page = client.get(reverse("reporting:summary_map"), {**PERIOD, "code": RECEIVED})
    assert page.status_code == 200
    data = page.context["data"]
    assert [feature["properties"]["kato"] for feature in data["shapes"]["features"]] == [ALGA]
    assert [row["kato"] for row in data["rows"]] == [ALGA]
    response = client.get(reverse("reporting:summary_map_data"), {**PERIOD, "code": RECEIVED})
    assert [row["kato"] for row in response.json()["rows"]] == [ALGA]
    assert client.get(reverse("reporting:summary_map"), {**PERIOD, "district": TEMIR}).status_code == 403


def test_it_draws_the_region_for_the_analyst_and_redraws_another_figure(login):
    facts.submit(local(2025, 3, 3), kato=ALGA)
    client = login("analyst")
    page = client.get(reverse("reporting:summary_map"), PERIOD)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="summary-map-data"' in html and "summary-map.js" in html and "<script>" not in html
    assert page.context["map"].code == RECEIVED  # the first counted figure with a value
    codes = [figure.code for figure in page.context["figures"]]
    other = next(code for code in codes if code != RECEIVED)
    data = client.get(reverse("reporting:summary_map_data"), {**PERIOD, "code": other}).json()
    assert data["code"] == other and len(data["shapes"]["features"]) >= 10


@pytest.mark.parametrize("username", ["alga_officer", "bank_partner", "citizen"])
def test_it_refuses_the_map_to_roles_outside_the_summary(login, username):
    client = login(username)
    assert client.get(reverse("reporting:summary_map"), PERIOD).status_code == 403
    assert client.get(reverse("reporting:summary_map_data"), {**PERIOD, "code": RECEIVED}).status_code == 403


def test_it_answers_404_for_a_figure_the_map_cannot_draw(login):
    client = login("analyst")
    assert client.get(reverse("reporting:summary_map"), {**PERIOD, "code": "no.such.metric"}).status_code == 404
    assert client.get(reverse("reporting:summary_map_data"), {**PERIOD, "code": "no.such.metric"}).status_code == 404


def test_it_says_what_is_wrong_with_the_period(login):
    page = login("analyst").get(reverse("reporting:summary_map"), {"from": "2025-13-01", "to": "2025-09-30"})
    assert page.status_code == 400 and "is not a date" in page.content.decode()


def test_it_is_linked_from_a_summarys_version_with_its_period_and_districts(login, persona):
    facts.submit(local(2025, 3, 3), kato=ALGA)
    version = summary_services.summary_start(
        actor=persona("alga_prosecutor"),
        title="Итоги",
        region=None,
        katos=[ALGA],
        start=date(2025, 1, 1),
        end=date(2025, 9, 30),
    )
    client = login("alga_prosecutor")
    page = client.get(reverse("reporting:version", args=[version.summary_id, version.number])).content.decode()
    link = f"{reverse('reporting:summary_map')}?from=2025-01-01&amp;to=2025-09-30&amp;district={ALGA}"
    assert link in page
    drawn = client.get(link.replace("&amp;", "&"))
    assert drawn.status_code == 200 and [row["kato"] for row in drawn.context["data"]["rows"]] == [ALGA]
