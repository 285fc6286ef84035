"""The demo's crime statistics give the board documents' figures, computed from the records as the
summary computes them: for nine months of 2025 (as of 16 October 2025) registered crimes -3.8 %,
particularly grave -61 %, medium gravity -8.6 %, minor -1.6 %; for the year 2025 (as of 27 December
2025) -7 %."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management.base import BaseCommand

from reporting.figures import Request, compute
from reporting.sentences import narrative
from reporting.tests import facts
from supervision.crime_demo import build_demo_crime, refresh_demo_crime
from supervision.models import CRIME_CATEGORIES, CrimeRecord, Gravity

pytestmark = pytest.mark.django_db


def counted(start: date, end: date, as_of_moment, **filters) -> int:
    """The records a figure counts, read straight from the table: registered in the period,
    imported by the moment, not replaced by then."""
    return (
        CrimeRecord.objects.filter(registered_on__gte=start, registered_on__lte=end, recorded_at__lte=as_of_moment)
        .filter(replaced_at__isnull=True)
        .filter(**filters)
        .count()
    )


def test_the_demo_gives_the_reference_documents_crime_figures():
    region = facts.region()
    with facts.clock(facts.local(2026, 1, 5, 12)):
        written = build_demo_crime(region=region, scale=1)
    assert written > 2 * 15_000  # a real region's size, at the smallest scale
    nine_months = compute(
        Request.make(region=region, start=date(2025, 1, 1), end=date(2025, 9, 30), as_of=date(2025, 10, 16))
    )
    expected = {
        "crime.registered": Decimal("-3.8"),
        "crime.registered.particularly_grave": Decimal("-61.0"),
        "crime.registered.medium": Decimal("-8.6"),
        "crime.registered.minor": Decimal("-1.6"),
    }
    for code, change in expected.items():
        assert nine_months.figure(code).change_percent == change, code
    # The figure is the records': the crimes of the four categories, imported by 16 October 2025.
    moment = facts.local(2025, 10, 16, 23, 59)
    assert nine_months.figure("crime.registered").value == counted(
        date(2025, 1, 1), date(2025, 9, 30), moment, gravity__in=CRIME_CATEGORIES
    )
    assert nine_months.figure("crime.registered.particularly_grave").base == counted(
        date(2024, 1, 1), date(2024, 9, 30), facts.local(2024, 10, 16, 23, 59), gravity=Gravity.PARTICULARLY_GRAVE
    )
    year = compute(
        Request.make(region=region, start=date(2025, 1, 1), end=date(2025, 12, 31), as_of=date(2025, 12, 27))
    )
    assert year.figure("crime.registered").change_percent == Decimal("-7.0")
    russian = " ".join(" ".join(paragraph.sentences) for paragraph in narrative(nine_months.figures, "ru"))
    assert (
        "Число зарегистрированных преступлений снизилось на 3,8\u00a0%, в том числе особо тяжких — снижение на 61"
        in russian
    )
    english = " ".join(" ".join(paragraph.sentences) for paragraph in narrative(nine_months.figures, "en"))
    assert "Registered crimes fell by 3.8" in english and "particularly grave crimes fell by 61" in english


def test_the_demo_refreshed_adds_the_days_since_and_nothing_twice():
    region = facts.region()
    with facts.clock(facts.local(2026, 1, 5, 12)):
        build_demo_crime(region=region, scale=1)
    before = CrimeRecord.objects.count()
    command = BaseCommand(stdout=StringIO())
    with facts.clock(facts.local(2026, 1, 5, 18)):
        refresh_demo_crime(command)
    assert CrimeRecord.objects.count() == before
    with facts.clock(facts.local(2026, 1, 8, 12)):
        refresh_demo_crime(command)
    added = CrimeRecord.objects.filter(registered_on__gte=date(2026, 1, 4))
    assert added.exists() and set(added.values_list("registered_on", flat=True)) <= {
        date(2026, 1, 4),
        date(2026, 1, 5),
        date(2026, 1, 6),
        date(2026, 1, 7),
    }
    assert (
        CrimeRecord.objects.filter(registered_on=date(2026, 1, 4)).count()
        == added.filter(registered_on=date(2026, 1, 4)).count()
    )
