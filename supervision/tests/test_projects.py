"""Investment projects under supervision: recorded, their status changed, problems solved; the
stock "projects under supervision" as of a date; the pages and who may see and change what."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from reporting.figures import Request, compute
from reporting.tests import facts
from supervision.business_metrics import PROBLEMS, PROJECTS
from supervision.models import InvestmentProject, ProjectEvent
from supervision.services import project_problems, project_status

from .factories import TEMIR, office
from .records import district, new_project

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    """Pages are served in the deployment's language when the browser names none: English here."""
    settings.LANGUAGE_CODE = "en"


Status = InvestmentProject.Status
Kind = ProjectEvent.Kind


def figure(code: str, *, start=date(2025, 1, 1), end=date(2025, 9, 30), as_of=date(2025, 10, 16)):
    summary = compute(Request.make(region=facts.region(), start=start, end=end, as_of=as_of), only=code)
    return summary.figure(code)


# --- services ----------------------------------------------------------------------------------


def test_it_records_a_project_under_supervision_with_its_event(persona):
    prosecutor = persona("alga_prosecutor")
    project = new_project(prosecutor, name="  Элеватор  ")
    project.refresh_from_db()
    assert project.name == "Элеватор"
    assert project.office == office("akt-prok-alga") and project.region == office("akt-prok-alga").region
    assert project.status == Status.SUPERVISED and project.problems_solved == 0
    assert project.created_by == prosecutor
    event = project.events.get()
    assert (event.kind, event.on, event.status, event.actor) == (
        Kind.RECORDED,
        date(2025, 3, 1),
        Status.SUPERVISED,
        prosecutor,
    )


def test_it_refuses_bad_input_field_by_field_and_saves_nothing(persona):
    prosecutor = persona("alga_prosecutor")
    with pytest.raises(ValidationError) as refused:
        new_project(
            prosecutor,
            name=" ",
            kato=TEMIR,
            level="galactic",
            amount=Decimal("-1"),
            on=timezone.localdate() + timedelta(days=2),
        )
    errors = refused.value.message_dict
    assert set(errors) == {"name", "district", "level", "amount", "on"}
    assert "Choose a district your office serves." in errors["district"]
    assert "An amount cannot be negative." in errors["amount"]
    assert "The date cannot be in the future." in errors["on"]
    assert not InvestmentProject.objects.exists() and not ProjectEvent.objects.exists()


def test_it_lets_only_a_prosecutor_of_the_office_record(persona):
    with pytest.raises(PermissionDenied):
        new_project(persona("analyst"))
    with pytest.raises(PermissionDenied):
        new_project(persona("alga_prosecutor"), office=office("akt-prok-temir"), kato=TEMIR)
    with pytest.raises(PermissionDenied):
        new_project(persona("alga_officer"))
    # The regional office serves every district of the region.
    regional = new_project(persona("department_prosecutor"), kato=TEMIR)
    assert regional.office == office("akt-prok-region")


def test_it_changes_the_status_on_a_date_not_before_the_latest_change(persona):
    prosecutor = persona("alga_prosecutor")
    project = new_project(prosecutor)
    with pytest.raises(ValidationError) as refused:
        project_status(actor=prosecutor, project=project, status=Status.COMMISSIONED, on=date(2025, 2, 28))
    assert "before the project's latest change (01.03.2025)" in refused.value.message_dict["on"][0]
    with pytest.raises(ValidationError) as refused:
        project_status(actor=prosecutor, project=project, status=Status.SUPERVISED, on=date(2025, 4, 1))
    assert refused.value.message_dict == {"status": ["The project already has this status."]}
    event = project_status(actor=prosecutor, project=project, status=Status.COMMISSIONED, on=date(2025, 6, 1))
    project.refresh_from_db()
    assert project.status == Status.COMMISSIONED
    assert (event.kind, event.status, event.on) == (Kind.STATUS, Status.COMMISSIONED, date(2025, 6, 1))
    with pytest.raises(PermissionDenied):
        project_status(actor=persona("temir_prosecutor"), project=project, status=Status.REMOVED, on=date(2025, 7, 1))
    with pytest.raises(PermissionDenied):
        project_status(
            actor=persona("regional_prosecutor"), project=project, status=Status.REMOVED, on=date(2025, 7, 1)
        )


def test_it_adds_problems_solved_while_under_supervision(persona):
    prosecutor = persona("alga_prosecutor")
    project = new_project(prosecutor)
    project_problems(actor=prosecutor, project=project, count=3, on=date(2025, 4, 2), note="land allotted")
    project_problems(actor=prosecutor, project=project, count=2, on=date(2025, 3, 15))
    project.refresh_from_db()
    assert project.problems_solved == 5
    for count, on in ((0, date(2025, 4, 2)), (2, date(2025, 2, 1))):
        with pytest.raises(ValidationError):
            project_problems(actor=prosecutor, project=project, count=count, on=on)
    project_status(actor=prosecutor, project=project, status=Status.REMOVED, on=date(2025, 5, 1))
    with pytest.raises(ValidationError, match="no longer under supervision"):
        project_problems(actor=prosecutor, project=project, count=1, on=date(2025, 5, 2))
    assert ProjectEvent.objects.filter(kind=Kind.PROBLEMS).count() == 2


