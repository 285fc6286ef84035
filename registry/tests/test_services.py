"""The registry's writes: a value kept once whatever way it was written, each sighting with its
source, a card kept encrypted, the allow-list and remembered unlinks never taken, confirmation as a
dated event; and who sees which indicators (registry.policy)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone
from stdnum import luhn

from accounts.models import District
from lib.crypto import keyed_hash
from registry import policy, services
from registry.indicators import Kind, normalize
from registry.models import IgnoredValue, Indicator, IndicatorEvent, Sighting, Status
from registry.tests.test_indicators import BIN, IIN

pytestmark = pytest.mark.django_db
ALGA, TEMIR = "153200000", "155600000"
CARD = "440043012345678" + luhn.calc_check_digit("440043012345678")


def district(kato):
    return District.objects.get(kato=kato)


def enter(persona, kind, raw, kato=ALGA, username="alga_prosecutor"):
    return services.indicator_enter(actor=persona(username), kind=kind, raw=raw, district=district(kato))


def test_one_value_written_two_ways_is_one_indicator_with_two_sightings(persona):
    first = enter(persona, Kind.PHONE, "8 705 123 45 67")
    second = enter(persona, Kind.PHONE, "+7 (705) 123-45-67")
    assert first.indicator_id == second.indicator_id
    indicator = Indicator.objects.get()
    assert (indicator.value, indicator.status, indicator.details) == (
        "+77051234567",
        Status.SUSPECTED,
        {"country": "KZ"},
    )
    assert indicator.sightings.count() == 2
    assert list(indicator.events.values_list("kind", flat=True)) == [IndicatorEvent.Kind.FOUND]
    assert indicator.expires_at > timezone.now() + timedelta(days=179)


def test_a_malformed_value_is_refused_with_its_reason_and_nothing_kept(persona):
    with pytest.raises(ValidationError) as refused:
        enter(persona, Kind.CARD, CARD[:-1] + str((int(CARD[-1]) + 1) % 10))
    assert "Luhn" in str(refused.value) and not Indicator.objects.exists()


def test_a_card_is_kept_encrypted_and_found_by_its_keyed_hash(persona):
    enter(persona, Kind.CARD, f"{CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:]}")
    indicator = Indicator.objects.get()
    assert (indicator.value, indicator.secret, indicator.shown) == ("", CARD, f"{CARD[:6]}…{CARD[-4:]}")
    assert indicator.value_hash == keyed_hash(f"card:{CARD}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM registry_indicator")
        (stored,) = cursor.fetchone()
    assert CARD not in stored


def test_an_iban_names_its_bank_the_partner(persona):
    enter(persona, Kind.IBAN, "kz88 6010 0000 1234 5678")  # Halyk Bank's code, 601
    indicator = Indicator.objects.get()
    assert indicator.value == "KZ886010000012345678"
    assert (indicator.bank.code, indicator.details["bank_code"]) == ("bank-halyk", "601")


def test_an_allow_listed_value_is_never_taken_and_an_unlinked_one_is_remembered(persona):
    hotline = normalize(Kind.PHONE, "+7 727 250 12 34")
    IgnoredValue.objects.create(kind=Kind.PHONE, value_hash=keyed_hash(f"phone:{hotline.value}"), shown=hotline.value)
    with pytest.raises(ValidationError, match="allow-list"):
        enter(persona, Kind.PHONE, "8 727 250 12 34")
    sighting = enter(persona, Kind.TELEGRAM, "t.me/Shop_KZ")
    services.sighting_unlink(actor=persona("alga_prosecutor"), sighting=sighting)
    assert Sighting.objects.get(pk=sighting.pk).unlinked_at is not None
    assert IgnoredValue.objects.filter(reason=IgnoredValue.Reason.UNLINKED, kind=Kind.TELEGRAM).exists()
    found = normalize(Kind.TELEGRAM, "@shop_kz")
    assert services.is_ignored(found)
    region = district(ALGA).region
    assert services.indicator_take(actor=None, found=found, source="report", region=region, at=timezone.now()) is None


def test_confirming_is_a_dated_event_by_a_prosecutor_or_the_police(persona):
    indicator = enter(persona, Kind.PHONE, "8 705 123 45 67").indicator
    with pytest.raises(PermissionDenied):
        services.indicator_confirm(actor=persona("analyst"), indicator=indicator)
    confirmed = services.indicator_confirm(actor=persona("alga_officer"), indicator=indicator)  # the district police
    assert (confirmed.status, confirmed.expires_at) == (Status.CONFIRMED, None)
    event = confirmed.events.get(kind=IndicatorEvent.Kind.CONFIRMED)
    assert event.actor.username == "alga_officer" and event.status == Status.CONFIRMED
    with pytest.raises(ValidationError, match="Only a suspected"):
        services.indicator_confirm(actor=persona("alga_prosecutor"), indicator=indicator)


def test_each_persona_sees_the_indicators_of_its_scope_and_no_more(persona):
    phone = enter(persona, Kind.PHONE, "8 705 123 45 67").indicator
    card = enter(persona, Kind.CARD, CARD).indicator
    iin = enter(persona, Kind.IIN, IIN).indicator
    company = enter(persona, Kind.BIN, BIN).indicator
    temir_site = enter(persona, Kind.WEBSITE, "shop.example.kz", kato=TEMIR, username="temir_prosecutor").indicator

    def seen(username):
        return set(policy.visible_indicators(persona(username), Indicator.objects.all()))

    everything = {phone, card, iin, company, temir_site}
    assert seen("regional_prosecutor") == everything
    assert seen("alga_prosecutor") == {phone, card, iin, company}
    assert seen("temir_prosecutor") == {temir_site}
    assert seen("alga_officer") == {phone, card}  # the police: never an IIN or a BIN
    assert seen("analyst") == {phone, card, temir_site}
    for nobody in ("bank_partner", "citizen", "board_secretary"):
        assert seen(nobody) == set()
    # A sighting unlinked (wrongly taken) places the value nowhere: the district no longer sees it.
    services.sighting_unlink(actor=persona("temir_prosecutor"), sighting=temir_site.sightings.get())
    assert seen("temir_prosecutor") == set() and temir_site in seen("regional_prosecutor")
    assert policy.may_unmask(persona("alga_prosecutor")) and not policy.may_unmask(persona("alga_officer"))


def test_the_administrator_adds_a_value_to_the_allow_list_typed_any_way(login):
    client = login("administrator")
    refused = client.post("/admin/registry/ignoredvalue/add/", {"kind": "phone", "value": "12", "label": "x"})
    assert refused.status_code == 200 and not IgnoredValue.objects.exists()
    added = client.post(
        "/admin/registry/ignoredvalue/add/", {"kind": "phone", "value": "8 (7132) 55-66-77", "label": "the office"}
    )
    assert added.status_code == 302
    ignored = IgnoredValue.objects.get()
    assert (ignored.shown, ignored.actor.username) == ("+77132556677", "administrator")
    assert services.is_ignored(normalize(Kind.PHONE, "+7 7132 556677"))


def test_an_unconfirmed_indicator_is_forgotten_with_what_it_names_and_a_confirmed_one_stays(persona):
    suspected = enter(persona, Kind.CARD, CARD).indicator
    confirmed = enter(persona, Kind.PHONE, "8 705 123 45 67").indicator
    services.indicator_confirm(actor=persona("alga_prosecutor"), indicator=confirmed)
    later = timezone.now() + timedelta(days=181)
    assert services.indicators_expire(now=timezone.now()) == 0
    assert services.indicators_expire(now=later) == 1
    forgotten = Indicator.objects.get(pk=suspected.pk)
    assert (forgotten.status, forgotten.secret, forgotten.value, forgotten.shown) == (Status.EXPIRED, "", "", "—")
    assert forgotten.events.filter(kind=IndicatorEvent.Kind.EXPIRED).exists()
    assert Indicator.objects.get(pk=confirmed.pk).status == Status.CONFIRMED
    assert services.indicators_expire(now=later) == 0
    again = enter(persona, Kind.CARD, CARD).indicator  # seen again: suspected anew, as found now
    again.refresh_from_db()
    assert (again.pk, again.status, again.secret) == (suspected.pk, Status.SUSPECTED, CARD)
