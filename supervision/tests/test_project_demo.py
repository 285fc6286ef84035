"""The demo's investment projects and social facilities give the 9-month document's figures
(1 January - 30 September 2025, as of 16 October 2025): 110 investment projects under supervision,
12 social facilities in Mugalzhar, Kobda, Baiganin, Irgiz, Alga and Shalkar, 4 completed (in
Mugalzhar, Baiganin, Irgiz and Alga); and a refresh on a later day adds the days since, nothing
twice."""

from datetime import date
from io import StringIO

import pytest
from django.core.management.base import BaseCommand

from accounts.demo import create_demo_users
from accounts.models import Organisation, User
from reporting.figures import Request, compute
from reporting.sentences import narrative
from reporting.tests import facts
from supervision.models import FacilityEvent, InvestmentProject, ProjectEvent, SocialFacility
from supervision.project_demo import ALGA, BAIGANIN, IRGIZ, KOBDA, MUGALZHAR, SHALKAR, build_demo_projects

from .factories import office, record

pytestmark = pytest.mark.django_db

SIX = {MUGALZHAR, KOBDA, BAIGANIN, IRGIZ, ALGA, SHALKAR}
COMPLETED_IN = {MUGALZHAR, BAIGANIN, IRGIZ, ALGA}


def demo_acts() -> None:
    """The acts demo's part here: an act of response of the Alga and Mugalzhar offices and of the
    regional office, which the facilities name as their source."""
    for code, body in (
        ("akt-prok-alga", "akt-police-alga"),
        ("akt-prok-mugalzhar", "akt-police-mugalzhar"),
        ("akt-prok-region", "akt-police-city"),
    ):
        author = User.objects.filter(organisation__code=code, is_superuser=False).order_by("pk").first()
        record(author, addressee=office(body))


def built(today: date | None = None) -> int:
    create_demo_users(BaseCommand(stdout=StringIO(), stderr=StringIO()))
    demo_acts()
    return build_demo_projects(region=facts.region(), today=today)


def districts_of(figure) -> dict[str, int]:
    return {part.key: part.value for part in figure.by_district if part.value}


def test_the_demo_gives_the_nine_month_document_s_projects_and_facilities():
    assert built() > 200
    summary = compute(
        Request.make(region=facts.region(), start=date(2025, 1, 1), end=date(2025, 9, 30), as_of=date(2025, 10, 16))
    )
    projects = summary.figure("business.projects_supervised")
    assert projects.value == 110
    assert {part.key for part in projects.by["level"] if part.value} == {"regional", "national"}
    facilities = summary.figure("returned_assets.facilities")
    completed = summary.figure("returned_assets.facilities_completed")
    assert (facilities.value, completed.value) == (12, 4)
    assert set(districts_of(facilities)) == SIX and set(districts_of(facilities).values()) == {2}
    assert districts_of(completed) == dict.fromkeys(COMPLETED_IN, 1)
    assert summary.figure("returned_assets.facilities_amount").value > 0
    assert summary.figure("business.problems_solved").value > 0
    # The figures are the records': read straight from the tables as of that day.
    assert (
        SocialFacility.objects.filter(completed_on__lte=date(2025, 10, 16), district__kato__in=COMPLETED_IN).count()
        == 4
    )
    # The base: the same day of 2024 (fewer projects, three facilities, none completed).
    assert 0 < projects.base < 110 and (facilities.base, completed.base) == (3, 0)
    russian = " ".join(" ".join(paragraph.sentences) for paragraph in narrative(summary.figures, "ru"))
    assert "находится 110 проектов инвестиционной сферы" in russian
    assert "возводится 12 объектов социального назначения, из них завершено — 4." in russian
    english = " ".join(" ".join(paragraph.sentences) for paragraph in narrative(summary.figures, "en"))
    assert "110 investment projects" in english and "12 social facilities in the region, 4 of them completed" in english
    # After the document: the rest of the twelve completed by the end of 2025 or in 2026, new ones recorded.
    year = compute(
        Request.make(region=facts.region(), start=date(2025, 1, 1), end=date(2025, 12, 31), as_of=date(2025, 12, 27))
    )
    assert year.figure("returned_assets.facilities_completed").value == 10
    assert SocialFacility.objects.filter(district__kato__in=SIX).count() == 12
    assert SocialFacility.objects.exclude(district__kato__in=SIX).exists()  # the live months'


def test_the_demo_is_written_by_the_offices_prosecutors_through_the_services():
    built()
    alga = SocialFacility.objects.filter(district__kato=ALGA)
    assert set(alga.values_list("office__code", flat=True)) == {"akt-prok-alga"}
    assert set(SocialFacility.objects.filter(district__kato=KOBDA).values_list("office__code", flat=True)) == {
        "akt-prok-region"
    }
    assert not SocialFacility.objects.filter(source_act__isnull=True).exists()
    # Each change entered at noon of the day it is dated.
    for event in FacilityEvent.objects.all()[:20]:
        assert facts.local(event.on.year, event.on.month, event.on.day, 12) == event.at
    assert not ProjectEvent.objects.filter(actor__isnull=True).exists()
    assert Organisation.objects.get(code="akt-prok-region").supervised_projects.exists()


def test_the_demo_refreshed_adds_the_days_since_and_nothing_twice():
    first = built(today=date(2025, 10, 16))
    assert first > 0
    assert InvestmentProject.objects.filter(status=InvestmentProject.Status.SUPERVISED).count() == 110
    assert SocialFacility.objects.filter(status=SocialFacility.Status.COMPLETED).count() == 4
    again = build_demo_projects(region=facts.region(), today=date(2025, 10, 16))
    assert again == 0
    later = build_demo_projects(region=facts.region(), today=date(2026, 1, 10))
    assert later > 0
    assert SocialFacility.objects.filter(status=SocialFacility.Status.COMPLETED).count() == 10
    assert build_demo_projects(region=facts.region(), today=date(2026, 1, 10)) == 0
