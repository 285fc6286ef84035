"""Duplicate suggestions while reporting (/report/nearby/) and "me too" (/report/<reference>/me-too/):
only open public reports of the same category within 250 m, never sensitive ones, no personal
data; joining a report gives the person their own working tracking link."""

import math
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.models import District
from signals import services
from signals.models import Category, Report, ReportEvent, ReportSupporter
from signals.nearby import METRES_PER_DEGREE, bounding_box, haversine_metres, nearby_reports

ALGA = "153200000"
Status = Report.Status

CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture(autouse=True)
def english_and_clean_cache(db, settings, tmp_path):
    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


def alga() -> District:
    return District.objects.get(kato=ALGA)


def origin() -> tuple[Decimal, Decimal]:
    district = alga()
    return Decimal(district.centre_lat), Decimal(district.centre_lon)


def point_at(metres_north: float = 0, metres_east: float = 0) -> tuple[Decimal, Decimal]:
    lat, lon = origin()
    d_lat = metres_north / METRES_PER_DEGREE
    d_lon = metres_east / (METRES_PER_DEGREE * math.cos(math.radians(float(lat))))
    return (
        (lat + Decimal(str(d_lat))).quantize(Decimal("0.000001")),
        (lon + Decimal(str(d_lon))).quantize(Decimal("0.000001")),
    )


def submit(code="public-order", point=(0, 0), description="Drunk fights by the bus stop every night.", **extra):
    lat, lon = point_at(*point)
    if code == "drug-graffiti":
        extra.setdefault("photos", [])
    submission = services.report_submit(
        actor=None,
        category=code,
        description=description,
        channel=Report.Channel.WEB,
        district=alga(),
        latitude=lat,
        longitude=lon,
        **extra,
    )
    return submission.report, submission.tracking_token


def set_status(report: Report, status: str) -> Report:
    Report.objects.filter(pk=report.pk).update(status=status)
    report.refresh_from_db()
    return report


def ask(category="public-order", point=(0, 0), client=None, **params):
    lat, lon = origin()
    query = {"category": category, "latitude": str(lat), "longitude": str(lon), **params}
    return (client or Client(REMOTE_ADDR="10.9.8.7")).get("/report/nearby/", query)


# --- the distance -----------------------------------------------------------------------------


def test_it_measures_distances_on_the_sphere():
    # One degree of latitude is about 111.2 km everywhere; the test points are where they claim.
    assert haversine_metres(50, 57, 51, 57) == pytest.approx(111_195, rel=1e-4)
    lat, lon = origin()
    for metres in (240, 260):
        north = point_at(metres, 0)
        east = point_at(0, metres)
        assert haversine_metres(float(lat), float(lon), float(north[0]), float(north[1])) == pytest.approx(
            metres, abs=0.5
        )
        assert haversine_metres(float(lat), float(lon), float(east[0]), float(east[1])) == pytest.approx(
            metres, abs=0.5
        )


def test_it_prefilters_with_a_box_that_holds_the_whole_circle():
    lat, lon = origin()
    south, north, west, east = bounding_box(float(lat), float(lon), 250)
    for bearing in range(0, 360, 15):
        north_m = 250 * math.cos(math.radians(bearing))
        east_m = 250 * math.sin(math.radians(bearing))
        p_lat, p_lon = point_at(north_m, east_m)
        assert south <= p_lat <= north and west <= p_lon <= east


# --- suggestions ------------------------------------------------------------------------------


def test_it_suggests_only_open_public_reports_of_the_same_category_within_250_m(db):
    inside, _ = submit(point=(240, 0))
    inside_west, _ = submit(point=(0, -230))
    outside, _ = submit(point=(260, 0))
    outside_east, _ = submit(point=(0, 260))
    # 260 m to the north-east: inside the SQL box (its corners are ~355 m away), outside the circle.
    outside_diagonal, _ = submit(point=(260 / math.sqrt(2), 260 / math.sqrt(2)))
    other_category, _ = submit(code="environment", point=(10, 0))
    answered = set_status(submit(point=(100, 0))[0], Status.ANSWERED)
    reopened = set_status(submit(point=(120, 0))[0], Status.REOPENED)
    closed = [set_status(submit(point=(20, 0))[0], status) for status in (Status.REJECTED, Status.CLOSED)]
    duplicate = set_status(submit(point=(30, 0))[0], Status.DUPLICATE)

    found = nearby_reports(category="public-order", latitude=origin()[0], longitude=origin()[1])
    expected = [answered, reopened, inside_west, inside]
    assert [s.reference for s in found] == [report.reference for report in expected]
    assert [round(s.distance) for s in found] == [100, 120, 230, 240]

    response = ask()
    assert response.status_code == 200
    html = response.content.decode()
    for report in expected:
        assert report.reference in html
    for report in (outside, outside_east, outside_diagonal, other_category, *closed, duplicate):
        assert report.reference not in html
    assert html.index(answered.reference) < html.index(reopened.reference) < html.index(inside.reference)
    assert f"/report/{inside.reference}/me-too/" in html
    assert "about 240 m" in html and "about 100 m" in html


