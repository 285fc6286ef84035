"""Per-process caches of reference data: kept for a while, cleared by a save in this process."""

import pytest

from accounts.api_keys import KEY_CACHE_SECONDS, api_key_check, api_key_create
from accounts.models import ApiKey, Organisation
from lib import cache
from signals.categories import get_category
from signals.models import Category

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """A fake time.monotonic for lib.cache: clock.now += seconds moves it."""

    class Clock:
        now = 1000.0

    monkeypatch.setattr(cache.time, "monotonic", lambda: Clock.now)
    return Clock


def test_it_keeps_a_value_and_sees_a_save_in_this_process_at_once(django_assert_num_queries):
    assert get_category("drug-dealing").name_en == "A place of drug dealing"
    with django_assert_num_queries(0):
        get_category("drug-dealing")
    category = Category.objects.get(code="drug-dealing")
    category.name_en = "Drug dealing"
    category.save()
    assert get_category("drug-dealing").name_en == "Drug dealing"


def test_it_sees_a_change_of_another_process_after_the_time_given(clock):
    assert get_category("drug-dealing").is_active
    # Another process's change: no signal reaches this one.
    Category.objects.filter(code="drug-dealing").update(is_active=False)
    assert get_category("drug-dealing").is_active
    clock.now += 61
    assert not get_category("drug-dealing").is_active


def test_it_stops_a_key_revoked_elsewhere_within_the_key_cache_time(clock):
    api_key, raw = api_key_create(name="x", organisation=Organisation.objects.get(code="akt-police-alga"))
    assert api_key_check(raw) is not None
    ApiKey.objects.filter(pk=api_key.pk).update(revoked_at=api_key.created_at)  # as another process would
    clock.now += KEY_CACHE_SECONDS + 1
    assert api_key_check(raw) is None


def test_it_does_not_keep_an_unknown_key():
    api_key, raw = api_key_create(name="x", organisation=Organisation.objects.get(code="akt-police-alga"))
    # Updates send no signal: only the cache can make the second check differ from the first.
    ApiKey.objects.filter(pk=api_key.pk).update(key_hash="0" * 64)
    assert api_key_check(raw) is None
    ApiKey.objects.filter(pk=api_key.pk).update(key_hash=api_key.key_hash)
    assert api_key_check(raw) is not None
