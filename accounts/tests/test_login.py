import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEvent
from conftest import PASSWORD

LOGIN_URL = reverse("accounts:login")
OTP_URL = reverse("accounts:otp_verify")
SETUP_URL = reverse("accounts:otp_setup")
GENERIC_ERROR = "Please enter a correct username and password."
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)")


def client_from(address: str) -> Client:
    return Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")


def post_login(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password, **extra})


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def wrong_code_for(device: TOTPDevice) -> str:
    return f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"


# --- Password ------------------------------------------------------------------------------


def test_it_logs_in_with_the_right_password(persona):
    persona("alga_officer")
    client = client_from("10.0.0.1")
    response = post_login(client, "alga_officer")
    assert response.status_code == 302
    assert response.url == reverse("signals:queue")  # a body officer lands on the body's queue
    assert client.get("/").wsgi_request.user.username == "alga_officer"


def test_it_gives_one_generic_error_whether_or_not_the_account_exists(persona):
    persona("alga_officer")
    wrong_password = post_login(client_from("10.0.0.1"), "alga_officer", "not-the-password")
    no_such_user = post_login(client_from("10.0.0.2"), "nobody-by-this-name", "not-the-password")
    for response in (wrong_password, no_such_user):
        assert response.status_code == 200
        assert GENERIC_ERROR in response.content.decode()
        assert response.context["form"].non_field_errors() == wrong_password.context["form"].non_field_errors()
        assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db  # the page's time zone is the only region's (accounts.middleware)
def test_it_renders_labels_for_every_input(client):
    html = client.get(LOGIN_URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<label for="id_username"' in html
    assert '<label for="id_password"' in html


def test_it_logs_out_on_post_only(persona):
    persona("alga_officer")
    client = client_from("10.0.0.1")
    post_login(client, "alga_officer")
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert not client.get("/").wsgi_request.user.is_authenticated


# --- Throttling ----------------------------------------------------------------------------


def fail_five_times(client, username):
    return [post_login(client, username, "not-the-password").status_code for _ in range(5)]


def test_it_locks_out_after_five_failures_with_429(persona):
    persona("alga_officer")
    client = client_from("10.0.0.1")
    assert fail_five_times(client, "alga_officer")[:4] == [200] * 4
    # Even the right password is refused now.
    response = post_login(client, "alga_officer")
    assert response.status_code == 429
    assert "Too many failed attempts, try again in 15 minutes" in response.content.decode()
    assert not client.get("/").wsgi_request.user.is_authenticated
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOCKED_OUT, target="alga_officer").exists()


def test_it_does_not_lock_the_same_username_from_another_address(persona):
    persona("alga_officer")
    fail_five_times(client_from("10.0.0.1"), "alga_officer")
    response = post_login(client_from("10.0.0.2"), "alga_officer")
    assert response.status_code == 302


def test_it_does_not_lock_another_username_from_the_same_address(persona):
    persona("alga_officer")
    persona("citizen")
    client = client_from("10.0.0.1")
    fail_five_times(client, "alga_officer")
    response = post_login(client, "citizen")
    assert response.status_code == 302


# --- Second factor -------------------------------------------------------------------------


def test_it_sends_a_personal_data_role_to_set_up_a_device(persona):
    persona("alga_prosecutor")
    client = client_from("10.0.0.1")
    post_login(client, "alga_prosecutor")
    response = client.get("/signals/?page=2")
    assert response.status_code == 302
    assert response.url == f"{SETUP_URL}?next=%2Fsignals%2F%3Fpage%3D2"

    page = client.get(response.url)
    html = page.content.decode()
    device = TOTPDevice.objects.get(user__username="alga_prosecutor", confirmed=False)
    assert "<svg" in html
    assert not INLINE_SCRIPT.search(html) and " style=" not in html  # the CSP allows neither
    assert device.config_url.split("secret=")[1].split("&")[0][:4] in html.replace(" ", "")


def test_it_lets_a_correct_code_confirm_the_device_and_log_the_factor_in(persona):
    persona("alga_prosecutor")
    client = client_from("10.0.0.1")
    post_login(client, "alga_prosecutor")
    client.get(SETUP_URL)
    device = TOTPDevice.objects.get(user__username="alga_prosecutor")

    response = client.post(SETUP_URL, {"token": code_for(device), "next": "/"})
    assert response.status_code == 302
    assert response.url == "/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SECOND_FACTOR, details__outcome="enrolled").exists()


def test_it_refuses_a_wrong_code(persona):
    persona("alga_prosecutor")
    client = client_from("10.0.0.1")
    post_login(client, "alga_prosecutor")
    client.get(SETUP_URL)
    device = TOTPDevice.objects.get(user__username="alga_prosecutor")

    response = client.post(SETUP_URL, {"token": wrong_code_for(device)})
    assert response.status_code == 200
    assert 'aria-describedby="id_token_error"' in response.content.decode()
    assert client.get("/").status_code == 302
    device.refresh_from_db()
    assert not device.confirmed
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SECOND_FACTOR, details__outcome="failed").exists()


def test_it_asks_for_a_code_once_the_device_is_confirmed(persona):
    user = persona("analyst")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = client_from("10.0.0.1")
    post_login(client, "analyst")

    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(OTP_URL)
    # A confirmed device cannot be replaced by whoever knows the password.
    assert client.get(SETUP_URL).url.startswith(OTP_URL)

    response = client.post(OTP_URL, {"token": code_for(device), "next": "/"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_it_throttles_wrong_codes(persona):
    user = persona("analyst")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = client_from("10.0.0.1")
    post_login(client, "analyst")

    assert client.post(OTP_URL, {"token": wrong_code_for(device)}).status_code == 200
    # Right after a failure, even the right code waits (django-otp's exponential back-off).
    response = client.post(OTP_URL, {"token": code_for(device)})
    assert response.status_code == 429
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SECOND_FACTOR, details__outcome="throttled").exists()


def test_it_does_not_ask_a_body_officer_for_a_code(persona):
    persona("alga_officer")
    client = client_from("10.0.0.1")
    post_login(client, "alga_officer")
    assert client.get("/").status_code == 200
    assert not TOTPDevice.objects.filter(user__username="alga_officer").exists()


def test_it_lets_an_unverified_user_reach_only_the_exempt_pages(persona):
    persona("administrator")
    client = client_from("10.0.0.1")
    post_login(client, "administrator")
    assert client.get("/healthz").status_code != 302
    assert client.post(reverse("accounts:set_language"), {"language": "ru"}).status_code == 302
    assert not client.post(reverse("accounts:set_language"), {"language": "ru"}).url.startswith(SETUP_URL)
    # The admin itself needs the second factor.
    assert client.get("/admin/").url.startswith(SETUP_URL)


def test_it_lets_the_login_fixture_through(login):
    assert login("analyst").get("/").status_code == 200


# --- Sessions ------------------------------------------------------------------------------


def test_it_ends_a_session_after_the_idle_time(persona):
    persona("alga_officer")
    client = client_from("10.0.0.1")
    post_login(client, "alga_officer")
    client.get("/")
    session = Session.objects.get(session_key=client.session.session_key)
    # Every request pushes the end of the session to now + SESSION_COOKIE_AGE.
    assert session.expire_date > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)

    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert not client.get("/").wsgi_request.user.is_authenticated
