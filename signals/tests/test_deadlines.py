"""Deadlines: business days on Kazakhstan's working calendar (holidays, moved days off, the
working Saturday 4 May 2024, the admin's overrides) and hours for urgent categories."""

import csv
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from accounts.models import CalendarOverride
from signals.deadlines import compute_deadline
from signals.models import Category

pytestmark = pytest.mark.django_db

CALENDAR_CSV = Path(__file__).resolve().parents[2] / "lib" / "tests" / "data" / "kz-calendar-2024-2026.csv"
# compute_deadline without a region's zone takes settings.TIME_ZONE (fixed UTC+5).
LOCAL = ZoneInfo(settings.TIME_ZONE)


def days(n: int) -> Category:
    return Category(code="t", deadline_days=n)


def local(year, month, day, hour=10, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LOCAL)


def end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=LOCAL)


def due(n: int, submitted: datetime) -> datetime:
    return compute_deadline(days(n), submitted)


def test_it_ends_at_the_end_of_the_nth_working_day_in_local_time():
    # Monday 13 January 2025, 10:00: one working day -> Tuesday 14 January, 23:59:59 in Almaty.
    deadline = due(1, local(2025, 1, 13))
    assert deadline == end_of(date(2025, 1, 14))
    assert deadline.astimezone(LOCAL).time() == time(23, 59, 59)


def test_it_counts_from_the_local_day_whatever_the_hour():
    late_friday = local(2025, 1, 17, 23, 50)
    assert due(1, late_friday) == end_of(date(2025, 1, 20))
    # 20:00 UTC on Friday is already Saturday in Almaty: the next working day is Monday.
    utc_friday_evening = datetime(2025, 1, 17, 20, 0, tzinfo=ZoneInfo("UTC"))
    assert due(1, utc_friday_evening) == end_of(date(2025, 1, 20))
    assert due(2, utc_friday_evening) == end_of(date(2025, 1, 21))


def test_it_skips_nauryz_and_the_day_off_moved_from_saturday_in_2024():
    # 21-23 March 2024 are Nauryz, 23 March is a Saturday, so Monday 25 March is off too.
    assert due(1, local(2024, 3, 20)) == end_of(date(2024, 3, 26))


def test_it_works_on_saturday_4_may_2024_and_rests_on_8_may():
    assert due(1, local(2024, 5, 2)) == end_of(date(2024, 5, 3))
    assert due(2, local(2024, 5, 2)) == end_of(date(2024, 5, 4))  # the working Saturday
    assert due(3, local(2024, 5, 2)) == end_of(date(2024, 5, 6))
    # 7 May holiday, 8 May the day moved from 4 May, 9 May Victory Day.
    assert due(4, local(2024, 5, 2)) == end_of(date(2024, 5, 10))


def test_it_applies_the_admins_overrides():
    friday = local(2025, 1, 10)
    assert due(1, friday) == end_of(date(2025, 1, 13))
    CalendarOverride.objects.create(date=date(2025, 1, 13), kind=CalendarOverride.Kind.DAY_OFF, reason="test")
    assert due(1, friday) == end_of(date(2025, 1, 14))
    CalendarOverride.objects.create(date=date(2025, 1, 11), kind=CalendarOverride.Kind.WORKING_DAY, reason="test")
    assert due(1, friday) == end_of(date(2025, 1, 11))


def test_it_counts_hours_for_urgent_categories_whatever_the_calendar():
    urgent = Category(code="u", deadline_hours=24)
    new_year_eve = local(2024, 12, 31, 18, 30)
    assert compute_deadline(urgent, new_year_eve) == new_year_eve + timedelta(hours=24)


def test_it_uses_the_reference_deadlines_of_the_categories():
    child = Category.objects.get(code="child-at-risk")
    submitted = local(2025, 6, 2)
    assert compute_deadline(child, submitted) == submitted + timedelta(hours=24)
    public_order = Category.objects.get(code="public-order")
    assert public_order.deadline_days == 10
    # Monday 2 June 2025 + 10 working days, Friday 6 June (Kurban Ait) off = Tuesday 17 June.
    assert compute_deadline(public_order, submitted) == end_of(date(2025, 6, 17))


def _csv_days() -> dict[date, str]:
    with CALENDAR_CSV.open(encoding="utf-8") as handle:
        return {date.fromisoformat(row["date"]): row["kind"] for row in csv.DictReader(handle)}


def _csv_working(day: date, listed: dict) -> bool:
    if day in listed:
        return listed[day] == "transferred_working_day"
    return day.weekday() < 5


def _csv_add(start: date, n: int, listed: dict) -> date:
    day = start
    while n:
        day += timedelta(days=1)
        if _csv_working(day, listed):
            n -= 1
    return day


@pytest.mark.parametrize("n", [1, 3, 10])
def test_it_agrees_with_the_independent_calendar_around_every_listed_day(n):
    listed = _csv_days()
    disagreements = []
    for listed_day in sorted(listed):
        for submitted_day in (listed_day - timedelta(days=1), listed_day):
            expected = end_of(_csv_add(submitted_day, n, listed))
            got = due(n, datetime.combine(submitted_day, time(15, 0), tzinfo=LOCAL))
            if got != expected:
                disagreements.append((submitted_day, n, got, expected))
    assert disagreements == []
