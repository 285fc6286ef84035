"""The directives' list (/board/directives/) and bulk progress through the real request: an
addressee's staff read their own organisation's executions, overdue first, and answer many at once
in the table or by an XLSX round trip (all the rows or none, each refused row named, an id of
another office refused); the region-wide roles read them all, filtered."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from board.models import DirectiveAddressee, ExecutionReport
from board.progress_files import HEADER
from conftest import PERSONAS, client_for
from lib.metrics import Area

from .board_factories import a_directive, a_meeting

pytestmark = pytest.mark.django_db

Status = DirectiveAddressee.Status
URL = "/board/directives/"


@pytest.fixture(autouse=True)
def _english_and_own_media(settings, tmp_path):
    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def keeper(persona):
    return persona("board_secretary")


@pytest.fixture
def directives(keeper):
    """Three directives to Alga (one long overdue, one to Temir too), one to the Alga police."""
    meeting = a_meeting(keeper)
    return {
        "late": a_directive(keeper, meeting, "akt-prok-alga", deadline=date(2025, 11, 1), text_en="Late one"),
        "shared": a_directive(
            keeper, meeting, "akt-prok-alga", "akt-prok-temir", deadline=date(2030, 1, 10), text_en="Shared one"
        ),
        "drugs": a_directive(
            keeper, meeting, "akt-prok-alga", deadline=date(2030, 2, 1), area=Area.DRUGS, text_en="Drugs one"
        ),
        "police": a_directive(keeper, meeting, "akt-police-alga", deadline=date(2030, 1, 5), text_en="Police one"),
    }


def execution(directive, code="akt-prok-alga"):
    return directive.addressees.get(organisation__code=code)


def rows_shown(html: str, items) -> list[str]:
    """The directives' keys in the order the page lists them."""
    found = {key: html.find(f'id="row-{execution(directive, code).pk}"') for key, directive, code in items}
    return [key for key, at in sorted(found.items(), key=lambda item: item[1]) if at >= 0]


@pytest.mark.parametrize("username", list(PERSONAS))
def test_each_persona_reads_its_executions(persona, directives, username):
    response = client_for(persona(username)).get(URL)
    if username in ("citizen", "bank_partner"):
        assert response.status_code == 403
        return
    assert response.status_code == 200
    html = response.content.decode()
    shown = {name: f"/board/directives/{directive.pk}/" in html for name, directive in directives.items()}
    if username == "alga_prosecutor":
        assert shown == {"late": True, "shared": True, "drugs": True, "police": False}
    elif username == "temir_prosecutor":
        assert shown == {"late": False, "shared": True, "drugs": False, "police": False}
    elif username == "alga_officer":
        assert shown == {"late": False, "shared": False, "drugs": False, "police": True}
    else:
        assert all(shown.values())


def test_the_addressee_sees_the_overdue_first_then_by_deadline(login, directives):
    html = login("alga_prosecutor").get(URL).content.decode()
    items = [(key, directives[key], "akt-prok-alga") for key in ("late", "shared", "drugs")]
    assert rows_shown(html, items) == ["late", "shared", "drugs"]
    assert "overdue" in html


def test_the_region_wide_roles_filter(login, directives):
    client = login("analyst")
    alga_late = execution(directives["late"])
    html = client.get(URL, {"overdue": "1"}).content.decode()
    assert f'id="row-{alga_late.pk}"' in html
    assert f'id="row-{execution(directives["shared"]).pk}"' not in html
    html = client.get(URL, {"area": "drugs"}).content.decode()
    assert f'id="row-{execution(directives["drugs"]).pk}"' in html and f'id="row-{alga_late.pk}"' not in html
    temir = execution(directives["shared"], "akt-prok-temir")
    html = client.get(URL, {"office": temir.organisation_id}).content.decode()
    assert f'id="row-{temir.pk}"' in html and f'id="row-{alga_late.pk}"' not in html
    html = client.get(URL, {"status": "executed"}).content.decode()
    assert "No directive matches" in html


def test_the_list_takes_a_fixed_number_of_queries(login, keeper, directives, django_assert_max_num_queries):
    client = login("alga_prosecutor")
    client.get(URL)
    with django_assert_max_num_queries(14) as baseline:
        client.get(URL)
    meeting = a_meeting(keeper, held_on=date(2025, 11, 20), period_end=date(2025, 10, 31))
    for _ in range(6):
        a_directive(keeper, meeting, "akt-prok-alga", "akt-prok-temir", deadline=date(2030, 3, 1))
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        client.get(URL)


# --- the table ------------------------------------------------------------------------------------


def test_the_addressee_answers_many_at_once_in_the_table(login, directives):
    client = login("alga_prosecutor")
    late, shared, drugs = (execution(directives[key]) for key in ("late", "shared", "drugs"))
    html = client.get(URL).content.decode()
    assert f'name="text-{late.pk}"' in html and f'name="final-{late.pk}"' in html
    response = client.post(
        reverse("board:directives_progress"),
        {
            f"text-{late.pk}": "Done at last",
            f"final-{late.pk}": "on",
            f"text-{shared.pk}": "Half done",
            f"text-{drugs.pk}": "",
        },
    )
    assert response.status_code == 302
    statuses = {row.pk: row.status for row in DirectiveAddressee.objects.filter(pk__in=[late.pk, shared.pk, drugs.pk])}
    assert statuses == {late.pk: Status.REPORTED, shared.pk: Status.IN_PROGRESS, drugs.pk: Status.ISSUED}
    # A reported execution awaits its controller: no text box for it any more.
    html = client.get(URL).content.decode()
    assert f'name="text-{late.pk}"' not in html and f'name="text-{shared.pk}"' in html