def test_it_never_suggests_sensitive_categories_or_sensitive_reports(db):
    violence, _ = submit(code="domestic-violence", point=(5, 0))
    assert violence.sensitive
    assert nearby_reports(category="domestic-violence", latitude=origin()[0], longitude=origin()[1]) == []
    response = ask(category="domestic-violence")
    assert response.status_code == 200
    assert violence.reference not in response.content.decode()
    assert response.content.decode().strip() == ""
    # A public category's report made sensitive (e.g. re-categorised and back) is never suggested either.
    hidden, _ = submit(point=(5, 0))
    Report.objects.filter(pk=hidden.pk).update(sensitive=True)
    assert hidden.reference not in ask().content.decode()


def test_it_shows_no_description_and_no_personal_data(db):
    report, _ = submit(
        point=(50, 0),
        description="Neighbour Serik Bekov at flat 12 sells pills",
        contact={"name": "Aigerim Reporter", "phone": "+7 701 555 1234", "email": "aigerim@example.org"},
    )
    html = ask().content.decode()
    assert report.reference in html
    for secret in ("Serik", "flat 12", "Aigerim", "555 1234", "aigerim@example.org"):
        assert secret not in html
    assert str(report.latitude) not in html and str(report.longitude) not in html


def test_it_suggests_at_most_five_nearest_first(db):
    reports = [submit(point=(metres, 0))[0] for metres in (200, 60, 180, 20, 140, 100, 220)]
    found = nearby_reports(category="public-order", latitude=origin()[0], longitude=origin()[1])
    assert [round(s.distance) for s in found] == [20, 60, 100, 140, 180]
    html = ask().content.decode()
    assert reports[0].reference not in html and reports[6].reference not in html  # 200 m and 220 m: sixth, seventh


def test_it_takes_the_category_by_code_or_by_id_as_the_form_sends_it(db):
    report, _ = submit(point=(30, 0))
    category = Category.objects.get(code="public-order")
    assert report.reference in ask(category=str(category.pk)).content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"category": "no-such-category"},
        {"category": ""},
        {"latitude": "north"},
        {"latitude": "91"},
        {"longitude": ""},
    ],
)
def test_it_answers_400_to_a_bad_question(db, params):
    response = ask(**params)
    assert response.status_code == 400


def test_it_limits_suggestion_requests_per_address(db, settings):
    settings.ANON_REPORTS_PER_HOUR = 1  # suggestions: 30 times as many
    client = Client(REMOTE_ADDR="198.51.100.40")
    for _ in range(30):
        assert ask(client=client).status_code == 200
    limited = ask(client=client)
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert ask(client=Client(REMOTE_ADDR="198.51.100.41")).status_code == 200


def test_it_puts_the_suggestion_box_on_the_public_form_only(db, login):
    html = Client().get("/report/").content.decode()
    assert 'id="nearby-reports"' in html and 'data-nearby-url="/report/nearby/"' in html
    assert "<script>" not in html.replace("<script src=", "")
    staff_html = login("alga_prosecutor").get("/signals/new/").content.decode()
    assert 'id="nearby-reports"' not in staff_html


# --- me too -----------------------------------------------------------------------------------


def test_it_shows_the_report_to_join_without_its_description(db):
    report, _ = submit(point=(30, 0), description="Serik Bekov from flat 12 again")
    response = Client().get(f"/report/{report.reference}/me-too/")
    assert response.status_code == 200
    html = response.content.decode()
    assert report.reference in html and report.category.name_en in html
    assert "Serik" not in html
    assert 'name="contact_consent"' in html


def test_it_adds_a_supporter_and_an_event_and_gives_a_working_tracking_link(db):
    report, _ = submit(point=(30, 0))
    client = Client(REMOTE_ADDR="203.0.113.5")
    response = client.post(
        f"/report/{report.reference}/me-too/",
        {"contact_consent": "on", "contact_name": "Dana", "contact_phone": "+7 702 111 2233", "contact_email": ""},
    )
    assert response.status_code == 302 and response["Location"] == "/report/me-too/done/"
    supporter = ReportSupporter.objects.get(report=report)
    assert supporter.kind == ReportSupporter.Kind.ME_TOO
    assert (supporter.name, supporter.phone) == ("Dana", "+7 702 111 2233")
    assert supporter.consent_at is not None
    assert report.events.filter(kind=ReportEvent.Kind.ME_TOO).count() == 1

    done = client.get("/report/me-too/done/")
    assert done.status_code == 200
    assert done["Referrer-Policy"] == "same-origin"  # the link reaches no other site
    assert "no-cache" in done["Cache-Control"] or "max-age=0" in done["Cache-Control"]
    html = done.content.decode()
    assert report.reference in html
    link = html.split('id="tracking-link" class="copy-field__input" value="')[1].split('"')[0]
    assert link.startswith("http://testserver/track/")
    token = link.rsplit("/", 2)[-2]
    assert supporter.tracking_token_hash and supporter.tracking_token_hash != report.tracking_token_hash

    tracked = Client().get(f"/track/{token}/")
    assert tracked.status_code == 200
    tracked_html = tracked.content.decode()
    assert report.reference in tracked_html
    assert "A report you joined" in tracked_html
    assert "Another person reported the same thing." in tracked_html
    assert "Dana" not in tracked_html  # contacts are never on the tracking page

    # The link is shown once.
    again = client.get("/report/me-too/done/").content.decode()
    assert "/track/" not in again and "shown only once" in again


