"""The dashboards that are the home pages of the roles reading the figures (issue 19.5): each role's
figures for its scope, a district prosecutor's beside the region's and never another district's,
the period picker changing them, the overdue answers, submissions and directives, the analyst's
records against the submissions, each role's home page landing on its dashboard, and a number of
statements that does not grow with the records."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import District, Organisation, User
from board.tests.board_factories import a_directive, a_meeting
from reporting.forms import PeriodForm, period_of
from supervision import services as supervision
from supervision.models import Submission

from . import facts

pytestmark = pytest.mark.django_db

YEAR = {"period": "custom", "from": "2025-01-01", "to": "2025-12-31"}
FIRST_HALF = {"period": "custom", "from": "2025-01-01", "to": "2025-06-30"}
DASHBOARD = reverse("reporting:dashboard")
REGION_ROLES = ["regional_prosecutor", "board_secretary", "department_prosecutor", "press_officer"]
# The submitted metrics' figures of one office and month (reporting migration 0006's catalogue).
SUBMITTED = {
    "prosecution.cases_in_court": "10",
    "prosecution.verdicts": "8",
    "prosecution.convicted": "9",
    "prosecution.imprisoned": "4",
    "public_interests.assessed": "1000",
    "public_interests.recovered": "250",
    "budget.reimbursed": "500",
    "budget.to_state_budget": "400",
}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def records(persona):
    """Three reports in Alga (March, April, September 2025), five in Temir (September), one in Alga in
    2024 (the base): none answered, so all overdue by the year's end; a directive to the Alga office
    overdue since 1 December 2025."""
    alga = [facts.submit(facts.local(2025, month, 10)) for month in (3, 4, 9)]
    temir = [facts.submit(facts.local(2025, 9, day), kato=facts.TEMIR) for day in (1, 2, 3, 4, 5)]
    facts.submit(facts.local(2024, 5, 10))
    keeper = persona("board_secretary")
    a_directive(keeper, a_meeting(keeper), "akt-prok-alga", deadline=date(2025, 12, 1))
    return {"alga": alga, "temir": temir}


def alga_office():
    return Organisation.objects.get(code="akt-prok-alga")


def send(persona, month: date, at, values=None):
    # The persona made once: making it again sets its password again, which ends its sessions.
    prosecutor = User.objects.filter(username="alga_prosecutor").first() or persona("alga_prosecutor")
    with facts.clock(at):
        submission, _warnings = supervision.submission_save(
            actor=prosecutor, organisation=alga_office(), month=month, raw=values or SUBMITTED
        )
        return supervision.submission_submit(actor=prosecutor, submission=submission)


@pytest.fixture
def submissions(persona):
    """March 2025 sent on 3 April (in time) and approved; April sent on 20 May (after the 5th: late)
    and returned; May sent on 4 June (in time), still awaiting the analyst."""
    analyst = persona("analyst")
    march = send(persona, date(2025, 3, 1), facts.local(2025, 4, 3))
    with facts.clock(facts.local(2025, 4, 4)):
        supervision.submission_approve(actor=analyst, submission=march)
    april = send(persona, date(2025, 4, 1), facts.local(2025, 5, 20))
    with facts.clock(facts.local(2025, 5, 21)):
        supervision.submission_return(
            actor=analyst, submission=april, comments={"prosecution.verdicts": "Check the verdicts."}
        )
    send(persona, date(2025, 5, 1), facts.local(2025, 6, 4))
    return Submission.objects.all()


def figures_of(response) -> dict:
    """code -> the Line shown, over the dashboard's sections."""
    board = response.context["dashboard"]
    lines = [line for _area, area_lines in board.areas for line in area_lines] + board.overdue + board.submissions
    return {line.figure.code: line for line in lines}


# --- each role's figures --------------------------------------------------------------------------


@pytest.mark.parametrize("username", REGION_ROLES)
def test_it_shows_the_region_its_figures_and_everything_overdue(login, records, username):
    response = login(username).get(DASHBOARD, YEAR)
    assert response.status_code == 200
    board = response.context["dashboard"]
    assert board.kind == "region"
    shown = figures_of(response)
    assert shown["fsm.reports.received"].figure.value == 8
    assert shown["fsm.reports.received"].figure.base == 1
    # Overdue as of the period's end: the year's eight and the one of 2024, never answered.
    assert shown["fsm.reports.overdue"].figure.value == 9
    assert shown["board.executions_overdue"].figure.value == 1
    assert [line.figure.code for line in board.overdue] == [
        "fsm.reports.overdue",
        "submissions.late",
        "board.executions_overdue",
    ]
    html = response.content.decode()
    # Each overdue figure links to its records, for the period as of its day.
    link = reverse("reporting:figure", args=["fsm.reports.overdue"])
    assert f'href="{link}?from=2025-01-01&amp;to=2025-12-31&amp;as_of=2025-12-31"' in html
    assert "FSM Social" in html


