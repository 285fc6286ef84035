"""Per-process caches of reference data that changes rarely: categories, districts, routing rules,
calendar overrides, API keys.

Intake reads these tables on every submission; reading them from memory instead of the database
is most of what keeps a submission cheap. The shared cache would not help: by default it is the
database cache, so asking it costs a query too.

    @process_cached(seconds=60, models=[Category, CategoryAttribute])
    def categories_by_code() -> dict[str, Category]: ...

- A value is kept for `seconds` in each process, so a change made by another process (the admin
  runs in another worker) is seen within that time at the latest.
- A save or delete of a watched model (or a change of a watched many-to-many relation) in this
  process clears the function's values at once, and again when the transaction commits, so a
  value another thread read before the commit is not kept.
- `QuerySet.update()` and `bulk_create()` send no signals: their changes are seen after
  `seconds`, or call `clear_all()`.
- Cached values are shared between requests and threads: callers must not modify them.
"""

import functools
import threading
import time
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

_all_caches: list["ProcessCache"] = []


class ProcessCache:
    """Values by key, each kept for `seconds`; `clear()` drops them all."""

    def __init__(self, name: str, *, seconds: float, keep_none: bool = True):
        self.name = name
        self.seconds = seconds
        self.keep_none = keep_none
        self._entries: dict = {}
        self._generation = 0  # counts clears, so a value built during a clear is not kept
        self._lock = threading.Lock()
        _all_caches.append(self)

    def get(self, key, build: Callable[[], object]):
        now = time.monotonic()
        entry = self._entries.get(key)
        if entry is not None and now - entry[0] < self.seconds:
            return entry[1]
        generation = self._generation
        value = build()
        if value is not None or self.keep_none:
            with self._lock:
                if generation == self._generation:
                    self._entries[key] = (now, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._generation += 1
            self._entries = {}


def process_cached(*, seconds: float, models: Iterable = (), keep_none: bool = True):
    """Cache a function's results per process by its positional arguments (see the module's
    docstring). `keep_none=False` leaves None results uncached (an unknown API key must not
    stay unknown once it is created)."""

    def decorate(function):
        cache = ProcessCache(f"{function.__module__}.{function.__qualname__}", seconds=seconds, keep_none=keep_none)
        for model in models:
            watch(model, cache)

        @functools.wraps(function)
        def cached(*args):
            return cache.get(args, lambda: function(*args))

        cached.cache = cache
        return cached

    return decorate


def watch(model, cache: ProcessCache) -> None:
    """Clear `cache` when a row of `model` is saved or deleted in this process."""

    def changed(sender, using=None, **kwargs) -> None:
        cache.clear()
        transaction.on_commit(cache.clear, using=using)

    uid = f"lib.cache:{cache.name}:{model._meta.label}"
    # weak=False: `changed` is a closure that nothing else keeps alive.
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}:save")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}:delete")
    m2m_changed.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}:m2m")


def clear_all() -> None:
    """Drop every process cache (tests call it before each test: rolled back rows must not stay)."""
    for cache in _all_caches:
        cache.clear()
