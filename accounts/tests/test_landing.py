"""Staff land on their work after login, and their home page leads to it (issue 11.3)."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD

LOGIN_URL = reverse("accounts:login")
# Each persona and the page its work starts on ("home": the role's home page is its work).
LANDINGS = {
    "alga_officer": "signals:queue",
    "alga_prosecutor": "signals:oversight",
    "department_prosecutor": "signals:oversight",
    "regional_prosecutor": "signals:oversight",
    "analyst": "signals:oversight",
    "bank_partner": "registry:requests",
    "board_secretary": "home",
    "administrator": "home",
    "citizen": "signals:mine",
}
PLACEHOLDERS = ("will be listed here", "will come with")


def _log_in(client: Client, user) -> str:
    """Logs in through the form (and the code where the role needs one); the url landed on."""
    response = client.post(LOGIN_URL, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    if not user.needs_second_factor:
        return response.url
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    to_code = client.get(response.url)  # the second factor first, then where the login led
    target = parse_qs(urlparse(to_code.url).query)["next"][0]
    verified = client.post(reverse("accounts:otp_verify"), {"token": f"{totp(device.bin_key):06d}", "next": target})
    assert verified.status_code == 302
    return verified.url


@pytest.mark.parametrize("username", sorted(LANDINGS))
def test_it_lands_each_role_on_its_work_after_login(persona, username):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    landed = _log_in(client, persona(username))
    assert landed == reverse(LANDINGS[username])
    assert client.get(landed).status_code == 200


@pytest.mark.parametrize("username", [name for name, landing in LANDINGS.items() if landing != "home"])
def test_it_leads_each_home_page_to_the_work_without_placeholders(login, username):
    html = login(username).get("/").content.decode()
    assert f'class="button" href="{reverse(LANDINGS[username])}"' in html
    assert not any(text in html for text in PLACEHOLDERS)


def test_it_keeps_a_next_url_given_with_the_login(persona):
    persona("alga_officer")
    client = Client()
    response = client.post(f"{LOGIN_URL}?next=/accounts/directory/", {"username": "alga_officer", "password": PASSWORD})
    assert response.url == "/accounts/directory/"