def test_a_district_prosecutor_sees_the_district_beside_the_region(login, records):
    response = login("alga_prosecutor").get(DASHBOARD, YEAR)
    assert response.status_code == 200
    board = response.context["dashboard"]
    assert board.kind == "district"
    received = figures_of(response)["fsm.reports.received"]
    assert (received.figure.value, received.figure.base) == (3, 1)
    assert received.region.figure.value == 8
    # 3 of the region's 8: 37.5 %.
    assert received.part_of_region.startswith("37")
    overdue = figures_of(response)["board.executions_overdue"]
    assert (overdue.figure.value, overdue.region.figure.value) == (1, 1)
    # The region's own figure is not linked: its records are outside the district's remit.
    assert received.region.link == ""


def test_a_district_prosecutor_never_sees_another_districts_figures(login, records):
    temir = District.objects.get(kato=facts.TEMIR)
    response = login("alga_prosecutor").get(DASHBOARD, YEAR)
    board = response.context["dashboard"]
    assert temir.pk not in board.request.district_ids
    for figure in board.summary.figures:
        assert all(part.key != facts.TEMIR for part in figure.by_district), figure.code
    assert temir.name not in response.content.decode()
    # Temir's prosecutor sees Temir's five, beside the same region.
    other = figures_of(login("temir_prosecutor").get(DASHBOARD, YEAR))["fsm.reports.received"]
    assert (other.figure.value, other.region.figure.value) == (5, 8)


def test_a_period_change_changes_the_figures(login, records):
    client = login("regional_prosecutor")
    year = figures_of(client.get(DASHBOARD, YEAR))
    half = client.get(DASHBOARD, FIRST_HALF)
    assert half.context["dashboard"].end == date(2025, 6, 30)
    assert year["fsm.reports.received"].figure.value == 8
    assert figures_of(half)["fsm.reports.received"].figure.value == 2
    # Overdue as of 30 June: March's and April's reports and 2024's; the directive was not issued yet.
    assert figures_of(half)["fsm.reports.overdue"].figure.value == 3
    assert figures_of(half)["board.executions_overdue"].figure.value == 0
    # The period chosen stays in the links, so that back and a shared link bring the same figures.
    assert "from=2025-01-01&amp;to=2025-06-30" in half.content.decode()


