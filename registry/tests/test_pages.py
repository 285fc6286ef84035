"""The registry's pages over real HTTP, each scoped: the search (by POST, any way of writing a
value), the indicator's page, confirming, unlinking, unmasking (audited), the entry form and the
allow-list; a body other than the police, a partner or a citizen reaches none of them."""

import pytest
from django.urls import reverse
from stdnum import luhn

from accounts.models import AuditEvent, District
from registry import services
from registry.indicators import Kind
from registry.models import Indicator, Sighting, Status
from registry.tests.test_indicators import IIN

pytestmark = pytest.mark.django_db
ALGA, TEMIR = "153200000", "155600000"
CARD = "440043012345678" + luhn.calc_check_digit("440043012345678")


@pytest.fixture
def login(login):
    def _login(username):
        client = login(username)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return _login


def enter(persona, kind, raw, kato=ALGA, username="alga_prosecutor"):
    district = District.objects.get(kato=kato)
    return services.indicator_enter(actor=persona(username), kind=kind, raw=raw, district=district).indicator


def test_a_search_finds_a_value_written_another_way_and_keeps_it_out_of_the_address(login, persona):
    phone = enter(persona, Kind.PHONE, "+77051234567")
    telegram = enter(persona, Kind.TELEGRAM, "@shop_kz")
    client = login("alga_prosecutor")
    found = client.post(reverse("registry:home"), {"value": "8 705 123 45 67"})
    assert found.status_code == 200 and reverse("registry:indicator", args=[phone.pk]) in found.content.decode()
    assert "Read as phone: +77051234567" in found.content.decode()
    found = client.post(reverse("registry:home"), {"value": "T.ME/Shop_KZ"}).content.decode()
    assert reverse("registry:indicator", args=[telegram.pk]) in found
    as_text = client.post(reverse("registry:home"), {"value": "shop"}).content.decode()
    assert "searched as text" in as_text
    missing = client.post(reverse("registry:home"), {"value": "+7 701 000 11 22"}).content.decode()
    assert "Not in the registry of your scope." in missing


def test_the_indicator_page_shows_its_sightings_and_history_and_confirms(login, persona):
    indicator = enter(persona, Kind.PHONE, "+77051234567")
    client = login("alga_officer")  # the district's police
    page = client.get(reverse("registry:indicator", args=[indicator.pk])).content.decode()
    assert "+77051234567" in page and "Entered by staff" in page and "Found" in page
    assert client.post(reverse("registry:confirm", args=[indicator.pk])).status_code == 302
    assert Indicator.objects.get(pk=indicator.pk).status == Status.CONFIRMED
    again = client.post(reverse("registry:confirm", args=[indicator.pk]), follow=True).content.decode()
    assert "Only a suspected indicator can be confirmed" in again


def test_unlinking_a_sighting_remembers_the_value(login, persona):
    indicator = enter(persona, Kind.WEBSITE, "shop.example.kz")
    sighting = Sighting.objects.get(indicator=indicator)
    assert login("temir_prosecutor").post(reverse("registry:unlink", args=[sighting.pk])).status_code == 404
    assert login("alga_prosecutor").post(reverse("registry:unlink", args=[sighting.pk])).status_code == 302
    assert Sighting.objects.get(pk=sighting.pk).unlinked_at is not None
    allow_list = login("alga_prosecutor").get(reverse("registry:allow_list")).content.decode()
    assert "shop.example.kz" in allow_list and "unlinked as wrongly taken" in allow_list


def test_a_card_is_shown_masked_and_in_full_to_a_prosecutor_only_audited(login, persona):
    card = enter(persona, Kind.CARD, CARD)
    prosecutor = login("alga_prosecutor")
    page = prosecutor.get(reverse("registry:indicator", args=[card.pk])).content.decode()
    assert CARD not in page and f"{CARD[:6]}…{CARD[-4:]}" in page
    shown = prosecutor.post(reverse("registry:unmask", args=[card.pk])).content.decode()
    assert CARD in shown
    audited = AuditEvent.objects.get(action=AuditEvent.Action.PERSONAL_DATA_VIEW)
    assert audited.target == f"registry.indicator:{card.pk}" and CARD not in str(audited.details)
    police = login("alga_officer")
    assert CARD not in police.get(reverse("registry:indicator", args=[card.pk])).content.decode()
    assert police.post(reverse("registry:unmask", args=[card.pk])).status_code == 403


def test_the_police_never_reach_an_iin(login, persona):
    iin = enter(persona, Kind.IIN, IIN)
    assert login("alga_officer").get(reverse("registry:indicator", args=[iin.pk])).status_code == 404
    assert login("alga_prosecutor").get(reverse("registry:indicator", args=[iin.pk])).status_code == 200
    listed = login("alga_officer").get(reverse("registry:home")).content.decode()
    assert "88…10" not in listed and 'value="iin"' not in listed  # nor as a kind to filter by


def test_the_entry_form_refuses_a_bad_value_with_its_reason_and_records_a_good_one(login):
    client = login("alga_prosecutor")
    alga = District.objects.get(kato=ALGA).pk
    refused = client.post(reverse("registry:new"), {"kind": "iban", "value": "KZ00 1234", "district": alga})
    assert refused.status_code == 400 and "not a valid IBAN" in refused.content.decode()
    assert 'value="KZ00 1234"' in refused.content.decode()
    saved = client.post(
        reverse("registry:new"), {"kind": "iban", "value": "kz88 6010 0000 1234 5678", "district": alga}
    )
    indicator = Indicator.objects.get()
    assert (
        saved["Location"] == reverse("registry:indicator", args=[indicator.pk]) and indicator.bank.code == "bank-halyk"
    )


def test_a_district_prosecutor_sees_the_district_only(login, persona):
    alga = enter(persona, Kind.PHONE, "+77051234567")
    temir = enter(persona, Kind.PHONE, "+77017654321", kato=TEMIR, username="temir_prosecutor")
    client = login("alga_prosecutor")
    assert client.get(reverse("registry:indicator", args=[temir.pk])).status_code == 404
    listed = client.get(reverse("registry:home")).content.decode()
    assert "+77051234567" in listed and "+77017654321" not in listed
    assert reverse("registry:indicator", args=[alga.pk]) in listed


@pytest.mark.parametrize("username", ["citizen", "bank_partner", "board_secretary"])
def test_nobody_else_reaches_the_registry(login, persona, username):
    indicator = enter(persona, Kind.PHONE, "+77051234567")
    sighting = Sighting.objects.get()
    client = login(username)
    for url in (
        reverse("registry:home"),
        reverse("registry:indicator", args=[indicator.pk]),
        reverse("registry:allow_list"),
        reverse("registry:new"),
    ):
        assert client.get(url).status_code == 403, url
    for url in (
        reverse("registry:confirm", args=[indicator.pk]),
        reverse("registry:unlink", args=[sighting.pk]),
        reverse("registry:unmask", args=[indicator.pk]),
    ):
        assert client.post(url).status_code == 403, url


def test_the_menu_shows_the_registry_to_the_police_and_not_to_another_body(login, persona):
    from accounts.models import Organisation, Role, User

    assert "/registry/" in login("alga_officer").get("/").content.decode()
    akimat = Organisation.objects.get(code="akt-akimat-alga")
    officer = User.objects.create(username="akimat_officer", role=Role.BODY_OFFICER, organisation=akimat)
    from conftest import client_for

    page = client_for(officer).get("/signals/queue/").content.decode()
    assert 'href="/registry/"' not in page
