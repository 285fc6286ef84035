"""The private tracking page /track/<token>/: what the reporter sees, and nothing more."""

import pytest
from django.test import Client

from accounts.models import District, Organisation
from signals import services
from signals.models import Report
from signals.tests.test_intake_web import ALGA, make_report


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def test_it_shows_the_status_category_district_and_deadline(db):
    report, token = make_report(kato=ALGA, contact={"name": "Secret Reporter", "phone": "+77011112233", "email": ""})
    response = Client().get(f"/track/{token}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert report.reference in html
    assert report.get_status_display().capitalize() in html
    assert report.category.name_en in html
    assert report.district.name_en in html
    assert "Answer due by" in html
    assert "The report was received." in html
    assert "Secret Reporter" not in html and "+77011112233" not in html


def test_it_is_never_cached_and_sends_no_referrer_to_another_site(db):
    _, token = make_report()
    response = Client().get(f"/track/{token}/")
    assert "no-store" in response["Cache-Control"]
    # "same-origin", not "no-referrer": the token reaches no other site, while the page's own
    # forms keep a real Origin header (with "no-referrer" Chromium sends "Origin: null" and the
    # CSRF check refuses them).
    assert response["Referrer-Policy"] == "same-origin"
    assert "noindex" in response["X-Robots-Tag"]


def test_it_answers_404_for_an_unknown_token(db):
    make_report()
    assert Client().get("/track/not-a-real-token-at-all/").status_code == 404
    assert Client().get("/track/" + "a" * 43 + "/").status_code == 404


def test_it_shows_the_public_answer_and_the_public_timeline_without_staff(db, persona):
    report, token = make_report()
    prosecutor = persona("alga_prosecutor")
    prosecutor.first_name, prosecutor.last_name = "Nurlan", "Prosecutorov"
    prosecutor.save()
    services.report_transition(
        report=report, to_status=Report.Status.REJECTED, actor=prosecutor, reason="Not within our jurisdiction."
    )
    Report.objects.filter(pk=report.pk).update(public_answer="The police checked the number & blocked it.")
    html = Client().get(f"/track/{token}/").content.decode()
    assert "Status: rejected." in html
    assert "Not within our jurisdiction." in html  # a rejection's reason is for the reporter
    assert "The police checked the number &amp; blocked it." in html
    assert "Prosecutorov" not in html and "alga_prosecutor" not in html


def test_it_does_not_show_internal_notes_of_other_events(db, persona):
    report, token = make_report()
    prosecutor = persona("alga_prosecutor")
    akimat = Organisation.objects.get(code="akt-akimat-alga")
    services.report_reroute(report=report, body=akimat, actor=prosecutor, reason="INTERNAL NOTE about the caller")
    html = Client().get(f"/track/{token}/").content.decode()
    assert "INTERNAL NOTE" not in html
    assert akimat.name_en in html


def test_it_works_for_sensitive_categories_too(db):
    alga_district = District.objects.get(kato=ALGA)
    report, token = make_report(
        code="child-at-risk", latitude=alga_district.centre_lat, longitude=alga_district.centre_lon
    )
    assert report.sensitive
    response = Client().get(f"/track/{token}/")
    assert response.status_code == 200
    assert report.reference in response.content.decode()
