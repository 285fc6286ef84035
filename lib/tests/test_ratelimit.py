"""The fixed-window rate limiter: small limits counted exactly, large ones in batches."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lib import ratelimit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def test_it_counts_a_small_limit_request_by_request():
    assert [ratelimit.hit("test:small", 3) for _ in range(4)] == [True, True, True, False]


def test_it_counts_a_large_limit_in_batches_and_still_refuses_past_it():
    limit = 20 * ratelimit.LOCAL_SHARE  # batches of 20
    with CaptureQueriesContext(connection) as queries:
        assert all(ratelimit.hit("test:large", limit) for _ in range(19))
    assert queries.captured_queries == []  # counted in this process only
    assert all(ratelimit.hit("test:large", limit) for _ in range(limit - 19))
    assert not ratelimit.hit("test:large", limit)
    assert not ratelimit.hit("test:large", limit)


def test_it_shares_the_count_between_processes():
    limit = 2 * ratelimit.LOCAL_SHARE  # batches of 2
    for _ in range(limit - 2):
        ratelimit.hit("test:shared", limit)
    ratelimit.forget_local_counts()  # now like another process: only the shared count is left
    assert ratelimit.hit("test:shared", limit)
    assert ratelimit.hit("test:shared", limit)
    assert not ratelimit.hit("test:shared", limit)
