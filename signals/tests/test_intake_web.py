"""The public report form (/report/), the staff entry for a caller (/signals/new/) and the staff's
list and detail pages: through the real stack, with the personas of conftest.py."""

import io
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import ExifTags, Image

from accounts.models import AuditEvent, District, Organisation
from signals import services
from signals.models import Category, Report, ReporterContact, ReportEvent
from signals.tests.test_photos import jpeg_with_gps

ALGA = "153200000"
TEMIR = "155600000"


@pytest.fixture(autouse=True)
def media_and_cache(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "en"
    cache.clear()


def category(code: str) -> Category:
    return Category.objects.get(code=code)


def district(kato: str) -> District:
    return District.objects.get(kato=kato)


def make_report(*, kato=ALGA, code="fraud", description="Someone called and asked for my card code.", **extra):
    """A report submitted through the service, as the web form does; returns (report, token)."""
    if code == "drug-ad":
        extra.setdefault("attributes", {"link": "https://t.me/example_shop"})
    submission = services.report_submit(
        actor=None,
        category=category(code),
        description=description,
        channel=Report.Channel.WEB,
        district=district(kato),
        **extra,
    )
    return submission.report, submission.tracking_token


def form_data(**overrides) -> dict:
    data = {
        "category": category("fraud").pk,
        "description": "A man called pretending to be from the bank and asked for the SMS code.",
        "address": "Alga, Zhambyl street 12",
        "district": district(ALGA).pk,
        "latitude": "",
        "longitude": "",
    }
    data.update(overrides)
    return data


def anonymous(address="10.1.2.3") -> Client:
    return Client(REMOTE_ADDR=address)


# --- The public form ---------------------------------------------------------------------------


def test_it_shows_the_public_form_to_anyone(db):
    response = anonymous().get("/report/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "What anonymity means here" in html
    assert "never sees who reported it" in html
    assert "We do not store your IP address" in html
    assert "<optgroup" in html  # categories grouped by the body that answers them
    assert category("drug-graffiti").name_en in html
    assert 'id="report-map"' in html and "/report/districts.geojson" in html
    assert 'enctype="multipart/form-data"' in html
    assert "<script>" not in html.replace("<script src=", "")  # no inline scripts (CSP)
    assert 'style="' not in html


def test_it_lists_report_an_offence_in_the_navigation_for_everybody(db, login):
    assert 'href="/report/"' in anonymous().get("/").content.decode()
    assert 'href="/report/"' in login("alga_prosecutor").get("/").content.decode()
    assert 'href="/signals/"' in login("alga_prosecutor").get("/").content.decode()
    assert 'href="/signals/"' not in login("bank_partner").get("/").content.decode()
    assert 'href="/signals/"' not in login("citizen").get("/").content.decode()


def test_it_renders_the_chosen_categorys_extra_fields_for_htmx(db):
    fraud = category("fraud")
    response = anonymous().get("/report/category-fields/", {"category": fraud.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # a partial
    assert fraud.description_en in html
    assert 'name="attribute_phone_number"' in html
    assert 'name="attribute_amount_lost"' in html
    assert 'name="attribute_contact_channel"' in html and 'type="radio"' in html


def test_it_renders_nothing_for_an_unknown_category(db):
    response = anonymous().get("/report/category-fields/", {"category": "999999"})
    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_it_serves_the_district_shapes_with_names_only(db):
    response = anonymous().get("/report/districts.geojson")
    assert response.status_code == 200
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) >= 10
    feature = collection["features"][0]
    assert set(feature["properties"]) == {"id", "name", "approximate"}
    assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_it_takes_an_anonymous_report_and_shows_the_tracking_link_once(db):
    client = anonymous()
    data = form_data(**{"attribute_phone_number": "+7 701 000 0000", "attribute_amount_lost": "15000"})
    response = client.post("/report/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == "/report/done/"

    report = Report.objects.get()
    assert report.channel == Report.Channel.WEB
    assert report.reporter is None and report.entered_by is None
    assert report.district.kato == ALGA
    assert report.attributes == {"phone_number": "+7 701 000 0000", "amount_lost": 15000}
    assert not ReporterContact.objects.exists()
    assert report.events.filter(kind=ReportEvent.Kind.SUBMITTED).exists()

    done = client.get("/report/done/")
    html = done.content.decode()
    assert report.reference in html
    link = re.search(r'value="(http://testserver/track/[^"]+/)"', html).group(1)
    assert "Save this link now" in html
    assert done["Referrer-Policy"] == "same-origin"  # the link reaches no other site
    assert "no-store" in done["Cache-Control"]
    assert client.get(link).status_code == 200

    again = client.get("/report/done/").content.decode()
    assert report.reference not in again
    assert "/track/" not in again


def test_it_stores_no_address_of_the_reporter(db):
    anonymous("203.0.113.77").post("/report/", form_data())
    report = Report.objects.get()
    stored = [str(value) for value in Report.objects.filter(pk=report.pk).values().get().values()]
    assert not any("203.0.113.77" in value for value in stored)
    assert not AuditEvent.objects.filter(address="203.0.113.77").exists()


def test_it_takes_a_point_on_the_map_and_derives_the_district(db):
    alga = district(ALGA)
    data = form_data(address="", district="", latitude=str(alga.centre_lat), longitude=str(alga.centre_lon))
    response = anonymous().post("/report/", data)
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.district == alga
    assert report.body is not None and alga in report.body.districts.all()


def test_it_keeps_a_registered_citizen_as_the_reporter(db, login):
    client = login("citizen")
    assert client.post("/report/", form_data()).status_code == 302
    assert Report.objects.get().reporter.username == "citizen"


def test_it_stores_the_contact_only_with_consent(db):
    data = form_data(contact_name="Aigerim", contact_phone="+7 701 234 5678", contact_email="a@example.kz")
    response = anonymous().post("/report/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tick this box" in html
    assert 'aria-describedby="id_contact_consent_error"' in html
    assert 'value="Aigerim"' in html
    assert not Report.objects.exists()

    response = anonymous().post("/report/", {**data, "contact_consent": "on"})
    assert response.status_code == 302
    contact = Report.objects.get().contact
    assert (contact.name, contact.phone, contact.email) == ("Aigerim", "+7 701 234 5678", "a@example.kz")


def test_it_shows_field_errors_and_keeps_what_was_typed(db):
    response = anonymous().post(
        "/report/", {"description": "", "address": "Kept address <b>bold</b>", "contact_name": "Kept name"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose what the report is about." in html
    assert "Describe what happened." in html
    assert 'id="id_category_error"' in html and 'aria-describedby="id_category_error"' in html
    textarea = re.search(r"<textarea[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in textarea
    assert 'aria-describedby="id_description_helptext id_description_error"' in textarea
    assert 'value="Kept address &lt;b&gt;bold&lt;/b&gt;"' in html
    assert 'value="Kept name"' in html
    assert "Everything you typed is kept." in html
    assert not Report.objects.exists()


def test_it_requires_a_place(db):
    response = anonymous().post("/report/", form_data(address="", district=""))
    assert response.status_code == 200
    assert "Mark the place on the map or write its address." in response.content.decode()
    assert 'aria-describedby="id_address_helptext id_address_error"' in response.content.decode()


def test_it_refuses_a_description_over_4000_characters(db):
    text = "x" * 4001
    response = anonymous().post("/report/", form_data(description=text))
    assert response.status_code == 200
    html = response.content.decode()
    assert "at most 4000 characters" in html
    assert text in html  # kept, to be shortened
    assert not Report.objects.exists()


def test_it_refuses_a_missing_required_extra_field(db):
    data = form_data(category=category("business-rights").pk)
    response = anonymous().post("/report/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="attribute_inspecting_body"' in html
    assert 'id="id_attribute_inspecting_body_error"' in html


def test_it_refuses_a_non_image_and_keeps_the_rest(db):
    fake = SimpleUploadedFile("holiday.jpg", b"not an image, just text " * 20, content_type="image/jpeg")
    response = anonymous().post("/report/", {**form_data(description="Kept description"), "photos": [fake]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "holiday.jpg: This file is not a photo we can read" in html
    assert "Kept description" in html
    assert "Your photos were not kept: please attach them again" in html
    assert not Report.objects.exists()


def test_it_refuses_more_than_five_photos(db):
    photos = [SimpleUploadedFile(f"p{i}.jpg", jpeg_with_gps(size=(40, 30)), "image/jpeg") for i in range(6)]
    response = anonymous().post("/report/", {**form_data(), "photos": photos})
    assert response.status_code == 200
    assert "Attach at most 5 photos." in response.content.decode()


def test_it_refuses_an_oversized_photo(db, settings):
    settings.REPORT_PHOTO_MAX_BYTES = 2000
    photo = SimpleUploadedFile("big.jpg", jpeg_with_gps(), "image/jpeg")
    response = anonymous().post("/report/", {**form_data(), "photos": [photo]})
    assert response.status_code == 200
    assert "The photo is too large" in response.content.decode()


def test_it_stores_photos_without_gps(db):
    photos = [SimpleUploadedFile(f"p{i}.jpg", jpeg_with_gps(), "image/jpeg") for i in range(2)]
    response = anonymous().post("/report/", {**form_data(), "photos": photos})
    assert response.status_code == 302
    stored = list(Report.objects.get().photos.all())
    assert len(stored) == 2
    for photo in stored:
        with photo.image.open("rb") as handle:
            image = Image.open(io.BytesIO(handle.read()))
        assert len(image.getexif()) == 0
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert "p0" not in photo.image.name and "p1" not in photo.image.name


def test_it_requires_a_photo_where_the_category_does(db):
    graffiti = category("drug-graffiti")
    alga = district(ALGA)
    data = form_data(category=graffiti.pk, latitude=str(alga.centre_lat), longitude=str(alga.centre_lon))
    response = anonymous().post("/report/", data)
    assert response.status_code == 200
    assert "This category needs a photo." in response.content.decode()


def test_it_limits_anonymous_reports_per_address(db, settings):
    settings.ANON_REPORTS_PER_HOUR = 2
    client = anonymous("198.51.100.9")
    assert client.post("/report/", form_data()).status_code == 302
    assert client.post("/report/", form_data()).status_code == 302
    response = client.post("/report/", form_data(description="My third report text"))
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many reports from this connection" in html
    assert "My third report text" in html  # what was typed is not lost
    assert int(response["Retry-After"]) > 0
    assert Report.objects.count() == 2
    # Another address is not affected.
    assert anonymous("198.51.100.10").post("/report/", form_data()).status_code == 302


def test_it_escapes_html_in_the_description_everywhere(db, login):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    report, token = make_report(description=payload, address="<b>street</b>")
    assert "<b>street</b>" not in anonymous().get(f"/track/{token}/").content.decode()
    for client, url in (
        (login("alga_prosecutor"), f"/signals/{report.reference}/"),
        (login("alga_officer"), f"/signals/{report.reference}/"),
    ):
        html = client.get(url).content.decode()
        assert payload not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
        assert "<b>street</b>" not in html


# --- Staff entry for a caller ------------------------------------------------------------------


def test_it_sends_anonymous_visitors_of_staff_pages_to_the_login(db):
    for url in ("/signals/", "/signals/new/", "/signals/AKT-2025-000001/"):
        response = anonymous().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("username", ["citizen", "alga_officer", "bank_partner"])
def test_it_lets_only_call_takers_enter_a_report(db, login, username):
    assert login(username).get("/signals/new/").status_code == 403


def test_it_lets_a_prosecutor_enter_a_callers_report(db, login):
    client = login("alga_prosecutor")
    page = client.get("/signals/new/").content.decode()
    assert 'name="channel"' in page and "Hotline" in page
    assert "Temir" not in page  # only the districts of the prosecutor's own work

    data = form_data(channel="hotline", contact_consent="on", contact_name="Caller")
    response = client.post("/signals/new/", data)
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/signals/{report.reference}/"
    assert report.channel == Report.Channel.HOTLINE
    assert report.entered_by.username == "alga_prosecutor"
    assert report.reporter is None
    assert report.contact.name == "Caller"


def test_it_refuses_a_district_outside_the_staff_members_work(db, login):
    response = login("alga_prosecutor").post("/signals/new/", form_data(channel="hotline", district=district(TEMIR).pk))
    assert response.status_code == 200
    assert 'id="id_district_error"' in response.content.decode()
    assert not Report.objects.exists()


def test_it_lets_the_analyst_enter_a_report_for_any_district_of_the_region(db, login):
    response = login("analyst").post("/signals/new/", form_data(channel="reception", district=district(TEMIR).pk))
    assert response.status_code == 302
    assert Report.objects.get().channel == Report.Channel.RECEPTION


# --- Staff list and detail: scoping ------------------------------------------------------------


@pytest.fixture
def two_reports(db):
    alga, _ = make_report(kato=ALGA, contact={"name": "Aigerim Reporter", "phone": "+77010000000", "email": ""})
    temir, _ = make_report(kato=TEMIR)
    return alga, temir


def visible_references(client) -> set[str]:
    html = client.get("/signals/").content.decode()
    return set(re.findall(r"AKT-\d{4}-\d{6}", html))


def test_it_scopes_the_list_to_each_persona(two_reports, login):
    alga, temir = two_reports
    assert alga.body.code == "akt-police-alga" or alga.body.districts.filter(kato=ALGA).exists()
    assert visible_references(login("alga_prosecutor")) == {alga.reference}
    assert visible_references(login("temir_prosecutor")) == {temir.reference}
    assert visible_references(login("analyst")) == {alga.reference, temir.reference}
    officer_sees = visible_references(login("alga_officer"))
    assert temir.reference not in officer_sees
    assert (alga.reference in officer_sees) == (alga.body.code == "akt-police-alga")
    assert login("citizen").get("/signals/").status_code == 403
    assert login("bank_partner").get("/signals/").status_code == 403


def test_it_scopes_the_detail_to_each_persona(two_reports, login):
    alga, temir = two_reports
    url = f"/signals/{alga.reference}/"
    assert login("alga_prosecutor").get(url).status_code == 200
    assert login("analyst").get(url).status_code == 200
    assert login("temir_prosecutor").get(url).status_code == 404
    # The refusal of an existing report out of scope is audited (not the miss of a wrong reference).
    assert login("temir_prosecutor").get("/signals/AKT-1999-000001/").status_code == 404
    denied = AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS_DENIED, actor_label="temir_prosecutor")
    assert [event.target for event in denied] == [f"signals.Report: {{'reference': '{alga.reference}'}}"]
    assert login("alga_officer").get(f"/signals/{temir.reference}/").status_code == 404
    assert login("citizen").get(url).status_code == 403
    assert login("bank_partner").get(url).status_code == 403


def test_it_shows_the_body_officer_only_reports_routed_to_its_body(two_reports, login):
    alga, _ = two_reports
    officer = login("alga_officer")
    police = Organisation.objects.get(code="akt-police-alga")
    Report.objects.filter(pk=alga.pk).update(body=police)
    assert officer.get(f"/signals/{alga.reference}/").status_code == 200
    Report.objects.filter(pk=alga.pk).update(body=Organisation.objects.get(code="akt-akimat-alga"))
    assert officer.get(f"/signals/{alga.reference}/").status_code == 404


def test_it_shows_the_reporter_only_to_prosecutors_and_audits_each_view(two_reports, login, persona):
    alga, _ = two_reports
    Report.objects.filter(pk=alga.pk).update(body=Organisation.objects.get(code="akt-police-alga"))
    url = f"/signals/{alga.reference}/"

    html = login("alga_prosecutor").get(url).content.decode()
    assert "Aigerim Reporter" in html
    audit = AuditEvent.objects.filter(action=AuditEvent.Action.PERSONAL_DATA_VIEW)
    assert audit.count() == 1
    assert audit.get().actor.username == "alga_prosecutor"
    assert alga.reference in audit.get().target

    for username in ("alga_officer", "analyst"):
        html = login(username).get(url).content.decode()
        assert "Aigerim Reporter" not in html
        assert "+77010000000" not in html
    assert audit.count() == 1


def test_it_serves_photos_only_to_those_who_see_the_report(db, login):
    photo = SimpleUploadedFile("p.jpg", jpeg_with_gps(), "image/jpeg")
    anonymous().post("/report/", {**form_data(), "photos": [photo]})
    report = Report.objects.get()
    stored = report.photos.get()
    url = f"/signals/{report.reference}/photos/{stored.pk}/"
    response = login("alga_prosecutor").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert login("temir_prosecutor").get(url).status_code == 404
    assert anonymous().get(url).status_code == 302


def test_it_filters_the_list(two_reports, login):
    alga, temir = two_reports
    client = login("analyst")
    html = client.get("/signals/", {"district": district(TEMIR).pk}).content.decode()
    assert temir.reference in html and alga.reference not in html
    html = client.get("/signals/", {"category": category("drug-ad").pk}).content.decode()
    assert alga.reference not in html and temir.reference not in html
    html = client.get("/signals/", {"status": alga.status}).content.decode()
    assert alga.reference in html
    # A district outside the user's work is ignored, never widening the scope.
    html = login("alga_prosecutor").get("/signals/", {"district": district(TEMIR).pk}).content.decode()
    assert temir.reference not in html and alga.reference in html


def test_it_answers_htmx_filter_requests_with_the_results_only(two_reports, login):
    response = login("analyst").get("/signals/", {"status": "routed"}, HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode()


def test_it_shows_prosecutors_the_triage_queue(db, login):
    triaged, _ = make_report(code="other", description="Nobody knows who should act.")
    routed, _ = make_report(code="fraud")
    if triaged.body_id is not None:  # a routing rule catches "other" in this region: make one triage
        Report.objects.filter(pk=triaged.pk).update(body=None, status=Report.Status.NEW)
    html = login("alga_prosecutor").get("/signals/", {"queue": "triage"}).content.decode()
    assert "Triage queue" in html
    assert triaged.reference in html and routed.reference not in html


def test_it_keeps_the_list_query_count_flat(db, login):
    client = login("analyst")
    client.get("/signals/")  # warm up the session and caches

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/signals/").status_code == 200
        return len(queries)

    make_report(kato=ALGA)
    few = count()
    for index in range(12):
        make_report(kato=ALGA if index % 2 else TEMIR, code="fraud" if index % 3 else "drug-ad")
    assert count() == few


def test_it_paginates_the_list(db, login):
    for _ in range(27):
        make_report()
    client = login("alga_prosecutor")
    first = client.get("/signals/").content.decode()
    assert "Page 1 of 2" in first
    second = client.get("/signals/", {"page": 2}).content.decode()
    assert len(set(re.findall(r"AKT-\d{4}-\d{6}", second))) == 2


# --- Staff actions ------------------------------------------------------------------------------


def test_it_lets_the_prosecutor_reroute_and_recategorise(two_reports, login):
    alga, _ = two_reports
    client = login("alga_prosecutor")
    akimat = Organisation.objects.get(code="akt-akimat-alga")
    page = client.get(f"/signals/{alga.reference}/").content.decode()
    assert "Re-route" in page and f'value="{akimat.pk}"' in page

    response = client.post(f"/signals/{alga.reference}/reroute/", {"body": akimat.pk, "reason": "land issue"})
    assert response.status_code == 302
    alga.refresh_from_db()
    assert alga.body == akimat
    assert alga.events.filter(kind=ReportEvent.Kind.REROUTED).exists()

    construction = category("illegal-construction")
    client.post(f"/signals/{alga.reference}/recategorise/", {"category": construction.pk})
    alga.refresh_from_db()
    assert alga.category == construction
    assert alga.events.filter(kind=ReportEvent.Kind.RECATEGORISED).exists()


def test_it_refuses_a_body_outside_the_district(two_reports, login):
    alga, _ = two_reports
    temir_police = Organisation.objects.filter(kind="body", districts__kato=TEMIR).exclude(districts__kato=ALGA).first()
    client = login("alga_prosecutor")
    before = alga.body_id
    response = client.post(f"/signals/{alga.reference}/reroute/", {"body": temir_police.pk}, follow=True)
    assert "Choose a body serving the report&#x27;s district." in response.content.decode()
    alga.refresh_from_db()
    assert alga.body_id == before


def test_it_lets_only_prosecutors_reroute(two_reports, login):
    alga, temir = two_reports
    Report.objects.filter(pk=alga.pk).update(body=Organisation.objects.get(code="akt-police-alga"))
    akimat = Organisation.objects.get(code="akt-akimat-alga")
    assert login("alga_officer").post(f"/signals/{alga.reference}/reroute/", {"body": akimat.pk}).status_code == 403
    assert login("temir_prosecutor").post(f"/signals/{alga.reference}/reroute/", {"body": akimat.pk}).status_code == 404
    assert login("analyst").post(f"/signals/{alga.reference}/reroute/", {"body": akimat.pk}).status_code == 403


def test_it_applies_allowed_transitions_and_refuses_forbidden_ones(two_reports, login):
    alga, _ = two_reports
    client = login("alga_prosecutor")
    response = client.post(f"/signals/{alga.reference}/transition/", {"to_status": "closed"}, follow=True)
    assert "cannot go from" in response.content.decode()
    alga.refresh_from_db()
    assert alga.status == Report.Status.ROUTED

    response = client.post(f"/signals/{alga.reference}/transition/", {"to_status": "rejected"}, follow=True)
    assert "Say why the report is rejected." in response.content.decode()

    client.post(f"/signals/{alga.reference}/transition/", {"to_status": "rejected", "reason": "Not an offence."})
    alga.refresh_from_db()
    assert alga.status == Report.Status.REJECTED
    assert alga.rejection_reason == "Not an offence."


def test_it_lets_the_body_accept_a_report_routed_to_it(two_reports, login):
    alga, _ = two_reports
    Report.objects.filter(pk=alga.pk).update(body=Organisation.objects.get(code="akt-police-alga"))
    client = login("alga_officer")
    page = client.get(f"/signals/{alga.reference}/").content.decode()
    assert 'value="accepted"' in page
    assert "Re-route" not in page
    client.post(f"/signals/{alga.reference}/transition/", {"to_status": "accepted"})
    alga.refresh_from_db()
    assert alga.status == Report.Status.ACCEPTED


def test_it_marks_a_duplicate_by_reference(two_reports, login):
    alga, _ = two_reports
    first, _ = make_report(kato=ALGA)
    client = login("alga_prosecutor")
    client.post(f"/signals/{alga.reference}/transition/", {"to_status": "duplicate", "duplicate_of": first.reference})
    alga.refresh_from_db()
    assert alga.status == Report.Status.DUPLICATE
    assert alga.duplicate_of == first
