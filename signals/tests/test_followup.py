"""Follow-up by the reporter through the private tracking link: add information or photos, say
"not resolved", rate the answer; what the tracking page shows (the public answer, never the
body's internal text, never contacts) for reporters, "me too" followers and merged reports."""

import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from accounts.models import District, Notification
from conftest import PERSONAS
from signals import services
from signals.models import Answer, Report, ReportEvent, ReportPhoto
from signals.tests.test_photos import jpeg_with_gps

ALGA = "153200000"
Status = Report.Status
Kind = ReportEvent.Kind
INTERNAL = "INTERNAL: the officer Serik Bekov spoke to the neighbour at flat 12"
PUBLIC = "The police visited the place and drew up an administrative protocol."


@pytest.fixture(autouse=True)
def english_media_cache(db, settings, tmp_path):
    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


@pytest.fixture
def staff(persona):
    """The Alga police officer (the body) and the Alga district prosecutor, who are notified."""
    return persona("alga_officer"), persona("alga_prosecutor")


def submit(code="public-order", **extra) -> tuple[Report, str]:
    submission = services.report_submit(
        actor=None,
        category=code,
        description="Fights near the shop every night.",
        channel=Report.Channel.WEB,
        district=District.objects.get(kato=ALGA),
        address="Alga, Main street 1",
        contact={"name": "Aigerim Reporter", "phone": "+7 701 000 0000", "email": "aigerim@example.org"},
        **extra,
    )
    return submission.report, submission.tracking_token


def answered(staff) -> tuple[Report, str]:
    officer, _prosecutor = staff
    report, token = submit()
    services.answer_give(
        report=report,
        result=Answer.Result.CONFIRMED_ADMINISTRATIVE,
        text=INTERNAL,
        public_text=PUBLIC,
        measures=[Answer.Measure.ADMIN_PROTOCOL],
        actor=officer,
    )
    report.refresh_from_db()
    assert report.status == Status.ANSWERED
    return report, token


def reporter(address="192.0.2.10") -> Client:
    return Client(REMOTE_ADDR=address)


def png_upload(name="street.png") -> SimpleUploadedFile:
    output = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 40, 40)).save(output, format="PNG")
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/png")


# --- the tracking page ------------------------------------------------------------------------


