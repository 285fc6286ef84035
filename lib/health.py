"""Liveness of the platform's processes: the database, the task worker, the scheduler.

The worker and the scheduler leave a heartbeat (a timestamp) in the shared cache; the
health page reports each one's age and answers 503 when any is missing or too old.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

HEARTBEAT_KEYS = {"worker": "heartbeat:worker", "scheduler": "heartbeat:scheduler"}
# Heartbeats outlive their max age in the cache, so a stale one is reported as stale.
HEARTBEAT_TTL = 24 * 3600


def beat(process: str) -> None:
    cache.set(HEARTBEAT_KEYS[process], time.time(), HEARTBEAT_TTL)


def _heartbeat_status(process: str, now: float) -> dict:
    try:
        last = cache.get(HEARTBEAT_KEYS[process])
    except Exception as error:  # the cache lives in the database or Redis, which may be down
        return {"status": "down", "error": type(error).__name__}
    if last is None:
        return {"status": "down", "last_heartbeat": None}
    age = now - last
    status = "up" if age <= settings.HEARTBEAT_MAX_AGE_SECONDS else "down"
    return {"status": status, "last_heartbeat": round(last, 3), "age_seconds": round(age, 1)}


def _database_status() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return {"status": "down", "error": type(error).__name__}
    return {"status": "up", "vendor": connection.vendor}


@never_cache
def healthz(request):
    now = time.time()
    checks = {"database": _database_status()}
    for process in HEARTBEAT_KEYS:
        checks[process] = _heartbeat_status(process, now)
    healthy = all(check["status"] == "up" for check in checks.values())
    body = {"status": "ok" if healthy else "degraded", **checks}
    return JsonResponse(body, status=200 if healthy else 503)
