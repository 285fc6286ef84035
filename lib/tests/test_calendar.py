"""The working calendar against an independent list of Kazakhstan's non-working days 2024-2026."""

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest

from lib.calendar import WorkingCalendar, add_working_days, is_working_day, next_working_day, working_days_between

REPO = Path(__file__).resolve().parents[2]
CALENDAR_NAME = "kz-calendar-2024-2026.csv"
COPY = Path(__file__).resolve().parent / "data" / CALENDAR_NAME
SHARED = REPO.parent / "shared" / "reference" / CALENDAR_NAME
YEARS = (2024, 2025, 2026)
WORKING_KINDS = {"transferred_working_day"}
DAY_OFF_KINDS = {"holiday", "moved_day_off"}


def calendar_csv() -> Path:
    """The committed copy, so the test runs in a clone without shared/; the shared file otherwise."""
    return COPY if COPY.exists() else SHARED


def listed_days() -> dict[date, str]:
    with calendar_csv().open(encoding="utf-8") as handle:
        return {date.fromisoformat(row["date"]): row["kind"] for row in csv.DictReader(handle)}


def every_day(year: int):
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)


def test_it_reads_the_same_list_as_the_shared_reference_when_present():
    if not SHARED.exists():
        pytest.skip("shared/reference is not beside this clone")
    assert COPY.read_bytes() == SHARED.read_bytes()


def test_it_agrees_with_every_listed_day():
    days = listed_days()
    assert set(days.values()) <= WORKING_KINDS | DAY_OFF_KINDS
    disagreements = [(day, kind) for day, kind in days.items() if is_working_day(day) != (kind in WORKING_KINDS)]
    assert disagreements == []


@pytest.mark.parametrize("year", YEARS)
def test_it_counts_every_unlisted_weekday_as_working_and_every_unlisted_weekend_day_as_off(year):
    days = listed_days()
    disagreements = [day for day in every_day(year) if day not in days and is_working_day(day) != (day.weekday() < 5)]
    assert disagreements == []


def test_it_works_on_saturday_4_may_2024_and_rests_on_wednesday_8_may():
    assert is_working_day(date(2024, 5, 4))
    assert not is_working_day(date(2024, 5, 8))


def test_it_moves_a_holiday_that_falls_on_a_weekend_to_the_next_working_day():
    assert not is_working_day(date(2025, 3, 10))  # 8 March 2025 was a Saturday
    assert not is_working_day(date(2024, 7, 8))  # Capital Day, Saturday 6 July 2024
    assert not is_working_day(date(2025, 1, 3)) and is_working_day(date(2025, 1, 5))


def test_it_no_longer_rests_on_30_august_from_2026():
    assert not is_working_day(date(2025, 9, 1))  # 30 August 2025 (Saturday) moved to Monday
    assert is_working_day(date(2026, 8, 31))  # 30 August 2026 (Sunday) is no holiday: nothing moved


def test_it_counts_a_deadline_in_working_days_over_a_holiday():
    # Received Tuesday 30 April 2024: 1 and 7-9 May are off, Saturday 4 May is a working day.
    assert add_working_days(date(2024, 4, 30), 1) == date(2024, 5, 2)
    assert add_working_days(date(2024, 4, 30), 3) == date(2024, 5, 4)
    assert add_working_days(date(2024, 4, 30), 5) == date(2024, 5, 10)


def test_it_counts_backwards_and_returns_the_start_for_zero():
    assert add_working_days(date(2024, 5, 10), -1) == date(2024, 5, 6)
    assert add_working_days(date(2024, 5, 8), 0) == date(2024, 5, 8)
    assert next_working_day(date(2024, 5, 8)) == date(2024, 5, 10)


def test_it_counts_working_days_between_two_dates():
    assert working_days_between(date(2024, 4, 30), date(2024, 5, 10)) == 5
    assert working_days_between(date(2024, 5, 10), date(2024, 4, 30)) == -5
    assert working_days_between(date(2024, 5, 6), date(2024, 5, 6)) == 0
    start = date(2025, 12, 1)
    for n in range(0, 40, 7):
        assert working_days_between(start, add_working_days(start, n)) == n


def test_it_applies_overrides_before_the_package():
    new_order_day_off = date(2027, 11, 15)  # a Monday the package knows nothing special about
    saturday_made_working = date(2027, 11, 20)
    overrides = {new_order_day_off: False, saturday_made_working: True}
    assert is_working_day(new_order_day_off) and not is_working_day(saturday_made_working)
    assert not is_working_day(new_order_day_off, overrides)
    assert is_working_day(saturday_made_working, overrides)
    calendar = WorkingCalendar(overrides)
    assert calendar.add_working_days(date(2027, 11, 12), 1) == date(2027, 11, 16)
    assert calendar.working_days_between(date(2027, 11, 13), date(2027, 11, 21)) == 5