def test_it_joins_anonymously_without_a_contact(db):
    report, _ = submit(point=(30, 0))
    response = Client().post(f"/report/{report.reference}/me-too/", {})
    assert response.status_code == 302
    supporter = ReportSupporter.objects.get(report=report)
    assert (supporter.name, supporter.phone, supporter.email, supporter.consent_at) == ("", "", "", None)


def test_it_asks_for_consent_to_keep_a_contact(db):
    report, _ = submit(point=(30, 0))
    response = Client().post(f"/report/{report.reference}/me-too/", {"contact_name": "Dana"})
    assert response.status_code == 400
    assert "Tick this box" in response.content.decode()
    assert not ReportSupporter.objects.exists()


@pytest.mark.parametrize("status", [Status.RESOLVED, Status.CLOSED, Status.REJECTED, Status.DUPLICATE])
def test_it_refuses_to_join_a_closed_report(db, status):
    report = set_status(submit(point=(30, 0))[0], status)
    response = Client().post(f"/report/{report.reference}/me-too/", {})
    assert response.status_code == 400
    assert "This report cannot be joined." in response.content.decode()
    assert not ReportSupporter.objects.exists()
    assert not report.events.filter(kind=ReportEvent.Kind.ME_TOO).exists()


def _no_token(html: str) -> str:
    return CSRF_TOKEN.sub('name="csrfmiddlewaretoken" value=""', html)


def _as_unknown(response, reference: str, unknown: str) -> str:
    """The site's 404 page echoes the address asked for (the language switcher's way back) and a
    fresh CSRF token: with those two made equal, the page must be the unknown reference's."""
    html = response.content.decode().replace(reference, unknown)
    return _no_token(html)


def test_it_answers_a_sensitive_reference_as_an_unknown_one(db):
    report, _ = submit(code="child-at-risk", point=(30, 0))
    assert report.sensitive
    unknown = "AKT-2025-999999"
    for method in ("get", "post"):
        page = getattr(Client(), method)(f"/report/{report.reference}/me-too/")
        nothing = getattr(Client(), method)(f"/report/{unknown}/me-too/")
        assert (page.status_code, _as_unknown(page, report.reference, unknown)) == (
            404,
            _no_token(nothing.content.decode()),
        )
    assert not ReportSupporter.objects.exists()


def test_it_answers_404_for_an_unknown_reference(db):
    assert Client().get("/report/AKT-2025-999999/me-too/").status_code == 404
    assert Client().post("/report/AKT-2025-999999/me-too/", {}).status_code == 404


def test_it_limits_me_too_per_address(db, settings):
    settings.ANON_REPORTS_PER_HOUR = 2
    report, _ = submit(point=(30, 0))
    client = Client(REMOTE_ADDR="198.51.100.50")
    assert client.post(f"/report/{report.reference}/me-too/", {}).status_code == 302
    assert client.post(f"/report/{report.reference}/me-too/", {}).status_code == 302
    limited = client.post(f"/report/{report.reference}/me-too/", {})
    assert limited.status_code == 429
    assert "Too many requests from this connection" in limited.content.decode()
    assert int(limited["Retry-After"]) > 0
    assert ReportSupporter.objects.count() == 2
    assert Client(REMOTE_ADDR="198.51.100.51").post(f"/report/{report.reference}/me-too/", {}).status_code == 302


@pytest.mark.parametrize("username", ["citizen", "alga_officer", "temir_prosecutor", "bank_partner", "analyst"])
def test_it_shows_every_persona_the_same_public_suggestions(db, login, username):
    public, _ = submit(point=(30, 0), contact={"name": "Aigerim Reporter", "phone": "", "email": ""})
    violence, _ = submit(code="domestic-violence", point=(30, 0))
    client = login(username)
    html = ask(client=client).content.decode()
    assert public.reference in html and "Aigerim" not in html
    assert violence.reference not in ask(category="domestic-violence", client=client).content.decode()