def test_it_shows_the_public_answer_and_never_the_bodys_internal_text_or_contacts(db, staff):
    report, token = answered(staff)
    response = reporter().get(f"/track/{token}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert PUBLIC in html
    assert "INTERNAL" not in html and "Serik" not in html and "flat 12" not in html
    for contact in ("Aigerim", "+7 701 000 0000", "aigerim@example.org"):
        assert contact not in html
    assert staff[0].username not in html and staff[1].username not in html
    assert "Status: answered." in html
    assert "no-store" in response["Cache-Control"]


def test_it_offers_only_the_follow_ups_the_status_allows(db, staff):
    report, token = submit()
    html = reporter().get(f"/track/{token}/").content.decode()
    assert f"/track/{token}/follow-up/" in html
    assert f"/track/{token}/not-resolved/" not in html and f"/track/{token}/rate/" not in html

    report, token = answered(staff)
    html = reporter().get(f"/track/{token}/").content.decode()
    assert f"/track/{token}/follow-up/" in html
    assert f"/track/{token}/not-resolved/" in html and f"/track/{token}/rate/" in html
    assert "<script>" not in html.replace("<script src=", "") and 'style="' not in html

    services.followup_not_resolved(report=report, text="Still fighting.")
    html = reporter().get(f"/track/{token}/").content.decode()
    assert f"/track/{token}/not-resolved/" not in html  # already reopened
    assert f"/track/{token}/rate/" in html

    rejected, rejected_token = submit()
    services.report_transition(report=rejected, to_status=Status.REJECTED, actor=staff[1], reason="Not an offence.")
    html = reporter().get(f"/track/{rejected_token}/").content.decode()
    assert f"/track/{rejected_token}/follow-up/" not in html


def test_it_hides_an_answer_returned_for_rework(db, staff):
    report, token = answered(staff)
    services.answer_return(report=report, reason="Check the other shop too.", actor=staff[1])
    html = reporter().get(f"/track/{token}/").content.decode()
    assert PUBLIC not in html
    assert "Check the other shop" not in html  # the prosecutor's instruction is internal
    assert "returned the body's answer" in html


# --- add information or photos ----------------------------------------------------------------


def test_it_adds_information_with_an_event_and_notifies_the_prosecutor_and_the_body(db, staff):
    officer, prosecutor = staff
    report, token = submit()
    before = Notification.objects.count()
    client = reporter()
    response = client.post(f"/track/{token}/follow-up/", {"info-text": "The shop is open again tonight."})
    assert response.status_code == 302
    assert response["Location"] == f"/track/{token}/#followup"
    event = report.events.get(kind=Kind.FOLLOW_UP)
    assert event.data["text"] == "The shop is open again tonight."
    assert event.actor is None
    notified = Notification.objects.exclude(pk__lte=before) if before else Notification.objects.all()
    assert set(notified.values_list("user__username", flat=True)) == {prosecutor.username, officer.username}
    assert all(report.reference in row.subject for row in notified)
    # The tracking page says so, without the text (other followers read the same timeline).
    page = client.get(response["Location"]).content.decode()
    assert "Thank you: your information was added" in page
    assert "A reporter added information." in page
    assert "open again tonight" not in page


def test_it_adds_photos_cleaned_like_the_report_forms(db, staff):
    report, token = submit()
    photo = SimpleUploadedFile("gps.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = reporter().post(f"/track/{token}/follow-up/", {"info-text": "", "info-photos": [photo, png_upload()]})
    assert response.status_code == 302
    photos = ReportPhoto.objects.filter(report=report, source=ReportPhoto.Source.FOLLOW_UP)
    assert photos.count() == 2
    for stored in photos:
        with stored.image.open("rb") as handle:
            image = Image.open(handle)
            assert image.format == "JPEG" and len(image.getexif()) == 0
    assert report.events.get(kind=Kind.FOLLOW_UP).data["photos"] == 2


def test_it_keeps_the_text_when_a_photo_is_invalid(db, staff):
    report, token = submit()
    bogus = SimpleUploadedFile("notes.jpg", b"this is not an image at all", content_type="image/jpeg")
    response = reporter().post(
        f"/track/{token}/follow-up/", {"info-text": "A second car came at 23:00.", "info-photos": [bogus]}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "notes.jpg: This file is not a photo we can read" in html
    assert "A second car came at 23:00." in html  # what was typed is kept
    assert "Your photos were not kept" in html
    assert not report.events.filter(kind=Kind.FOLLOW_UP).exists()
    assert not ReportPhoto.objects.filter(report=report).exists()


def test_it_asks_for_text_or_a_photo(db, staff):
    report, token = submit()
    response = reporter().post(f"/track/{token}/follow-up/", {"info-text": "   "})
    assert response.status_code == 400
    assert "Write something or attach a photo." in response.content.decode()
    assert not report.events.filter(kind=Kind.FOLLOW_UP).exists()


def test_it_refuses_information_for_a_rejected_report(db, staff):
    report, token = submit()
    services.report_transition(report=report, to_status=Status.REJECTED, actor=staff[1], reason="Not an offence.")
    response = reporter().post(f"/track/{token}/follow-up/", {"info-text": "More."})
    assert response.status_code == 400
    assert "no longer followed" in response.content.decode()
    assert not report.events.filter(kind=Kind.FOLLOW_UP).exists()


# --- not resolved -----------------------------------------------------------------------------


def test_it_reopens_an_answered_report_when_the_reporter_says_it_is_not_resolved(db, staff):
    _officer, prosecutor = staff
    report, token = answered(staff)
    before = Notification.objects.filter(user=prosecutor).count()
    response = reporter().post(f"/track/{token}/not-resolved/", {"reopen-text": "They are still selling."})
    assert response.status_code == 302 and response["Location"] == f"/track/{token}/#not-resolved"
    report.refresh_from_db()
    assert report.status == Status.REOPENED
    event = report.events.filter(kind=Kind.STATUS).last()
    assert (event.from_status, event.to_status, event.data["reason"]) == (
        Status.ANSWERED,
        Status.REOPENED,
        "They are still selling.",
    )
    assert Notification.objects.filter(user=prosecutor).count() == before + 1
    assert "still selling" not in reporter().get(f"/track/{token}/").content.decode()


def test_it_refuses_not_resolved_before_an_answer(db, staff):
    report, token = submit()
    response = reporter().post(f"/track/{token}/not-resolved/", {"reopen-text": "Nothing happened."})
    assert response.status_code == 400
    assert "cannot go from" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.ROUTED
    assert report.events.count() == 2


def test_it_asks_what_is_still_wrong(db, staff):
    report, token = answered(staff)
    response = reporter().post(f"/track/{token}/not-resolved/", {"reopen-text": ""})
    assert response.status_code == 400
    assert "Say what is still wrong." in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.ANSWERED


# --- rating -----------------------------------------------------------------------------------


def test_it_records_a_rating_from_1_to_5_once_answered(db, staff):
    report, token = answered(staff)
    response = reporter().post(f"/track/{token}/rate/", {"rate-rating": "4"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.rating == 4
    assert report.events.get(kind=Kind.RATED).data == {"rating": 4}
    assert "4 of 5" in reporter().get(f"/track/{token}/").content.decode()


@pytest.mark.parametrize("value", ["0", "6", "-1", "five", ""])
def test_it_refuses_a_rating_outside_1_to_5(db, staff, value):
    report, token = answered(staff)
    response = reporter().post(f"/track/{token}/rate/", {"rate-rating": value})
    assert response.status_code == 400
    assert "Rate from 1 to 5." in response.content.decode()
    report.refresh_from_db()
    assert report.rating is None
    assert not report.events.filter(kind=Kind.RATED).exists()


def test_it_refuses_a_rating_before_an_answer(db, staff):
    report, token = submit()
    response = reporter().post(f"/track/{token}/rate/", {"rate-rating": "5"})
    assert response.status_code == 400
    assert "no answer to rate yet" in response.content.decode()
    report.refresh_from_db()
    assert report.rating is None


# --- links, tokens, limits --------------------------------------------------------------------


@pytest.mark.parametrize("action", ["follow-up", "not-resolved", "rate"])
def test_it_answers_404_to_a_wrong_token(db, staff, action):
    submit()
    response = reporter().post(f"/track/not-a-real-token-at-all/{action}/", {"info-text": "x", "rate-rating": "3"})
    assert response.status_code == 404
    assert reporter().get(f"/track/{action}-wrong/").status_code == 404


def test_it_refuses_get_on_the_follow_up_endpoints(db, staff):
    _report, token = submit()
    assert reporter().get(f"/track/{token}/follow-up/").status_code == 405


def test_it_limits_follow_ups_per_address_and_keeps_the_text(db, settings, staff):
    settings.ANON_REPORTS_PER_HOUR = 2
    report, token = submit()
    client = reporter("198.51.100.70")
    assert client.post(f"/track/{token}/follow-up/", {"info-text": "one"}).status_code == 302
    assert client.post(f"/track/{token}/follow-up/", {"info-text": "two"}).status_code == 302
    limited = client.post(f"/track/{token}/follow-up/", {"info-text": "My third note"})
    assert limited.status_code == 429
    assert "My third note" in limited.content.decode()
    assert int(limited["Retry-After"]) > 0
    assert report.events.filter(kind=Kind.FOLLOW_UP).count() == 2
    assert reporter("198.51.100.71").post(f"/track/{token}/follow-up/", {"info-text": "four"}).status_code == 302


def test_it_lets_a_me_too_follower_follow_up_through_their_own_link(db, staff):
    report, _token = submit()
    _supporter, token = services.report_me_too(report=report, contact={"name": "Dana", "phone": "", "email": ""})
    html = reporter().get(f"/track/{token}/").content.decode()
    assert report.reference in html and "Dana" not in html and "Aigerim" not in html
    response = reporter().post(f"/track/{token}/follow-up/", {"info-text": "I saw it too, at 22:00."})
    assert response.status_code == 302
    assert report.events.filter(kind=Kind.FOLLOW_UP).count() == 1


def test_it_follows_a_merged_report_in_the_one_it_was_merged_into(db, staff):
    _officer, prosecutor = staff
    original, original_token = submit()
    duplicate, duplicate_token = submit()
    services.report_merge(duplicate=duplicate, into=original, actor=prosecutor, reason="Same shop.")
    duplicate.refresh_from_db()
    assert duplicate.status == Status.DUPLICATE
    response = reporter().get(f"/track/{duplicate_token}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert original.reference in html
    assert f"Your report {duplicate.reference} was about the same thing" in html
    assert "Same shop." not in html
    # Adding information goes to the report that is followed now.
    assert reporter().post(f"/track/{duplicate_token}/follow-up/", {"info-text": "Still there."}).status_code == 302
    assert original.events.filter(kind=Kind.FOLLOW_UP).count() == 1
    assert not duplicate.events.filter(kind=Kind.FOLLOW_UP).exists()
    # The original's own reporter sees the merge, not the other reporter.
    original_html = reporter().get(f"/track/{original_token}/").content.decode()
    assert "A report about the same thing was joined to this one." in original_html
    assert duplicate.reference not in original_html


@pytest.mark.parametrize("username", sorted(PERSONAS))
def test_it_shows_every_persona_the_same_tracking_page_without_contacts_or_internal_text(db, login, staff, username):
    _report, token = answered(staff)
    html = login(username).get(f"/track/{token}/").content.decode()
    assert PUBLIC in html
    assert "INTERNAL" not in html and "Aigerim" not in html and "aigerim@example.org" not in html
