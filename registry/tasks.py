from django_tasks import task

from . import services


@task()
def take_report_indicators(report_id: int) -> int:
    """The indicators a new offence report names, linked to it (lib.plugins' report_tasks)."""
    return services.report_indicators_take(report_id=report_id)


@task()
def audit_lookups_task() -> int:
    """The partners' lookups since the last run, folded into the audit chain (one lock a batch)."""
    return services.lookups_audit()


@task()
def expire_indicators_task() -> int:
    """Unconfirmed indicators past their time, forgotten (settings.REGISTRY_UNCONFIRMED_DAYS)."""
    return services.indicators_expire()