def test_the_picker_answers_htmx_with_the_figures_alone(login, records):
    response = login("regional_prosecutor").get(DASHBOARD, FIRST_HALF, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="dashboard-period"' in html
    assert "HX-Request" in response["Vary"]
    # A page restored from htmx's history is the whole page.
    restored = login("regional_prosecutor").get(
        DASHBOARD, FIRST_HALF, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in restored.content.decode()


def test_a_wrong_period_is_said_and_the_year_to_date_shown(login):
    response = login("regional_prosecutor").get(
        DASHBOARD, {"period": "custom", "from": "2025-06-30", "to": "2025-01-01"}
    )
    assert response.status_code == 400
    assert "The period ends before it starts." in response.content.decode()
    today = response.context["dashboard"].end
    assert response.context["dashboard"].start == date(today.year, 1, 1)


def test_the_usual_periods_run_to_today():
    today = date(2026, 8, 14)
    assert period_of("month", today) == (date(2026, 8, 1), today)
    assert period_of("quarter", today) == (date(2026, 7, 1), today)
    assert period_of("half", today) == (date(2026, 7, 1), today)
    assert period_of("nine_months", today) == (date(2025, 1, 1), date(2025, 9, 30))
    assert period_of("nine_months", date(2026, 10, 1)) == (date(2026, 1, 1), date(2026, 9, 30))
    assert period_of("year", today) == (date(2026, 1, 1), today)
    form = PeriodForm({"period": "quarter", "from": "2020-01-01", "to": "2020-02-01"}, today=today)
    assert form.chosen() == (date(2026, 7, 1), today)
    assert form.query() == {"period": "quarter"}


# --- the analyst's ----------------------------------------------------------------------------------


def test_the_analyst_sees_the_submissions_received_late_and_returned(login, submissions):
    response = login("analyst").get(DASHBOARD, YEAR)
    assert response.status_code == 200
    board = response.context["dashboard"]
    assert board.kind == "analyst"
    shown = {line.figure.code: line.figure.value for line in board.submissions}
    assert shown == {"submissions.received": 3, "submissions.late": 1, "submissions.returned": 1}
    # The first quarter: none of them (March's figures were sent in April).
    first_quarter = login("analyst").get(DASHBOARD, {"period": "custom", "from": "2025-01-01", "to": "2025-03-31"})
    assert {line.figure.value for line in first_quarter.context["dashboard"].submissions} == {0}


def test_the_analyst_sees_the_records_against_the_submissions_with_differences_marked(login, submissions):
    response = login("analyst").get(DASHBOARD, YEAR)
    rows = {row.both.code: row for row in response.context["dashboard"].comparisons}
    # The approved March only: 10 cases submitted, none in Tartip's records.
    cases = rows["prosecution.cases_in_court"]
    assert (cases.both.computed, cases.both.submitted, cases.both.difference) == (0, 10, 10)
    assert cases.differs
    html = response.content.decode()
    assert 'data-code="prosecution.cases_in_court" class="row--differs"' in html
    # Nothing submitted for the first quarter: said, not a difference.
    quarter = login("analyst").get(DASHBOARD, {"period": "custom", "from": "2025-01-01", "to": "2025-02-28"})
    rows = {row.both.code: row for row in quarter.context["dashboard"].comparisons}
    assert rows["prosecution.cases_in_court"].both.submitted is None
    assert not rows["prosecution.cases_in_court"].differs
    assert "not submitted" in quarter.content.decode()


def test_a_submission_sent_late_counts_in_its_office_district(login, submissions):
    response = login("alga_prosecutor").get(DASHBOARD, YEAR)
    late = figures_of(response)["submissions.late"]
    assert (late.figure.value, late.region.figure.value) == (1, 1)
    assert figures_of(login("temir_prosecutor").get(DASHBOARD, YEAR))["submissions.late"].figure.value == 0


# --- the home pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "kind"),
    [*((name, "region") for name in REGION_ROLES), ("alga_prosecutor", "district"), ("analyst", "analyst")],
)
def test_the_home_page_of_each_role_is_its_dashboard(login, username, kind):
    response = login(username).get("/")
    assert response.status_code == 200
    assert response.context["dashboard"].kind == kind
    assert "reporting/dashboard.html" in [template.name for template in response.templates]
    # The picker stays on the home page's address.
    assert 'action="/"' in response.content.decode()
    chosen = login(username).get("/", FIRST_HALF)
    assert chosen.context["dashboard"].end == date(2025, 6, 30)


@pytest.mark.parametrize("username", ["citizen", "alga_officer", "bank_partner", "administrator"])
def test_the_roles_without_a_dashboard_keep_their_home_page(login, username):
    response = login(username).get("/")
    assert response.status_code == 200
    assert "dashboard" not in response.context
    assert login(username).get(DASHBOARD).status_code == 403


# --- statements ---------------------------------------------------------------------------------------


def statements(client, query) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(DASHBOARD, query).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("username", ["regional_prosecutor", "alga_prosecutor", "analyst"])
def test_a_dashboard_does_a_bounded_number_of_statements(
    login, records, submissions, persona, username, django_assert_max_num_queries
):
    client = login(username)
    client.get(DASHBOARD, YEAR)  # the counts kept by day built once
    before = statements(client, YEAR)
    for day in range(1, 21):
        facts.submit(facts.local(2025, 10, day), kato=facts.ALGA if day % 2 else facts.TEMIR)
    send(persona, date(2025, 6, 1), facts.local(2025, 7, 3))
    client.get(DASHBOARD, YEAR)
    assert statements(client, YEAR) == before
    with django_assert_max_num_queries(MAX_STATEMENTS[username]):
        client.get(DASHBOARD, YEAR)


# One summary (a district's: two, its own and the region's), each a statement per metric group and
# window and one per dimension's labels, the catalogue's rows, the session and the user; the
# analyst's both sources besides. Measured (SQLite, 2026-12-07): 85, 166 and 99.
MAX_STATEMENTS = {"regional_prosecutor": 100, "alga_prosecutor": 185, "analyst": 115}
