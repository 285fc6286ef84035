"""Report builders shared by the signals tests: a web report submitted through the service, and a
report's columns set by hand (a state the workflow would take days to reach)."""

from accounts.models import District
from signals import services
from signals.models import Report

ALGA = "153200000"


def new_report(category="public-order", kato=ALGA, **overrides) -> Report:
    """A report from the web form in the district `kato`, routed as the category says."""
    values = {
        "actor": None,
        "category": category,
        "description": "Fights near the shop every night.",
        "channel": Report.Channel.WEB,
        "district": District.objects.get(kato=kato),
        "address": "Alga, Main street 1",
    }
    values.update(overrides)
    return services.report_submit(**values).report


def set_state(report: Report, **fields) -> Report:
    """The report with `fields` written straight into its row, read back."""
    Report.objects.filter(pk=report.pk).update(**fields)
    report.refresh_from_db()
    return report
