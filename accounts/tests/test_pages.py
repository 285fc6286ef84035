"""Every page for every persona: status codes, the home of each role, the navigation."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from accounts.models import District, Organisation
from conftest import PERSONAS
from lib.plugins import home_page


def org_name(code: str, language: str = "en") -> str:
    return escape(Organisation.objects.get(code=code).localized("name", language))


def district_name(kato: str, language: str = "en") -> str:
    return escape(District.objects.get(kato=kato).localized("name", language))


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


pytestmark = pytest.mark.django_db

ALGA, TEMIR = "153200000", "155600000"


@pytest.mark.parametrize("username", sorted(PERSONAS))
def test_it_serves_home_and_directory_to_every_persona(login, username):
    client = login(username)
    assert client.get("/").status_code == 200
    assert client.get("/accounts/directory/").status_code == 200


@pytest.mark.parametrize("username", sorted(set(PERSONAS) - {"citizen"}))
def test_it_shows_every_staff_member_their_own_organisation(login, persona, username):
    user = persona(username)
    client = login(username)
    response = client.get(f"/accounts/directory/{user.organisation.code}/")
    assert response.status_code == 200


def test_it_shows_the_public_home_to_visitors(client):
    response = in_english(client).get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tartip" in html
    assert 'href="/accounts/login/"' in html
    assert 'href="/accounts/directory/"' not in html


def test_it_sends_visitors_to_login_from_the_directory(client):
    response = client.get("/accounts/directory/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_shows_the_citizen_their_account(login):
    client = in_english(login("citizen"))
    html = client.get("/").content.decode()
    assert "Your account" in html
    assert 'href="/accounts/directory/"' not in html


def test_it_shows_the_body_officer_their_body_and_districts(login):
    html = in_english(login("alga_officer")).get("/").content.decode()
    assert org_name("akt-police-alga") in html
    assert district_name(ALGA) in html


# The roles that read the summary's figures: their home page is the dashboard reporting declares
# (lib.plugins' `home_pages`), in place of the district and regional pages they had here.
DECLARED_HOMES = [
    "alga_prosecutor",
    "department_prosecutor",
    "analyst",
    "regional_prosecutor",
    "board_secretary",
    "press_officer",
]


@pytest.mark.parametrize("username", DECLARED_HOMES)
def test_it_shows_a_role_the_home_page_an_app_declares_for_it(login, persona, username):
    page = home_page(persona(username).role)
    assert page is not None
    client = in_english(login(username))
    home = client.get("/")
    declared = client.get(reverse(page.url_name))
    assert home.status_code == declared.status_code == 200
    assert [template.name for template in home.templates] == [template.name for template in declared.templates]


@pytest.mark.parametrize("username", ["citizen", "alga_officer", "bank_partner", "administrator"])
def test_it_keeps_its_own_home_page_for_the_other_roles(persona, username):
    assert home_page(persona(username).role) is None


def test_it_shows_the_partner_their_organisation_only(login):
    html = in_english(login("bank_partner")).get("/").content.decode()
    assert org_name("bank-halyk", "ru") in html or org_name("bank-halyk") in html
    assert org_name("akt-prok-alga") not in html


def test_it_shows_the_administrator_reference_counts_and_the_admin(login):
    client = in_english(login("administrator"))
    response = client.get("/")
    html = response.content.decode()
    assert 'href="/admin/"' in html
    assert response.context["counts"]["districts"] == District.objects.count()


def test_it_links_the_admin_and_the_api_documentation_only_for_administrators(login):
    html = login("analyst").get("/").content.decode()
    assert 'href="/api/docs/"' not in html
    assert 'href="/admin/"' not in html


def test_it_marks_the_current_page_in_the_navigation(login):
    html = login("analyst").get("/accounts/directory/").content.decode()
    assert 'href="/accounts/directory/" aria-current="page"' in html


def test_it_offers_the_language_switcher_and_logout_on_every_page(login, client):
    for page in (login("temir_prosecutor").get("/accounts/directory/"), client.get("/")):
        html = page.content.decode()
        assert 'action="/accounts/language/"' in html
        for label in ("Қазақша", "Русский", "English"):
            assert label in html
    assert 'action="/accounts/logout/"' in login("alga_officer").get("/").content.decode()


def test_it_answers_htmx_with_the_partial_list(login):
    client = login("analyst")
    response = client.get("/accounts/directory/", {"kind": "partner"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert org_name("bank-halyk", "ru") in html
    assert org_name("akt-prok-alga") not in html


def test_it_filters_the_directory_by_district(login):
    client = in_english(login("analyst"))
    alga = District.objects.get(kato=ALGA)
    html = client.get("/accounts/directory/", {"district": alga.id}).content.decode()
    assert org_name("akt-police-alga") in html
    assert org_name("akt-police-temir") not in html


def test_it_ignores_a_district_filter_outside_the_scope(login):
    client = in_english(login("temir_prosecutor"))
    alga = District.objects.get(kato=ALGA)
    html = client.get("/accounts/directory/", {"district": alga.id}).content.decode()
    assert org_name("akt-police-alga") not in html
    assert org_name("akt-police-temir") in html


def test_it_counts_directory_queries_independently_of_the_number_of_organisations(login):
    alga = District.objects.get(kato=ALGA)
    region = alga.region
    clients = {name: login(name) for name in ("analyst", "alga_prosecutor")}

    def queries(client) -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get("/accounts/directory/").status_code == 200
        return len(context.captured_queries)

    before = {name: queries(client) for name, client in clients.items()}
    for number in range(15):
        organisation = Organisation.objects.create(
            code=f"test-body-{number}", kind="body", type="police_unit", region=region, name_en=f"Test {number}"
        )
        organisation.districts.add(alga)
    after = {name: queries(client) for name, client in clients.items()}
    assert after == before
