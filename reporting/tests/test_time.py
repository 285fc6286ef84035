"""What a figure means in time (docs/metrics.md): a flow counts facts whose effective moment is in
the period and recorded by the "as of" day; a stock stands as it was at the end of that day; the
base reads the same offsets a year earlier; local dates are the region's."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from reporting.figures import Request, SummaryError, compute
from reporting.tests import facts
from reporting.tests.facts import ALGA, local

pytestmark = pytest.mark.django_db

OCTOBER = {"start": date(2025, 10, 1), "end": date(2025, 10, 31), "as_of": date(2025, 10, 31)}
SEPTEMBER = {"start": date(2025, 9, 1), "end": date(2025, 9, 30), "as_of": date(2025, 9, 30)}


def value(code, **request):
    return compute(Request.make(region=facts.region(), **request)).figure(code).value


def test_it_puts_a_report_received_at_half_past_midnight_local_time_in_its_local_month():
    facts.submit(local(2025, 10, 1, 0, 30))  # 30 September, 19:30 UTC
    facts.submit(local(2025, 9, 30, 23, 30))
    assert value("fsm.reports.received", **OCTOBER) == 1
    assert value("fsm.reports.received", **SEPTEMBER) == 1


def test_it_dates_january_2024_by_the_regions_own_zone():
    """Asia/Aqtobe was UTC+5 in January 2024 while Asia/Almaty was UTC+6: a report at 23:30 local
    time on 31 January 2024 is January's, though it was already 1 February in Almaty's reckoning."""
    facts.submit(local(2024, 1, 31, 23, 30))
    january = {"start": date(2024, 1, 1), "end": date(2024, 1, 31), "as_of": date(2024, 2, 29)}
    february = {"start": date(2024, 2, 1), "end": date(2024, 2, 29), "as_of": date(2024, 2, 29)}
    assert value("fsm.reports.received", **january) == 1
    assert value("fsm.reports.received", **february) == 0


def test_it_counts_a_flow_only_once_recorded_by_the_as_of_day():
    report = facts.submit(local(2025, 9, 10))
    facts.answer(report, local(2025, 9, 20, 9))
    as_of_19th = SEPTEMBER | {"as_of": date(2025, 9, 19)}
    assert value("fsm.answers.given", **as_of_19th) == 0
    assert value("fsm.answers.given", **SEPTEMBER | {"as_of": date(2025, 9, 20)}) == 1
    assert value("fsm.reports.received", **as_of_19th) == 1


def test_it_reads_a_stock_as_it_stood_at_the_end_of_the_as_of_day():
    report = facts.submit(local(2025, 9, 1))
    report.refresh_from_db()
    due = report.deadline_at.astimezone(facts.AKTOBE).date()
    facts.answer(report, report.deadline_at + timedelta(days=3))
    year = {"start": date(2025, 1, 1), "end": date(2025, 12, 31)}
    assert value("fsm.reports.overdue", **year, as_of=due - timedelta(days=1)) == 0
    # Due at 23:59:59 local time: at the end of that day the deadline has passed (signals.policy).
    assert value("fsm.reports.overdue", **year, as_of=due) == 1
    assert value("fsm.reports.overdue", **year, as_of=due + timedelta(days=2)) == 1
    assert value("fsm.reports.overdue", **year, as_of=due + timedelta(days=3)) == 0  # answered that day


def test_it_compares_with_the_same_offsets_a_year_earlier():
    facts.submit(local(2024, 9, 10))
    facts.submit(local(2024, 9, 25))  # after the base's "as of" day, one year on
    request = Request.make(region=facts.region(), **SEPTEMBER | {"as_of": date(2025, 9, 20)})
    assert (request.base.start, request.base.end, request.base_as_of) == (
        date(2024, 9, 1),
        date(2024, 9, 30),
        date(2024, 9, 20),
    )
    assert compute(request).figure("fsm.reports.received").base == 1


def test_it_shifts_the_as_of_day_with_a_chosen_base():
    request = Request.make(region=facts.region(), **SEPTEMBER, base_start=date(2025, 8, 2), base_end=date(2025, 8, 31))
    assert request.base_as_of == date(2025, 8, 31)


def test_it_gives_no_percent_change_over_a_base_of_another_length():
    facts.submit(local(2025, 9, 10, 10))
    facts.submit(local(2025, 8, 10, 10))
    summary = compute(
        Request.make(region=facts.region(), **SEPTEMBER, base_start=date(2025, 8, 1), base_end=date(2025, 8, 31))
    )
    received = summary.figure("fsm.reports.received")
    assert (received.value, received.base, received.change) == (1, 1, 0)
    assert received.change_percent is None
    assert "31" in summary.notes[0] and "30" in summary.notes[0]


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        ({"start": date(2025, 9, 30), "end": date(2025, 9, 1)}, "Период заканчивается раньше, чем начинается."),
        (SEPTEMBER | {"as_of": date(2025, 8, 31)}, "раньше начала периода"),
        (SEPTEMBER | {"base_start": date(2024, 9, 1)}, "обе границы"),
    ],
)
def test_it_refuses_an_impossible_request_with_a_translated_message(request_, message):
    with translation.override("ru"), pytest.raises(SummaryError, match=message):
        Request.make(region=facts.region(), **request_)


def test_it_gives_n_a_for_an_empty_period_and_no_rate_without_a_population():
    summary = compute(Request.make(region=facts.region(), **SEPTEMBER))
    received = summary.figure("fsm.reports.received")
    assert (received.value, received.base, received.change_percent) == (0, 0, None)
    alga_without_population = next(part for part in received.by_district if part.key == "153600000")
    assert alga_without_population.rate is None
    assert next(part for part in received.by_district if part.key == ALGA).rate == 0
