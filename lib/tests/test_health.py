import time

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from lib.health import HEARTBEAT_KEYS, beat

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_heartbeats():
    cache.delete_many(list(HEARTBEAT_KEYS.values()))


def test_it_answers_503_when_no_worker_or_scheduler_ever_beat(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == {"status": "up", "vendor": connection.vendor}
    assert body["worker"]["status"] == "down"
    assert body["scheduler"]["status"] == "down"


def test_it_answers_200_when_every_process_is_alive(client):
    beat("worker")
    beat("scheduler")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response["Cache-Control"].startswith("max-age=0")


def test_it_reports_a_stale_heartbeat_as_down(client, settings):
    beat("scheduler")
    cache.set(HEARTBEAT_KEYS["worker"], time.time() - settings.HEARTBEAT_MAX_AGE_SECONDS - 5)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"]["status"] == "down"
    assert response.json()["worker"]["age_seconds"] > settings.HEARTBEAT_MAX_AGE_SECONDS


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens its connection
def test_it_gets_the_worker_heartbeat_through_the_task_queue(client):
    from lib.tasks import worker_heartbeat

    beat("scheduler")
    worker_heartbeat.enqueue()
    assert client.get("/healthz").json()["worker"]["status"] == "down"  # nobody ran it yet
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    assert client.get("/healthz").status_code == 200
