"""The in-app list of notifications: one's own only, newest first, unread marked, all marked read
by one button, paged; the subject links to the page it is about."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def note(user, subject: str, *, minutes_ago: int = 0, read: bool = False, url: str = "/signals/", text: str = ""):
    at = timezone.now() - timedelta(minutes=minutes_ago)
    return Notification.objects.create(
        user=user, at=at, subject=subject, url=url, text=text, read_at=at if read else None
    )


def test_it_lists_the_users_own_notifications_newest_first_with_the_unread_marked(persona, login):
    officer, other = persona("alga_officer"), persona("temir_prosecutor")
    note(officer, "Older and read", minutes_ago=30, read=True)
    note(officer, "Newest, unread", minutes_ago=1, url="/signals/AKT-2025-000001/", text="Answer by Friday.")
    note(other, "Somebody else's notification")
    response = login("alga_officer").get("/accounts/notifications/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Newest, unread") < page.index("Older and read")
    assert "Somebody else" not in page
    assert page.count("notification--unread") == 1
    assert '<a href="/signals/AKT-2025-000001/">Newest, unread</a>' in page
    assert "Answer by Friday." in page and "1 unread" in page


def test_it_marks_all_of_the_users_notifications_read(persona, login):
    officer, other = persona("alga_officer"), persona("temir_prosecutor")
    mine = [note(officer, f"Mine {i}") for i in range(3)]
    theirs = note(other, "Theirs")
    client = login("alga_officer")
    response = client.post("/accounts/notifications/read/")
    assert response.status_code == 302 and response["Location"] == "/accounts/notifications/"
    for row in mine:
        row.refresh_from_db()
        assert row.read_at is not None
    theirs.refresh_from_db()
    assert theirs.read_at is None
    page = client.get("/accounts/notifications/").content.decode()
    assert "notification--unread" not in page and "Mark all as read" not in page


def test_it_marks_read_by_post_only(persona, login):
    row = note(persona("alga_officer"), "Unread")
    assert login("alga_officer").get("/accounts/notifications/read/").status_code == 405
    row.refresh_from_db()
    assert row.read_at is None


def test_it_checks_the_csrf_token_to_mark_read(persona):
    from conftest import client_for

    officer = persona("alga_officer")
    row = note(officer, "Unread")
    client = client_for(officer)
    client.handler.enforce_csrf_checks = True
    assert client.post("/accounts/notifications/read/").status_code == 403
    row.refresh_from_db()
    assert row.read_at is None


def test_it_pages_the_list(persona, login):
    officer = persona("alga_officer")
    for i in range(35):
        note(officer, f"Subject number {i:02d}", minutes_ago=i)
    client = login("alga_officer")
    first = client.get("/accounts/notifications/").content.decode()
    assert "Subject number 00" in first and "Subject number 29" in first and "Subject number 30" not in first
    assert "Page 1 of 2" in first
    second = client.get("/accounts/notifications/?page=2").content.decode()
    assert "Subject number 30" in second and "Subject number 34" in second and "Subject number 00" not in second


def test_it_does_not_link_to_another_site(persona, login):
    note(persona("alga_officer"), "Strange link", url="https://evil.example/phish")
    page = login("alga_officer").get("/accounts/notifications/").content.decode()
    assert "Strange link" in page and "evil.example" not in page


def test_it_sends_an_anonymous_visitor_to_the_login(db):
    for url in ("/accounts/notifications/", "/accounts/notifications/read/"):
        response = Client().get(url) if url.endswith("notifications/") else Client().post(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("username", ["citizen", "alga_prosecutor", "analyst", "bank_partner", "administrator"])
def test_it_shows_every_signed_in_user_their_own_list(persona, login, username):
    note(persona(username), f"For {username}")
    note(persona("alga_officer"), "For the officer")
    page = login(username).get("/accounts/notifications/").content.decode()
    assert f"For {username}" in page and "For the officer" not in page
