"""The board's dashboard: each office's executions over a period, as the board's metrics count them,
within the reader's remit."""

from datetime import date

import pytest
from django.urls import reverse

from board.services.directives import execution_accept, execution_report

from .board_factories import a_directive, a_meeting, noon

URL = reverse("board:dashboard")
YEAR = {"from": "2025-01-01", "to": "2025-12-31"}


@pytest.fixture
def executions(persona):
    """Alga executed on time and Temir overdue (1 December 2025 passed) of one directive; a second
    directive to Alga, issued in 2024 and still open (overdue since 1 February 2025)."""
    keeper = persona("regional_prosecutor")
    directive = a_directive(keeper, a_meeting(keeper), "akt-prok-alga", "akt-prok-temir", deadline=date(2025, 12, 1))
    alga = directive.addressees.get(organisation__code="akt-prok-alga")
    execution_report(
        actor=persona("alga_prosecutor"), addressee=alga, text="Done", final=True, now=noon(date(2025, 11, 20))
    )
    execution_accept(actor=keeper, addressee=alga, now=noon(date(2025, 11, 25)))
    earlier = a_meeting(keeper, held_on=date(2024, 12, 20), period_end=date(2024, 12, 31))
    a_directive(keeper, earlier, "akt-prok-alga", deadline=date(2025, 2, 1))
    return directive


def rows_of(page) -> dict[str, list[str]]:
    """The table's rows: the office's name -> its cells' texts."""
    import re

    html = page.content.decode()
    table = html[html.index('id="board-dashboard"') :]
    found = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[1:]:
        cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        found[cells[0]] = cells[1:]
    return found


def test_the_region_sees_every_office_and_its_total(login, executions):
    page = login("board_secretary").get(URL, YEAR, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    rows = rows_of(page)
    names = list(rows)
    alga = next(name for name in names if "Alga" in name)
    temir = next(name for name in names if "Temir" in name)
    # Columns: assigned, on time, late, on time %, open, overdue, carried. Open and overdue are stocks:
    # Alga's directive of 2024 is among them, though issued before the period.
    assert rows[alga] == ["1", "1", "0", "100", "1", "1", "0"]
    assert rows[temir] == ["1", "0", "0", "—", "1", "1", "0"]
    assert names[-1] == "Region, total"
    assert rows["Region, total"] == ["2", "1", "0", "100", "2", "2", "0"]


def test_a_month_before_anything_was_due_shows_the_open_one_only(login, executions):
    rows = rows_of(login("board_secretary").get(URL, {"from": "2025-01-01", "to": "2025-01-31"}))
    # At the end of January 2025 nothing was overdue yet, and only Alga had a directive open.
    assert len(rows) == 2
    (alga, cells), total = rows.items()
    assert "Алға" in alga  # in Kazakh, the default language
    assert cells == ["0", "0", "0", "—", "1", "0", "0"]


def test_an_office_sees_its_own_row_only(login, executions):
    rows = rows_of(login("alga_prosecutor").get(URL, YEAR, HTTP_ACCEPT_LANGUAGE="en"))
    assert len(rows) == 1
    ((name, cells),) = rows.items()
    assert "Alga" in name and cells == ["1", "1", "0", "100", "1", "1", "0"]


def test_the_year_before_counts_the_directive_issued_then(login, executions):
    rows = rows_of(login("analyst").get(URL, {"from": "2024-01-01", "to": "2024-12-31"}, HTTP_ACCEPT_LANGUAGE="en"))
    # Issued on 20 December 2024 and overdue since 1 February 2025: still open at the end of 2024.
    assert rows["Region, total"] == ["1", "0", "0", "—", "1", "0", "0"]


@pytest.mark.parametrize("username, status", [("citizen", 403), ("bank_partner", 403), ("alga_officer", 200)])
def test_who_may_read_it(login, executions, username, status):
    page = login(username).get(URL, YEAR)
    assert page.status_code == status
    if status == 200:
        assert 'id="board-dashboard"' not in page.content.decode()  # nothing addressed to the police


def test_a_wrong_period_says_so_and_shows_the_year_to_date(login, executions):
    page = login("board_secretary").get(URL, {"from": "2025-12-31", "to": "2025-01-01"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 400
    assert "The period ends before it starts" in page.content.decode()