# --- the stock and the flow ------------------------------------------------------------------------


def test_it_counts_the_projects_under_supervision_as_they_stood_on_the_date(persona):
    prosecutor = persona("alga_prosecutor")
    early = facts.local(2025, 3, 2, 10)
    with facts.clock(facts.local(2025, 11, 20)):
        kept_on = new_project(prosecutor, name="A", now=early)
        commissioned = new_project(prosecutor, name="B", level=InvestmentProject.Level.NATIONAL, now=early)
        later = new_project(prosecutor, name="C", on=date(2025, 11, 1), now=facts.local(2025, 11, 2))
        late_entry = new_project(prosecutor, name="D", on=date(2025, 10, 1), now=facts.local(2025, 10, 20))
        project_status(
            actor=prosecutor,
            project=commissioned,
            status=Status.COMMISSIONED,
            on=date(2025, 11, 10),
            now=facts.local(2025, 11, 10),
        )
        # Removed on 1 October, but entered on 17 October: as of 16 October, still supervised.
        project_status(
            actor=prosecutor,
            project=kept_on,
            status=Status.REMOVED,
            on=date(2025, 10, 1),
            now=facts.local(2025, 10, 17, 9),
        )
        project_problems(actor=prosecutor, project=later, count=4, on=date(2025, 11, 3), now=facts.local(2025, 11, 3))
        project_problems(
            actor=prosecutor, project=late_entry, count=2, on=date(2025, 10, 2), now=facts.local(2025, 10, 20)
        )
    nine_months = figure("business.projects_supervised")
    assert nine_months.value == 2  # A (its removal entered later) and B (commissioned in November)
    assert {part.key: part.value for part in nine_months.by["level"]} == {"regional": 1, "national": 1}
    assert figure("business.projects_supervised", as_of=date(2025, 10, 17)).value == 1  # B (D entered on 20 October)
    assert figure("business.projects_supervised", as_of=date(2025, 10, 20)).value == 2  # B and D
    year = figure("business.projects_supervised", end=date(2025, 12, 31), as_of=date(2025, 12, 31))
    assert year.value == 2  # C and D
    assert figure("business.projects_amount", end=date(2025, 12, 31), as_of=date(2025, 12, 31)).value == Decimal(
        "3000000000.00"
    )
    assert figure("business.problems_solved", end=date(2025, 12, 31), as_of=date(2025, 12, 31)).value == 6
    assert figure("business.problems_solved", end=date(2025, 12, 31), as_of=date(2025, 10, 19)).value == 0


def test_it_describes_the_rows_behind_the_figures_with_links(persona):
    prosecutor = persona("alga_prosecutor")
    project = new_project(prosecutor, name="Теплица")
    project_problems(actor=prosecutor, project=project, count=1, on=date(2025, 3, 5))
    rows = PROJECTS.describe_rows(ProjectEvent.objects.filter(project=project, kind=Kind.RECORDED))
    assert rows[0]["link"] == reverse("supervision:project_detail", args=[project.pk])
    assert rows[0]["name"] == "Теплица" and rows[0]["status"] == "under supervision"
    assert set(rows[0]) - {"link"} <= set(PROJECTS.columns)
    assert PROBLEMS.describe_rows(ProjectEvent.objects.filter(kind=Kind.PROBLEMS))[0]["name"] == "Теплица"


# --- the pages ---------------------------------------------------------------------------------


def test_the_list_shows_the_reader_s_scope_filtered(login, persona):
    alga = new_project(persona("alga_prosecutor"), name="Alga plant")
    temir = new_project(persona("temir_prosecutor"), name="Temir plant", kato=TEMIR)
    project_status(actor=persona("temir_prosecutor"), project=temir, status=Status.COMMISSIONED, on=date(2025, 5, 1))
    url = reverse("supervision:projects")
    page = login("alga_prosecutor").get(url).content.decode()
    assert "Alga plant" in page and "Temir plant" not in page
    analyst = login("analyst")
    page = analyst.get(url).content.decode()
    assert "Alga plant" in page and "Temir plant" in page
    page = analyst.get(url, {"status": Status.COMMISSIONED}).content.decode()
    assert "Alga plant" not in page and "Temir plant" in page
    page = analyst.get(url, {"district": district().pk}).content.decode()
    assert "Alga plant" in page and "Temir plant" not in page
    assert analyst.get(url, {"status": "nonsense", "district": "x"}).status_code == 200
    assert alga.pk != temir.pk


def test_the_list_takes_a_fixed_number_of_queries(login, persona, django_assert_max_num_queries):
    prosecutor = persona("alga_prosecutor")
    for number in range(8):
        new_project(prosecutor, name=f"Project {number}")
    client = login("analyst")
    client.get(reverse("supervision:projects"))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("supervision:projects")).status_code == 200


