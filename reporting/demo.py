"""Demo results summaries, a step of the `demo` command: what the board reads, prepared from the
demo records through the office's own steps (reporting.services), so that the summaries' pages
are not empty on a first visit.

The regional analyst's summary of the first 9 months of 2025, approved and published by the
regional prosecutor, with a second version in preparation; the year 2025 as a draft; and a
district prosecutor's draft of their district. Their titles are the only text written here: the
figures and the text come from the records and the catalogue's sentences.
"""

from datetime import date

from accounts.models import User
from lib.metrics import Source

from . import services
from .models import Metric, MetricReading, ResultsSummary

ANALYST, APPROVER, DISTRICT_PROSECUTOR = "analyst", "regional", "prosecutor.alga"


# From this day the demo's summaries read the records of the metrics an app came to compute after
# they were submitted (state prosecution, amounts): the demo keeps those records from 2024 on.
DEMO_RECORDS_FROM = date(2024, 1, 1)


def read_demo_records() -> None:
    """The adopted metrics (computed, read from submissions until a rule says otherwise: catalogue
    sync) read from the demo's records from DEMO_RECORDS_FROM."""
    adopted = Metric.objects.filter(source=Source.COMPUTED, readings__source__in=(Source.SUBMITTED, Source.IMPORTED))
    for metric in adopted.distinct():
        MetricReading.objects.get_or_create(
            metric=metric, starts_on=DEMO_RECORDS_FROM, defaults={"source": Source.COMPUTED}
        )


def create_demo_summaries(command) -> None:
    read_demo_records()
    users = {user.username: user for user in User.objects.filter(username__in=[ANALYST, APPROVER, DISTRICT_PROSECUTOR])}
    if ResultsSummary.objects.exists():
        command.stdout.write("Results summaries exist: skipped.")
        return
    if ANALYST not in users or APPROVER not in users:
        command.stdout.write("No demo analyst and regional prosecutor: no demo results summary.")
        return
    analyst, approver = users[ANALYST], users[APPROVER]
    nine_months = services.summary_start(
        actor=analyst,
        title="Итоги работы за 9 месяцев 2025 года",
        region=None,
        katos=[],
        start=date(2025, 1, 1),
        end=date(2025, 9, 30),
    )
    approved = services.summary_approve(actor=approver, version=nine_months)
    published = services.summary_publish(actor=approver, version=approved)
    services.summary_new_version(actor=analyst, version=published)
    services.summary_start(
        actor=analyst,
        title="Итоги работы за 2025 год",
        region=None,
        katos=[],
        start=date(2025, 1, 1),
        end=date(2025, 12, 31),
    )
    made = 2
    if DISTRICT_PROSECUTOR in users:
        services.summary_start(
            actor=users[DISTRICT_PROSECUTOR],
            title="Итоги работы района за 2025 год",
            region=None,
            katos=[],
            start=date(2025, 1, 1),
            end=date(2025, 12, 31),
        )
        made += 1
    command.stdout.write(f"Demo results summaries: {made} (one published, with a new version in preparation).")
