import pytest
from django.core.cache import cache
from django_tasks_db.models import DBTaskResult

from lib.scheduling import claim_slot, run_job

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()


def test_it_claims_each_interval_slot_once():
    assert claim_slot("job", 30, now=3000.0)
    assert not claim_slot("job", 30, now=3010.0)  # same slot: a second scheduler gives way
    assert claim_slot("job", 30, now=3030.0)  # next slot


def test_it_enqueues_the_heartbeat_once_when_two_schedulers_fire_together():
    assert run_job("worker-heartbeat") is True
    assert run_job("worker-heartbeat") is False
    assert DBTaskResult.objects.filter(task_path="lib.tasks.worker_heartbeat").count() == 1
