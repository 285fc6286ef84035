import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def kato_codes(response) -> set[str]:
    return {feature["properties"]["kato"] for feature in response.json()["features"]}


def test_it_gives_the_analyst_every_district_of_the_region(login):
    response = login("analyst").get("/accounts/map/districts.geojson")
    assert response.status_code == 200
    assert response.json()["type"] == "FeatureCollection"
    assert {"153200000", "155600000", "151010000"} <= kato_codes(response)


def test_it_gives_a_district_prosecutor_only_their_district(login):
    response = login("temir_prosecutor").get("/accounts/map/districts.geojson")
    assert kato_codes(response) == {"155600000"}


def test_it_names_districts_in_the_active_language(login):
    client = login("analyst")
    client.cookies["django_language"] = "ru"
    names = {f["properties"]["name"] for f in client.get("/accounts/map/districts.geojson").json()["features"]}
    assert "Алгинский район" in names


def test_it_marks_approximate_shapes_on_the_page(login):
    client = login("analyst")
    client.cookies["django_language"] = "en"
    response = client.get("/accounts/map/")
    assert response.status_code == 200
    assert b"approximate" in response.content


def test_it_asks_visitors_to_log_in():
    response = Client().get("/accounts/map/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
