import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.api_keys import api_key_check, api_key_create, hash_key
from accounts.models import ApiKey, Organisation

pytestmark = pytest.mark.django_db


def create_key(*args) -> str:
    out, err = StringIO(), StringIO()
    call_command("create_api_key", *args, stdout=out, stderr=err)
    return out.getvalue().strip()


def test_it_prints_a_new_key_once_and_stores_only_its_hash():
    raw = create_key("--name", "Alga police CRM", "--org", "akt-police-alga", "--rate-limit", "120")
    match = re.fullmatch(r"tk_([0-9a-f]{8})_([A-Za-z0-9_-]{43,})", raw)
    assert match, raw
    api_key = ApiKey.objects.get(prefix=match[1])
    assert api_key.key_hash == hash_key(raw)
    assert raw not in {api_key.key_hash, api_key.prefix, api_key.name}
    assert api_key.organisation.code == "akt-police-alga"
    assert api_key.rate_limit_per_minute == 120
    assert api_key.expires_at is None


def test_it_gives_keys_at_least_256_random_bits():
    raw = create_key("--name", "x", "--org", "akt-police-alga")
    secret = raw.split("_", 2)[2]
    assert len(secret) * 6 >= 256
    assert raw != create_key("--name", "x", "--org", "akt-police-alga")


def test_it_sets_an_expiry_in_days():
    raw = create_key("--name", "x", "--org", "akt-police-alga", "--expires-days", "30")
    api_key = ApiKey.objects.get(key_hash=hash_key(raw))
    assert timedelta(days=29, hours=23) < api_key.expires_at - timezone.now() <= timedelta(days=30)


def test_it_refuses_an_unknown_organisation():
    with pytest.raises(CommandError, match="no-such-org"):
        create_key("--name", "x", "--org", "no-such-org")


def test_it_revokes_a_key_by_its_prefix():
    raw = create_key("--name", "x", "--org", "akt-police-alga")
    prefix = raw.split("_")[1]
    assert api_key_check(raw) is not None
    call_command("revoke_api_key", prefix, stdout=StringIO())
    assert ApiKey.objects.get(prefix=prefix).revoked_at is not None
    assert api_key_check(raw) is None


def test_it_refuses_an_unknown_prefix_to_revoke():
    with pytest.raises(CommandError):
        call_command("revoke_api_key", "deadbeef", stdout=StringIO())


def test_it_checks_a_key_with_one_lookup_and_writes_last_use_at_most_once_a_minute():
    api_key, raw = api_key_create(name="x", organisation=Organisation.objects.get(code="akt-police-alga"))
    now = timezone.now()
    with CaptureQueriesContext(connection) as first:
        assert api_key_check(raw, now=now).pk == api_key.pk
    assert [q["sql"].split()[0] for q in first.captured_queries] == ["SELECT", "UPDATE"]
    with CaptureQueriesContext(connection) as again:
        assert api_key_check(raw, now=now + timedelta(seconds=30)).pk == api_key.pk
    assert again.captured_queries == []  # the key is kept by the process; no write within the minute
    api_key.refresh_from_db()
    assert api_key.last_used_at == now
    api_key_check(raw, now=now + timedelta(seconds=61))
    api_key.refresh_from_db()
    assert api_key.last_used_at == now + timedelta(seconds=61)


def test_it_refuses_expired_revoked_and_unknown_keys():
    organisation = Organisation.objects.get(code="akt-police-alga")
    expired, expired_raw = api_key_create(
        name="old", organisation=organisation, expires_at=timezone.now() - timedelta(seconds=1)
    )
    revoked, revoked_raw = api_key_create(name="gone", organisation=organisation)
    ApiKey.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    assert api_key_check(expired_raw) is None
    assert api_key_check(revoked_raw) is None
    assert api_key_check("tk_00000000_" + "A" * 43) is None
    assert api_key_check("") is None


def test_it_authenticates_by_either_header_and_refuses_a_wrong_key_with_403():
    _, raw = api_key_create(name="x", organisation=Organisation.objects.get(code="akt-police-alga"))
    client = Client()
    assert client.get("/api/v1/reports/", HTTP_AUTHORIZATION=f"Api-Key {raw}").status_code == 200
    assert client.get("/api/v1/reports/", HTTP_X_API_KEY=raw).status_code == 200
    assert client.get("/api/v1/reports/", HTTP_AUTHORIZATION=f"Api-Key {raw}x").status_code == 403
    assert client.get("/api/v1/reports/").status_code == 403


def test_it_limits_each_key_by_its_own_rate_with_retry_after():
    organisation = Organisation.objects.get(code="akt-police-alga")
    _, limited = api_key_create(name="small", organisation=organisation, rate_limit_per_minute=2)
    _, other = api_key_create(name="other", organisation=organisation, rate_limit_per_minute=2)
    client = Client()
    for _ in range(2):
        assert client.get("/api/v1/categories/", HTTP_X_API_KEY=limited).status_code == 200
    refused = client.get("/api/v1/categories/", HTTP_X_API_KEY=limited)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert client.get("/api/v1/categories/", HTTP_X_API_KEY=other).status_code == 200


def test_it_exempts_keys_from_the_per_address_limit(settings):
    settings.API_ANONYMOUS_RATE_PER_MINUTE = 1
    _, raw = api_key_create(name="x", organisation=Organisation.objects.get(code="akt-police-alga"))
    client = Client()
    assert client.get("/api/v1/categories/").status_code == 200
    assert client.get("/api/v1/categories/").status_code == 429
    for _ in range(3):
        assert client.get("/api/v1/categories/", HTTP_X_API_KEY=raw).status_code == 200


def test_it_shows_keys_in_the_admin_with_the_hash_read_only(login):
    api_key, _ = api_key_create(name="Alga CRM", organisation=Organisation.objects.get(code="akt-police-alga"))
    client = login("administrator")
    page = client.get(f"/admin/accounts/apikey/{api_key.pk}/change/")
    assert page.status_code == 200
    assert b'name="key_hash"' not in page.content
    assert api_key.key_hash.encode() in page.content
    assert client.get("/admin/accounts/apikey/add/").status_code == 403
