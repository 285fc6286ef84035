"""The partners' lookup, through real HTTP with a third-party client (requests): a confirmed
indicator written any way is named, anything else is "unknown"; no key or a key over its rate is
refused with the API's error body; each lookup is kept by the keyed hash of the value only, and a
worker folds them into the audit chain in batches."""

import pytest
import requests
from django.core.cache import cache

from accounts.api_keys import api_key_create
from accounts.audit import verify_audit_chain
from accounts.models import AuditEvent, District, Organisation
from registry import services
from registry.indicators import Kind
from registry.models import Lookup

pytestmark = pytest.mark.django_db(transaction=True)
ALGA = "153200000"


@pytest.fixture
def bank_key(live_server):
    cache.clear()
    _key, raw = api_key_create(name="Halyk antifraud", organisation=Organisation.objects.get(code="bank-halyk"))
    return raw


def lookup(live_server, value, key=None, **headers):
    if key:
        headers["Authorization"] = f"Api-Key {key}"
    return requests.post(
        f"{live_server.url}/api/v1/registry/lookup", json={"value": value}, headers=headers, timeout=10
    )


def record(persona, kind, raw, confirm=False):
    indicator = services.indicator_enter(
        actor=persona("alga_prosecutor"), kind=kind, raw=raw, district=District.objects.get(kato=ALGA)
    ).indicator
    if confirm:
        services.indicator_confirm(actor=persona("alga_prosecutor"), indicator=indicator)
    return indicator


def test_a_confirmed_indicator_is_named_and_anything_else_is_unknown(live_server, bank_key, persona):
    record(persona, Kind.IBAN, "KZ88 6010 0000 1234 5678", confirm=True)
    record(persona, Kind.PHONE, "+77051234567")  # suspected only
    answer = lookup(live_server, "kz88-6010-0000-1234-5678", bank_key)
    assert answer.status_code == 200
    assert answer.json() == {"kind": "iban", "value": "KZ88 6010 0000 1234 5678", "status": "confirmed"}
    assert lookup(live_server, "8 705 123 45 67", bank_key).json() == {
        "kind": "phone",
        "value": "+77051234567",
        "status": "unknown",
    }
    assert lookup(live_server, "just words", bank_key).json() == {"kind": None, "value": None, "status": "unknown"}


def test_no_key_a_wrong_key_or_no_value_is_refused_with_the_apis_error_body(live_server, bank_key):
    assert lookup(live_server, "+77051234567").status_code == 403
    wrong = lookup(live_server, "+77051234567", "tk_wrong_key")
    assert wrong.status_code == 403 and "detail" in wrong.json()
    empty = requests.post(
        f"{live_server.url}/api/v1/registry/lookup", json={}, headers={"X-Api-Key": bank_key}, timeout=10
    )
    assert empty.status_code == 400 and "value" in empty.json()
    for bad in ({"value": 77051234567}, {"value": "x" * 401}, ["+77051234567"]):
        refused = requests.post(
            f"{live_server.url}/api/v1/registry/lookup", json=bad, headers={"X-Api-Key": bank_key}, timeout=10
        )
        assert refused.status_code == 400 and list(refused.json()) == ["value"], bad
    not_json = requests.post(
        f"{live_server.url}/api/v1/registry/lookup", data="value=1", headers={"X-Api-Key": bank_key}, timeout=10
    )
    assert not_json.status_code == 415


def test_a_key_over_its_rate_is_told_to_wait(live_server):
    cache.clear()
    _key, raw = api_key_create(
        name="slow", organisation=Organisation.objects.get(code="bank-halyk"), rate_limit_per_minute=2
    )
    answers = [lookup(live_server, "+77051234567", raw) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert "Retry-After" in answers[2].headers and "detail" in answers[2].json()


def test_each_lookup_is_audited_by_hash_in_batches_never_by_value(live_server, bank_key, persona):
    record(persona, Kind.PHONE, "+77051234567", confirm=True)
    for value in ("8 705 123 45 67", "+7 701 000 11 22", "some text"):
        assert lookup(live_server, value, bank_key).status_code == 200
    stored = list(Lookup.objects.order_by("id").values_list("kind", "status", "value_hash", "audited"))
    assert [(kind, status) for kind, status, _hash, _audited in stored] == [
        ("phone", "confirmed"),
        ("phone", "unknown"),
        ("", "unknown"),
    ]
    assert not any("7051234567" in value_hash for *_rest, value_hash, _audited in stored)
    before = AuditEvent.objects.filter(action=AuditEvent.Action.LOOKUPS).count()
    assert services.lookups_audit() == 3
    assert services.lookups_audit() == 0
    event = AuditEvent.objects.filter(action=AuditEvent.Action.LOOKUPS).get()
    assert before == 0 and len(event.details["lookups"]) == 3
    assert "7051234567" not in str(event.details) and "some text" not in str(event.details)
    assert not Lookup.objects.filter(audited=False).exists()
    assert verify_audit_chain().intact
