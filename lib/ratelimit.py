"""A fixed-window rate limiter on the shared cache (rate limits are kept in the cache only).

`hit(key, limit, window_seconds)` counts one request against `key` in the current window and
says whether it is still within `limit`. Callers name their keys ("api-key:12", "address:<hash>");
client addresses are hashed before they become part of a key, so not even the cache holds one.

Why not django-ratelimit: it requires a cache with atomic increments and reports the database
cache (our embedded default) as unsupported. This module works on any shared cache: with Redis
(`CACHE_URL`, production) the increment is atomic; with the database cache two requests racing
in the same instant may both be counted as one, which lets at most a few extra requests through
and never refuses one wrongly.

Large limits are counted in batches, since every shared-cache increment is several statements
with the database cache: each process counts a key's requests in memory and adds them to the
shared count once per `limit // LOCAL_SHARE` requests (and on every request once the limit is
near). A key may then exceed its limit by that batch per process (1 % of the limit with
LOCAL_SHARE = 100); limits below LOCAL_SHARE * 2 are counted exactly, request by request.
"""

import hashlib
import threading
import time

from django.conf import settings
from django.core.cache import cache

PREFIX = "ratelimit"
LOCAL_SHARE = 100

_lock = threading.Lock()
# cache key -> [requests not yet added to the shared count, shared count last read]; one window
# each, so the keys of past windows are dropped as the windows pass.
_local: dict[str, list[int]] = {}


def _window(window_seconds: int, now: float | None = None) -> tuple[int, float]:
    now = time.time() if now is None else now
    index = int(now // window_seconds)
    return index, now


def hit(key: str, limit: int, window_seconds: int = 60) -> bool:
    """Count a request; True while the key has made at most `limit` requests in this window."""
    if limit <= 0:
        return True  # 0 means unlimited
    index, _ = _window(window_seconds)
    cache_key = f"{PREFIX}:{key}:{window_seconds}:{index}"
    batch = limit // LOCAL_SHARE
    if batch < 2:
        return _add(cache_key, 1, window_seconds) <= limit
    with _lock:
        counts = _local.get(cache_key)
        if counts is None:
            _drop_past_windows(f"{PREFIX}:{key}:{window_seconds}:")
            counts = _local[cache_key] = [0, 0]
        counts[0] += 1
        if counts[0] < batch and counts[0] + counts[1] <= limit:
            return True  # within this process's share: no shared-cache round trip
        pending, counts[0] = counts[0], 0
    total = _add(cache_key, pending, window_seconds)
    with _lock:
        counts[1] = total
    return total <= limit


def _add(cache_key: str, delta: int, window_seconds: int) -> int:
    """Add `delta` to the shared count of the window; the new count."""
    try:
        return cache.incr(cache_key, delta)
    except ValueError:  # the first request of the window (or another process made it just now)
        return delta if cache.add(cache_key, delta, timeout=window_seconds + 1) else cache.incr(cache_key, delta)


def _drop_past_windows(prefix: str) -> None:
    """Forget the local counts of the key's earlier windows (call with _lock held)."""
    for stale in [name for name in _local if name.startswith(prefix)]:
        del _local[stale]


def retry_after(window_seconds: int = 60) -> int:
    """Seconds until the current window ends (at least 1): the value of a Retry-After header."""
    index, now = _window(window_seconds)
    return max(1, int((index + 1) * window_seconds - now + 0.999))


def client_address(request) -> str:
    """The client's address as the proxies in front of Tartip report it (PROXY_COUNT)."""
    meta = request.META
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0)
    if proxies:
        forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return meta.get("REMOTE_ADDR", "")


def address_key(request) -> str:
    """A cache key part naming the client address without storing it."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client_address(request)}".encode()).hexdigest()
    return f"address:{digest[:32]}"


def public_hit(request, scope: str, limit: int, window_seconds: int) -> bool:
    """A public form's limit per client address: True while within it. Staff are not counted
    (an operator enters callers' reports all day from one office address)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and getattr(user, "is_staff_role", False):
        return True
    return hit(f"{scope}:{address_key(request)}", limit, window_seconds)


def forget_local_counts() -> None:
    """Drop this process's unshared counts (tests: each starts from a clean slate)."""
    with _lock:
        _local.clear()
