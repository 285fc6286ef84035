"""The public map (/map/) and its GeoJSON (/map/reports.geojson): public categories only, no
personal data, locations coarsened to a ~500 m grid and counted per cell, filters validated."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import District
from conftest import PERSONAS
from signals import services
from signals.models import Report

ALGA = "153200000"
TEMIR = "155600000"
Status = Report.Status
URL = "/map/reports.geojson"


@pytest.fixture(autouse=True)
def english_and_clean_cache(db, settings):
    settings.LANGUAGE_CODE = "en"
    cache.clear()


def submit(code="public-order", kato=ALGA, lat="50.251234", lon="57.203456", **extra) -> Report:
    return services.report_submit(
        actor=None,
        category=code,
        description="Secret description: Serik Bekov, flat 12",
        channel=Report.Channel.WEB,
        district=District.objects.get(kato=kato),
        latitude=Decimal(lat),
        longitude=Decimal(lon),
        contact={"name": "Aigerim Reporter", "phone": "+7 701 000 0000", "email": "aigerim@example.org"},
        **extra,
    ).report


def features(client=None, **params) -> list[dict]:
    response = (client or Client()).get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()["features"]


def counted(items) -> int:
    return sum(item["properties"]["count"] for item in items)


def test_it_counts_public_reports_per_coarse_cell_without_any_exact_location(db):
    first = submit(lat="50.251234", lon="57.203456")
    second = submit(lat="50.250111", lon="57.204999")  # the same ~500 m cell
    far = submit(code="environment", lat="50.281234", lon="57.263456")
    collection = Client().get(URL).json()
    assert collection["type"] == "FeatureCollection"
    cells = collection["features"]
    assert len(cells) == 2 and collection["total"] == 3
    exact = {(float(r.longitude), float(r.latitude)) for r in (first, second, far)}
    for cell in cells:
        lon, lat = cell["geometry"]["coordinates"]
        assert (lon, lat) not in exact
        # On the grid: multiples of 0.007° of longitude and 0.005° of latitude.
        assert abs(lat / 0.005 - round(lat / 0.005)) < 1e-6
        assert abs(lon / 0.007 - round(lon / 0.007)) < 1e-6
    shared = next(cell for cell in cells if cell["properties"]["count"] == 2)
    assert shared["properties"]["categories"] == {"public-order": 2}
    assert shared["geometry"]["coordinates"] == pytest.approx([57.204, 50.25])
    for report in (first, second):
        assert abs(float(report.latitude) - 50.25) <= 0.0025 and abs(float(report.longitude) - 57.204) <= 0.0035


def test_it_never_shows_sensitive_categories_or_reports(db):
    submit(code="domestic-violence")
    submit(code="child-at-risk")
    hidden = submit()
    Report.objects.filter(pk=hidden.pk).update(sensitive=True)
    visible = submit(code="fraud", lat="50.301234", lon="57.303456")
    cells = features()
    assert counted(cells) == 1
    assert cells[0]["properties"]["categories"] == {"fraud": 1}
    assert visible.reference not in str(cells)


def test_it_carries_no_personal_data_no_description_and_no_reference(db):
    report = submit()
    body = Client().get(URL).content.decode()
    for secret in ("Serik", "flat 12", "Aigerim", "aigerim@example.org", "701 000", report.reference):
        assert secret not in body
    assert str(report.latitude) not in body and str(report.longitude) not in body


def test_it_filters_by_category_district_and_status(db, persona):
    submit(code="public-order")
    submit(code="environment", lat="50.261234", lon="57.213456")
    temir = submit(kato=TEMIR, lat="49.141234", lon="57.123456")
    rejected = submit(lat="50.271234", lon="57.223456")
    services.report_transition(
        report=rejected, to_status=Status.REJECTED, actor=persona("alga_prosecutor"), reason="Not an offence."
    )
    assert counted(features()) == 3  # rejected reports only when asked for
    assert counted(features(category="environment")) == 1
    assert counted(features(district=District.objects.get(kato=TEMIR).pk)) == 1
    assert counted(features(district=TEMIR)) == 1  # a KATO code works too
    assert counted(features(district=ALGA)) == 2
    assert counted(features(status="rejected")) == 1
    assert counted(features(status="routed", category="public-order")) == 2
    assert counted(features(status="answered")) == 0
    assert temir.status == Status.ROUTED


def test_it_shows_the_last_12_months_by_default(db):
    old = submit()
    Report.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=400))
    submit(lat="50.301234", lon="57.303456")
    assert counted(features()) == 1
    assert counted(features(months="24")) == 2
    assert counted(features(months="1")) == 1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"category": "no-such-thing"}, "Unknown category"),
        ({"category": "domestic-violence"}, "Unknown category"),  # sensitive: not on the map at all
        ({"district": "999999"}, "Unknown district"),
        ({"district": "abc"}, "Unknown district"),
        ({"status": "lost"}, "Unknown status"),
        ({"status": "duplicate"}, "Unknown status"),
        ({"months": "13"}, "Choose a period"),
        ({"months": "x"}, "Choose a period"),
    ],
)
def test_it_answers_400_with_a_message_to_a_bad_filter(db, params, message):
    response = Client().get(URL, params)
    assert response.status_code == 400
    assert message in response.json()["error"]
    page = Client().get("/map/", params)
    assert page.status_code == 400
    assert message in page.content.decode()


def test_it_is_briefly_cacheable_by_anyone(db):
    response = Client().get(URL)
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=60"} <= cache_control
    assert "private" not in cache_control and "no-store" not in cache_control


def test_it_answers_with_one_aggregated_query_however_many_reports(db):
    submit()
    Client().get(URL)  # warm the per-process category cache
    with CaptureQueriesContext(connection) as few:
        Client().get(URL)
    for index in range(30):
        submit(lat=f"50.{200000 + index * 3000}", lon=f"57.{200000 + index * 4000}")
    with CaptureQueriesContext(connection) as many:
        assert counted(features()) == 31
    report_queries = [q["sql"] for q in many.captured_queries if "signals_report" in q["sql"]]
    assert len(report_queries) == 1 and "GROUP BY" in report_queries[0]
    assert len(many.captured_queries) == len(few.captured_queries)


def test_it_renders_the_map_page_under_the_strict_csp(db):
    submit()
    response = Client().get("/map/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html.replace("<script src=", "")
    assert 'style="' not in html
    assert "/static/js/public-map.js" in html and "/static/vendor/leaflet/leaflet.js" in html
    assert 'data-districts-url="/report/districts.geojson"' in html
    assert 'data-reports-url="/map/reports.geojson?months=12"' in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert 'name="category"' in html and 'name="district"' in html and 'name="status"' in html
    assert "Domestic violence" not in html  # sensitive categories are not even a filter choice
    assert District.objects.get(kato=ALGA).name_en in html  # the table by district


def test_it_keeps_the_chosen_filters_on_the_page(db):
    alga = District.objects.get(kato=ALGA)
    html = Client().get("/map/", {"category": "fraud", "district": alga.pk, "status": "routed"}).content.decode()
    assert '<option value="fraud" selected>' in html
    assert f'<option value="{alga.pk}" selected>' in html
    assert f"/map/reports.geojson?category=fraud&amp;district={alga.pk}&amp;status=routed&amp;months=12" in html


def test_it_is_in_the_navigation_for_the_public(db):
    html = Client().get("/").content.decode()
    assert 'href="/map/"' in html


@pytest.mark.parametrize("username", sorted(PERSONAS))
def test_it_shows_every_persona_the_same_public_data(db, login, username):
    submit()
    submit(code="domestic-violence")
    client = login(username)
    cells = features(client)
    assert counted(cells) == 1 and cells[0]["properties"]["categories"] == {"public-order": 1}
    assert client.get("/map/").status_code == 200