def test_a_refused_row_saves_nothing_and_keeps_what_was_typed(login, directives):
    client = login("alga_prosecutor")
    late, shared = execution(directives["late"]), execution(directives["shared"])
    response = client.post(
        reverse("board:directives_progress"),
        {f"text-{late.pk}": "Done at last", f"final-{late.pk}": "on", f"text-{shared.pk}": "x" * 5000},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "at most 4000 characters" in html and "Done at last" in html
    assert not ExecutionReport.objects.exists()


def test_a_row_of_another_office_in_the_table_is_403(login, directives):
    police = execution(directives["police"], "akt-police-alga")
    late = execution(directives["late"])
    response = login("alga_prosecutor").post(
        reverse("board:directives_progress"), {f"text-{late.pk}": "Done", f"text-{police.pk}": "Done for them"}
    )
    assert response.status_code == 403
    assert not ExecutionReport.objects.exists()


@pytest.mark.parametrize("username", ["analyst", "board_secretary", "citizen"])
def test_only_the_addressees_send_the_table(persona, directives, username):
    late = execution(directives["late"])
    response = client_for(persona(username)).post(reverse("board:directives_progress"), {f"text-{late.pk}": "Done"})
    assert response.status_code == 403
    assert not ExecutionReport.objects.exists()


# --- the XLSX round trip ----------------------------------------------------------------------------


def downloaded(client) -> list[list]:
    response = client.get(reverse("board:directives_xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="directives-akt-prok-alga-')
    sheet = load_workbook(BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def filled(rows: list[list], answers: dict[int, tuple[str, str]]) -> BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(rows[0])
    for row in rows[1:]:
        done, executed = answers.get(row[0], (None, None))
        sheet.append([*row[:6], done, executed])
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "filled.xlsx"
    return buffer


def upload(client, buffer):
    return client.post(reverse("board:directives_upload"), {"file": buffer}, follow=True)


def test_the_xlsx_round_trip(login, keeper, directives):
    meeting = directives["late"].meeting
    formula = a_directive(keeper, meeting, "akt-prok-alga", deadline=date(2030, 5, 1), text_en="=HYPERLINK(1)")
    client = login("alga_prosecutor")
    rows = downloaded(client)
    assert tuple(rows[0]) == HEADER
    late, shared, drugs = (execution(directives[key]) for key in ("late", "shared", "drugs"))
    ids = [row[0] for row in rows[1:]]
    assert ids == [late.pk, shared.pk, drugs.pk, execution(formula).pk]
    assert rows[1][2] == directives["late"].number and rows[1][3] == "Late one"
    assert rows[-1][3] == "'=HYPERLINK(1)"  # neutralised: never computed
    response = upload(client, filled(rows, {late.pk: ("All schools visited", "yes"), shared.pk: ("Started", "no")}))
    assert "2 reports saved from the file." in response.content.decode()
    late.refresh_from_db()
    shared.refresh_from_db()
    assert (late.status, shared.status) == (Status.REPORTED, Status.IN_PROGRESS)
    assert late.reports.get().text == "All schools visited"
    # What is answered and awaits the controller leaves the next download.
    assert late.pk not in [row[0] for row in downloaded(client)[1:]]


def test_an_upload_with_a_refused_row_saves_nothing_and_names_it(login, directives):
    client = login("alga_prosecutor")
    rows = downloaded(client)
    late, shared = execution(directives["late"]), execution(directives["shared"])
    answers = {late.pk: ("Done", "yes"), shared.pk: ("x" * 5000, "no")}
    html = upload(client, filled(rows, answers)).content.decode()
    assert "Nothing was saved from the file" in html and "Row 3:" in html
    html = upload(client, filled(rows, {late.pk: ("Done", "maybe")})).content.decode()
    assert "Row 2: write yes or no" in html
    html = upload(client, filled(rows, {late.pk: ("", "yes")})).content.decode()
    assert "Row 2: say what was done" in html
    assert not ExecutionReport.objects.exists()


def test_an_upload_naming_another_offices_execution_saves_nothing(login, directives):
    client = login("alga_prosecutor")
    rows = downloaded(client)
    temir = execution(directives["shared"], "akt-prok-temir")
    rows.append([temir.pk, "", 2, "", None, "", None, None])
    late = execution(directives["late"])
    html = upload(
        client, filled(rows, {late.pk: ("Done", "yes"), temir.pk: ("Done for Temir", "yes")})
    ).content.decode()
    assert f"the directive {temir.pk} is not one your office answers now" in html
    assert not ExecutionReport.objects.exists()


def test_an_upload_that_is_not_the_template_is_refused(login, directives):
    client = login("alga_prosecutor")
    workbook = Workbook()
    workbook.active.append(["number", "answer"])
    workbook.active.append([1, "Done"])
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "other.xlsx"
    html = upload(client, buffer).content.decode()
    assert "header is not the template" in html
    text = BytesIO(b"just text")
    text.name = "notes.txt"
    assert "Nothing was saved" in upload(client, text).content.decode()
    assert not ExecutionReport.objects.exists()


@pytest.mark.parametrize("username", ["analyst", "board_secretary", "citizen", "bank_partner"])
def test_only_the_addressees_download_and_upload(persona, directives, username):
    client = client_for(persona(username))
    assert client.get(reverse("board:directives_xlsx")).status_code == 403
    assert client.post(reverse("board:directives_upload")).status_code == 403
