import pytest
from django.test import Client

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def password_only_session(username: str) -> Client:
    """Logs in through the real login form: the password, and no second factor yet."""
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_it_tells_a_district_prosecutor_their_district(login):
    response = login("alga_prosecutor").get("/api/v1/me/")
    assert response.status_code == 200
    body = response.json()
    assert body["organisation"] == "akt-prok-alga"
    assert body["region_wide"] is False
    assert [d["kato"] for d in body["districts"]] == ["153200000"]


def test_it_gives_regional_roles_the_whole_region(login):
    body = login("analyst").get("/api/v1/me/").json()
    assert body["region_wide"] is True
    assert len(body["districts"]) >= 15


def test_it_refuses_anonymous_callers():
    assert Client().get("/api/v1/me/").status_code == 403


def test_it_refuses_a_password_only_session_of_a_personal_data_role(persona):
    persona("analyst")
    client = password_only_session("analyst")
    response = client.get("/api/v1/me/")
    assert response.status_code == 403


def test_it_lets_a_body_officer_in_without_a_second_factor(persona):
    persona("alga_officer")
    client = password_only_session("alga_officer")
    assert client.get("/api/v1/me/").status_code == 200


def test_it_serves_the_schema_and_its_docs_to_anybody():
    client = Client()
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/me/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn." not in docs.content  # Swagger UI is served by Tartip itself
