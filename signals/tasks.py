"""Background work of offence reports: ids in, one call out. Enqueued by signals.services with
lib.tasks.enqueue_on_commit; the periodic ones are declared in signals/apps.py.

Each may run twice (its worker killed, the task put back in the queue by
lib.tasks.requeue_stale_tasks) and does its work once: the routing notice is keyed by the routing
(accounts.notifications), the mails are claimed (lib.once, accounts.mail), the sweep's UPDATE
claims its reports, and the statistics are recomputed whole."""

from django_tasks import task

from lib.tasks import finish

from . import digest, notices, oversight, sweep


@task()
def notify_body(report_id: int, body_id: int, kind: str) -> int:
    """Tell the officers of a body that a report was routed (or re-routed) to it; returns the notices."""
    return notices.body_routed(report_id=report_id, body_id=body_id, kind=kind)


@task()
def mail_reporters(report_id: int, status: str) -> int:
    """Tell the reporters who left an address that their report's status changed (each once)."""
    return finish(mail_reporters, notices.mail_reporters(report_id=report_id, status=status), report_id, status)


@task()
def sweep_deadlines_task() -> dict:
    """The deadline sweep ("sweep-deadlines"): idempotent, its UPDATE claims the rows."""
    result = sweep.sweep_deadlines()
    return {"marked": result.marked, "escalated": result.escalated, "notifications": result.notifications}


@task()
def send_oversight_digests_task() -> int:
    """The district prosecutors' daily digest ("oversight-digest", hourly): sends from
    settings.DIGEST_HOUR on, once a day per prosecutor; returns the mails sent."""
    return digest.send_oversight_digests()


@task()
def refresh_oversight_statistics_task() -> int:
    """The oversight page's ranking and repeat places, computed ahead for every prosecutor's office
    ("oversight-statistics"); returns the number of scopes computed."""
    return oversight.refresh_statistics()
