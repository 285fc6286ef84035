"""Periodic jobs: each job the apps declare (lib.plugins.PeriodicJob, in their apps.py) is enqueued
as a task once per interval slot.

Several schedulers may run at once (a restart overlapping, a second machine): the slot is
claimed atomically in the shared cache, so only one of them enqueues it, and the tasks
themselves claim their rows, so even a double enqueue does no harm.
"""

import logging
import time

from django.core.cache import cache

from lib.health import beat
from lib.plugins import periodic_jobs

logger = logging.getLogger(__name__)


def claim_slot(job_name: str, seconds: int, now: float | None = None) -> bool:
    slot = int((now if now is not None else time.time()) // seconds)
    return cache.add(f"schedule:{job_name}:{slot}", True, timeout=seconds * 2)


def run_job(job_name: str) -> bool:
    """Enqueue the job's task if this interval slot is still unclaimed; True when enqueued."""
    job = periodic_jobs()[job_name]
    if not claim_slot(job_name, job.seconds):
        return False
    job.enqueue()
    logger.info("scheduled %s", job_name)
    return True


def scheduler_heartbeat() -> None:
    beat("scheduler")
