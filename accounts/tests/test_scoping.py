"""The directory shows each user only the organisations of their remit; the rest answer 404."""

import pytest

from accounts.models import AuditEvent, Organisation

ALGA_POLICE = "akt-police-alga"


def listed_codes(client) -> set[str]:
    response = client.get("/accounts/directory/")
    assert response.status_code == 200
    return {organisation.code for organisation in response.context["organisations"]}


def test_it_hides_alga_police_from_the_temir_prosecutor(login):
    client = login("temir_prosecutor")
    codes = listed_codes(client)
    assert ALGA_POLICE not in codes
    assert "akt-police-temir" in codes
    assert client.get(f"/accounts/directory/{ALGA_POLICE}/").status_code == 404


def test_it_records_the_refused_look_at_another_districts_body(login):
    client = login("temir_prosecutor")
    client.get(f"/accounts/directory/{ALGA_POLICE}/")
    denied = AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS_DENIED).last()
    assert denied.actor.username == "temir_prosecutor"
    assert ALGA_POLICE in denied.target
    client.get("/accounts/directory/no-such-organisation/")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS_DENIED).count() == 1  # a miss is no denial


def test_it_shows_alga_police_to_the_alga_prosecutor(login):
    client = login("alga_prosecutor")
    assert ALGA_POLICE in listed_codes(client)
    assert client.get(f"/accounts/directory/{ALGA_POLICE}/").status_code == 200


def test_it_shows_both_districts_to_the_regional_analyst(login):
    client = login("analyst")
    codes = listed_codes(client)
    assert {ALGA_POLICE, "akt-police-temir", "akt-prok-alga", "akt-prok-temir"} <= codes
    assert client.get(f"/accounts/directory/{ALGA_POLICE}/").status_code == 200


def test_it_shows_the_bank_partner_only_the_bank(login):
    client = login("bank_partner")
    assert listed_codes(client) == {"bank-halyk"}
    assert client.get(f"/accounts/directory/{ALGA_POLICE}/").status_code == 404
    assert client.get("/accounts/directory/bank-halyk/").status_code == 200


def test_it_shows_the_citizen_nothing(login):
    client = login("citizen")
    assert listed_codes(client) == set()
    assert client.get(f"/accounts/directory/{ALGA_POLICE}/").status_code == 404


def test_it_lists_the_staff_of_an_organisation_within_scope(login, persona):
    officer = persona("alga_officer")
    officer.first_name, officer.last_name = "Ержан", "Тлеубаев"
    officer.save()
    html = login("alga_prosecutor").get(f"/accounts/directory/{ALGA_POLICE}/").content.decode()
    assert "Ержан Тлеубаев" in html


def test_it_hides_other_bodies_staff_from_a_body_officer(login, persona):
    prosecutor = persona("alga_prosecutor")
    prosecutor.first_name, prosecutor.last_name = "Асель", "Нұрланова"
    prosecutor.save()
    response = login("alga_officer").get("/accounts/directory/akt-prok-alga/")
    assert response.status_code == 200
    assert "Асель Нұрланова" not in response.content.decode()


@pytest.mark.parametrize("username", ["temir_prosecutor", "alga_officer"])
def test_it_answers_404_for_an_unknown_code(login, username):
    assert login(username).get("/accounts/directory/no-such-organisation/").status_code == 404


def test_it_keeps_the_directory_detail_consistent_with_the_list(login, persona):
    user = persona("temir_prosecutor")
    client = login("temir_prosecutor")
    for organisation in Organisation.objects.for_user(user)[:5]:
        assert client.get(f"/accounts/directory/{organisation.code}/").status_code == 200
