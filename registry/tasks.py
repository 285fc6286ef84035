from django.db import transaction
from django_tasks import task

from lib.tasks import enqueue_on_commit

from . import services


@task()
def take_report_indicators(report_id: int) -> int:
    """The indicators a new offence report names, linked to it (lib.plugins' report_tasks)."""
    return services.report_indicators_take(report_id=report_id)


@task()
def record_report_graffiti(report_id: int) -> bool:
    """A new report of the graffiti category made a graffiti record (lib.plugins' report_tasks), and
    a report put in or out of that category followed (recategorise_tasks); True when it is one."""
    return services.graffiti_sync(report_id=report_id) is not None


@task()
def follow_answer_graffiti(answer_id: int) -> bool:
    """An answer given, accepted or returned (lib.plugins' answer_tasks): the graffiti it shows
    painted over marked destroyed, or the destruction withdrawn; True when the report is one."""
    return services.answer_graffiti_sync(answer_id=answer_id) is not None


@task()
def audit_lookups_task() -> int:
    """The partners' lookups since the last run, folded into the audit chain (one lock a batch)."""
    return services.lookups_audit()


@task()
def expire_indicators_task() -> int:
    """Unconfirmed indicators past their time, forgotten (settings.REGISTRY_UNCONFIRMED_DAYS)."""
    return services.indicators_expire()


@task()
def read_notice(notice_id: int) -> int:
    """A bank's or the antifraud centre's notice read in batches (safe to run twice: it resumes)."""
    return services.notice_read(notice_id=notice_id)


# The services sit below the tasks in the registry's layers, so a service does not enqueue: these
# two write the start of a reading and enqueue it in one transaction (the task row is written with
# the notice's status, lib.tasks.enqueue_on_commit).
def notice_read_start(*, actor, notice, mapping: list[str]):
    with transaction.atomic():
        notice = services.notice_map(actor=actor, notice=notice, mapping=mapping)
        enqueue_on_commit(read_notice, notice.pk)
    return notice


def notice_read_again(*, actor, notice):
    with transaction.atomic():
        notice = services.notice_resume(actor=actor, notice=notice)
        enqueue_on_commit(read_notice, notice.pk)
    return notice