@pytest.mark.parametrize(
    ("username", "read", "write"),
    [
        ("alga_prosecutor", 200, 302),
        ("temir_prosecutor", 404, 403),
        ("department_prosecutor", 200, 403),
        ("regional_prosecutor", 200, 403),
        ("analyst", 200, 403),
        ("board_secretary", 200, 403),
        ("alga_officer", 403, 403),
        ("citizen", 403, 403),
        ("bank_partner", 403, 403),
        ("administrator", 200, 302),
    ],
)
def test_every_persona_reads_and_changes_only_what_it_may(login, persona, username, read, write):
    project = new_project(persona("alga_prosecutor"))
    client = login(username)
    assert client.get(reverse("supervision:project_detail", args=[project.pk])).status_code == read
    assert client.get(reverse("supervision:projects")).status_code == (403 if read == 403 else 200)
    today = timezone.localdate().isoformat()
    status = client.post(
        reverse("supervision:project_status", args=[project.pk]),
        {"status-status": Status.COMMISSIONED, "status-on": today},
    )
    assert status.status_code == write
    problems = client.post(
        reverse("supervision:project_problems", args=[project.pk]), {"problems-count": "2", "problems-on": today}
    )
    project.refresh_from_db()
    if write == 302:
        assert project.status == Status.COMMISSIONED
        assert problems.status_code == 200  # no longer under supervision: the form says so
    else:
        assert problems.status_code == write
        assert project.status == Status.SUPERVISED and project.problems_solved == 0


def test_only_a_prosecutor_with_an_office_records_a_project(login, persona):
    url = reverse("supervision:project_new")
    assert login("analyst").get(url).status_code == 403
    assert login("alga_officer").get(url).status_code == 403
    client = login("alga_prosecutor")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "Молочная ферма",
            "investor": "ТОО «Демо Сүт»",
            "district": district().pk,
            "level": "regional",
            "amount": "250000000",
            "on": "2025-05-05",
        },
    )
    project = InvestmentProject.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "supervision:project_detail", args=[project.pk]
    )
    assert project.office == office("akt-prok-alga")
    assert client.get(response["Location"]).status_code == 200


def test_bad_input_comes_back_with_its_reason_and_loses_nothing(login, persona):
    project = new_project(persona("alga_prosecutor"))
    project_problems(actor=persona("alga_prosecutor"), project=project, count=1, on=date(2025, 3, 2))
    client = login("alga_prosecutor")
    response = client.post(
        reverse("supervision:project_status", args=[project.pk]),
        {"status-status": Status.REMOVED, "status-on": "2025-01-01", "status-note": "wrong date"},
    )
    assert response.status_code == 200
    assert "The date cannot be before the project&#x27;s latest change (01.03.2025)." in response.content.decode()
    assert 'value="wrong date"' in response.content.decode()
    project.refresh_from_db()
    assert project.status == Status.SUPERVISED and project.events.count() == 2
    response = client.post(
        reverse("supervision:project_new"),
        {"name": "X", "investor": "Y", "district": district(TEMIR).pk, "level": "regional", "amount": "-5", "on": "x"},
    )
    assert response.status_code == 200 and InvestmentProject.objects.count() == 1
    assert "Please correct the marked fields." in response.content.decode()


def test_the_summary_s_figure_page_lists_the_projects_behind_it(login, persona):
    prosecutor = persona("alga_prosecutor")
    with facts.clock(facts.local(2025, 11, 1)):
        project = new_project(prosecutor, name="Элеватор на 50 000 тонн", now=facts.local(2025, 3, 1))
    page = login("analyst").get(
        reverse("reporting:figure", args=["business.projects_supervised"]),
        {"from": "2025-01-01", "to": "2025-09-30", "as_of": "2025-10-16"},
    )
    assert page.status_code == 200
    content = page.content.decode()
    assert "Элеватор на 50 000 тонн" in content
    assert reverse("supervision:project_detail", args=[project.pk]) in content


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("alga_prosecutor", 200),
        ("temir_prosecutor", 200),
        ("department_prosecutor", 200),
        ("regional_prosecutor", 200),
        ("administrator", 200),
        ("analyst", 403),
        ("board_secretary", 403),
        ("alga_officer", 403),
        ("citizen", 403),
        ("bank_partner", 403),
    ],
)
def test_the_new_project_page_is_a_prosecutor_s_of_an_office(login, username, status):
    assert login(username).get(reverse("supervision:project_new")).status_code == status


def test_an_anonymous_visitor_is_sent_to_log_in(client, persona):
    project = new_project(persona("alga_prosecutor"))
    for url in (
        reverse("supervision:projects"),
        reverse("supervision:project_detail", args=[project.pk]),
        reverse("supervision:project_new"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(reverse("supervision:project_status", args=[project.pk]), {"status-status": "removed"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == Status.SUPERVISED
