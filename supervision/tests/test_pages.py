"""The pages of the acts of response, for every persona: who sees what (403 for roles without
acts, 404 for an act out of scope), and the POST endpoints that record, number and decide."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import PERSONAS, client_for
from supervision.models import OutgoingCounter, SupervisoryAct
from supervision.services import act_letter

from .factories import TEMIR, new_report, office, record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    """Pages are served in the deployment's language when the browser names none: English here."""
    settings.LANGUAGE_CODE = "en"


REGION_WIDE = ["department_prosecutor", "analyst", "regional_prosecutor", "board_secretary", "administrator"]
NO_ACTS = ["citizen", "alga_officer", "bank_partner"]
# Who may see the Alga office's act, and what everybody else gets.
ALGA_ACT_STATUS = {
    "alga_prosecutor": 200,
    "temir_prosecutor": 404,
    **dict.fromkeys(REGION_WIDE, 200),
    **dict.fromkeys(NO_ACTS, 403),
}
# Who may number the Alga office's letter, decide its outcome, correct it: the office (and a superuser).
ALGA_ACT_MANAGE = {
    **ALGA_ACT_STATUS,
    "alga_prosecutor": 302,
    "administrator": 302,
    **dict.fromkeys(["department_prosecutor", "analyst", "regional_prosecutor", "board_secretary"], 403),
}
ALL = list(PERSONAS)


@pytest.fixture
def acts(persona):
    alga, temir = persona("alga_prosecutor"), persona("temir_prosecutor")
    alga_report, temir_report = new_report(), new_report(TEMIR)
    return {
        "alga": record(alga, reports=[alga_report]),
        "temir": record(temir, reports=[temir_report], addressee=office("akt-police-temir")),
        "alga_report": alga_report,
        "temir_report": temir_report,
    }


def client(persona, username):
    return client_for(persona(username))


def test_it_sends_anonymous_visitors_to_the_login(client):
    for url in ("/supervision/acts/", "/supervision/acts/new/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- the list ----------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ALL)
def test_it_lists_the_acts_each_persona_may_see(persona, acts, username):
    response = client(persona, username).get("/supervision/acts/")
    if username in NO_ACTS:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    html = response.content.decode()
    sees_alga = f'href="/supervision/acts/{acts["alga"].pk}/"' in html
    sees_temir = f'href="/supervision/acts/{acts["temir"].pk}/"' in html
    assert (sees_alga, sees_temir) == (username != "temir_prosecutor", username != "alga_prosecutor")


def test_it_shows_a_district_the_regional_acts_on_its_reports_only(persona, acts):
    regional = persona("regional_prosecutor")
    on_alga = record(regional, reports=[new_report()])
    on_temir = record(regional, reports=[new_report(TEMIR)], addressee=office("akt-police-temir"))
    visible = set(SupervisoryAct.objects.for_user(persona("alga_prosecutor")).values_list("pk", flat=True))
    assert visible == {acts["alga"].pk, on_alga.pk}
    assert on_temir.pk not in visible


def test_it_filters_the_list_by_type_outcome_and_office(persona, acts):
    analyst = client(persona, "analyst")
    warning = record(persona("alga_prosecutor"), type="warning")
    alga, temir = office("akt-prok-alga"), office("akt-prok-temir")

    def listed(query):
        html = analyst.get(f"/supervision/acts/?{query}").content.decode()
        return {act.pk for act in SupervisoryAct.objects.all() if f'href="/supervision/acts/{act.pk}/"' in html}

    assert listed("type=warning") == {warning.pk}
    assert listed(f"office={temir.pk}") == {acts["temir"].pk}
    assert listed(f"office={alga.pk}&type=submission") == {acts["alga"].pk}
    assert listed("outcome=satisfied") == set()
    assert listed("outcome=pending&type=nonsense") == {warning.pk, acts["alga"].pk, acts["temir"].pk}
    partial = analyst.get("/supervision/acts/?type=warning", headers={"HX-Request": "true"})
    assert partial.status_code == 200 and b"<html" not in partial.content


def test_it_lists_in_a_constant_number_of_queries(persona):
    prosecutor = persona("alga_prosecutor")
    viewer = client(persona, "analyst")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert viewer.get("/supervision/acts/").status_code == 200
        return len(queries)

    record(prosecutor, reports=[new_report()])
    few = count()
    for _ in range(6):
        act_letter(act=record(prosecutor, reports=[new_report()]), actor=prosecutor)
    assert count() == few


# --- the detail --------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ALL)
def test_it_shows_the_act_to_those_in_scope(persona, acts, username):
    response = client(persona, username).get(f"/supervision/acts/{acts['alga'].pk}/")
    assert response.status_code == ALGA_ACT_STATUS[username]
    if response.status_code == 200:
        html = response.content.decode()
        assert acts["alga_report"].reference in html
        manages = username in ("alga_prosecutor", "administrator")
        assert (f'action="/supervision/acts/{acts["alga"].pk}/letter/"' in html) == manages
        assert (f'action="/supervision/acts/{acts["alga"].pk}/outcome/"' in html) == manages


def test_it_answers_404_for_an_act_that_does_not_exist(persona):
    assert client(persona, "analyst").get("/supervision/acts/999999/").status_code == 404


# --- a new act ---------------------------------------------------------------------------------

NEW_ACT_STATUS = {
    **dict.fromkeys(["alga_prosecutor", "temir_prosecutor", "department_prosecutor", "regional_prosecutor"], 200),
    "administrator": 200,
    **dict.fromkeys(["analyst", "board_secretary", *NO_ACTS], 403),
}


@pytest.mark.parametrize("username", ALL)
def test_it_opens_the_new_act_form_for_prosecutors_only(persona, username):
    assert client(persona, username).get("/supervision/acts/new/").status_code == NEW_ACT_STATUS[username]


def test_it_starts_an_act_from_an_overdue_report(persona):
    report = new_report()
    report.__class__.objects.filter(pk=report.pk).update(overdue=True)
    response = client(persona, "alga_prosecutor").get(f"/supervision/acts/new/?report={report.reference}")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["reports"] == report.reference
    assert form.initial["addressee"] == report.body_id
    assert form.initial["type"] == "submission"
    assert report.reference in form.initial["summary"]
    html = response.content.decode()
    assert f'value="{report.reference}"' in html
    assert f'<option value="{report.body_id}" selected>' in html


def test_it_answers_404_for_a_report_out_of_scope_in_the_new_act_form(persona):
    report = new_report()
    response = client(persona, "temir_prosecutor").get(f"/supervision/acts/new/?report={report.reference}")
    assert response.status_code == 404


def _posted(report=None, **overrides):
    data = {
        "type": "submission",
        "date": timezone.localdate().isoformat(),
        "language": "kk",
        "addressee": report.body_id if report else office("akt-police-alga").pk,
        "addressee_title": "Бастығы Иванов И.И.",
        "legal_basis": "Заң",
        "summary": "Жауап мерзімінде берілмеді.",
        "reports": report.reference if report else "",
    }
    data.update(overrides)
    return data


def test_it_records_an_act_from_the_form(persona):
    report = new_report()
    response = client(persona, "alga_prosecutor").post("/supervision/acts/new/", _posted(report))
    act = SupervisoryAct.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/supervision/acts/{act.pk}/"
    assert list(act.reports.all()) == [report]
    assert (act.language, act.addressee_id, act.issuing_office.code) == ("kk", report.body_id, "akt-prok-alga")


def test_it_refuses_in_the_form_a_report_of_another_district(persona):
    report = new_report()
    response = client(persona, "temir_prosecutor").post(
        "/supervision/acts/new/", _posted(report, addressee=office("akt-police-temir").pk)
    )
    assert response.status_code == 200
    assert "reports" in response.context["form"].errors
    assert not SupervisoryAct.objects.exists()


def test_it_refuses_in_the_form_a_body_of_another_district(persona):
    response = client(persona, "temir_prosecutor").post("/supervision/acts/new/", _posted())
    assert response.status_code == 200
    assert "addressee" in response.context["form"].errors
    assert not SupervisoryAct.objects.exists()


@pytest.mark.parametrize("username", ["analyst", "board_secretary", *NO_ACTS])
def test_it_refuses_a_posted_act_from_those_who_do_not_record_acts(persona, username):
    assert client(persona, username).post("/supervision/acts/new/", _posted()).status_code == 403
    assert not SupervisoryAct.objects.exists()


# --- the letter ----------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ALL)
def test_it_lets_only_the_issuing_office_produce_the_letter(persona, acts, username):
    act = acts["alga"]
    response = client(persona, username).post(f"/supervision/acts/{act.pk}/letter/")
    assert response.status_code == ALGA_ACT_MANAGE[username]
    act.refresh_from_db()
    assert bool(act.outgoing_number) == (response.status_code == 302)


def test_it_produces_the_letter_by_post_only(persona, acts):
    prosecutor = client(persona, "alga_prosecutor")
    assert prosecutor.get(f"/supervision/acts/{acts['alga'].pk}/letter/").status_code == 405
    assert prosecutor.get(f"/supervision/acts/{acts['alga'].pk}/letter.docx").status_code == 404
    assert prosecutor.get(f"/supervision/acts/{acts['alga'].pk}/letter.pdf").status_code == 404
    assert not OutgoingCounter.objects.exists()


def test_it_refuses_the_letter_of_an_act_with_no_addressee_with_a_message(persona):
    prosecutor = persona("alga_prosecutor")
    act = record(prosecutor, addressee=None, addressee_title="")
    response = client_for(prosecutor).post(f"/supervision/acts/{act.pk}/letter/", follow=True)
    assert response.status_code == 200
    assert "no addressee" in response.content.decode()
    act.refresh_from_db()
    assert act.outgoing_number == ""
    assert not OutgoingCounter.objects.exists()


@pytest.mark.parametrize("username", ALL)
def test_it_serves_the_docx_letter_to_those_who_see_the_act(persona, acts, username):
    act = act_letter(act=acts["alga"], actor=persona("alga_prosecutor"))
    response = client(persona, username).get(f"/supervision/acts/{act.pk}/letter.docx")
    assert response.status_code == ALGA_ACT_STATUS[username]
    if response.status_code == 200:
        assert response["Content-Disposition"].startswith("attachment;")
        assert act.outgoing_number.replace("/", "-") in response["Content-Disposition"]
        assert response.content.startswith(b"PK")


@pytest.mark.parametrize("username", [name for name, status in ALGA_ACT_STATUS.items() if status != 200])
def test_it_refuses_the_pdf_letter_to_those_who_do_not_see_the_act(persona, acts, username):
    act = act_letter(act=acts["alga"], actor=persona("alga_prosecutor"))
    response = client(persona, username).get(f"/supervision/acts/{act.pk}/letter.pdf")
    assert response.status_code == ALGA_ACT_STATUS[username]


# --- the outcome and corrections ---------------------------------------------------------------------


@pytest.mark.parametrize("username", ALL)
def test_it_lets_only_the_issuing_office_record_the_outcome(persona, acts, username):
    act = acts["alga"]
    data = {"outcome": "satisfied", "outcome_at": timezone.localdate().isoformat(), "officials_disciplined": "1"}
    response = client(persona, username).post(f"/supervision/acts/{act.pk}/outcome/", data)
    assert response.status_code == ALGA_ACT_MANAGE[username]
    act.refresh_from_db()
    assert (act.outcome, act.officials_disciplined) == (
        ("satisfied", 1) if response.status_code == 302 else ("pending", 0)
    )


def test_it_shows_an_invalid_outcome_again_with_the_error(persona, acts):
    act = acts["alga"]
    before_act = (act.date - timedelta(days=1)).isoformat()
    data = {"outcome": "rejected", "outcome_at": before_act, "officials_disciplined": "0"}
    response = client(persona, "alga_prosecutor").post(f"/supervision/acts/{act.pk}/outcome/", data)
    assert response.status_code == 200
    assert "outcome_at" in response.context["outcome_form"].errors
    act.refresh_from_db()
    assert act.outcome == "pending"


@pytest.mark.parametrize("username", ALL)
def test_it_lets_only_the_issuing_office_correct_the_act(persona, acts, username):
    act = acts["alga"]
    data = {
        "change-type": "warning",
        "change-date": act.date.isoformat(),
        "change-language": "ru",
        "change-addressee": act.addressee_id,
        "change-addressee_title": act.addressee_title,
        "change-legal_basis": act.legal_basis,
        "change-summary": act.summary,
    }
    response = client(persona, username).post(f"/supervision/acts/{act.pk}/change/", data)
    assert response.status_code == ALGA_ACT_MANAGE[username]
    act.refresh_from_db()
    assert act.type == ("warning" if response.status_code == 302 else "submission")


def test_it_shows_a_city_office_the_acts_of_its_city_districts_offices(persona):
    from accounts.models import Role, User

    def prosecutor(username, code):
        return User.objects.create(username=username, role=Role.DISTRICT_PROSECUTOR, organisation=office(code))

    city, almaty = prosecutor("city_prosecutor", "akt-prok-city"), prosecutor("almaty_prosecutor", "akt-prok-almaty")
    of_almaty = record(almaty)
    of_alga = record(persona("alga_prosecutor"))
    assert set(SupervisoryAct.objects.for_user(city)) == {of_almaty}
    assert set(SupervisoryAct.objects.for_user(almaty)) == {of_almaty}
    assert of_alga not in SupervisoryAct.objects.for_user(city)
    assert client_for(city).get(f"/supervision/acts/{of_almaty.pk}/").status_code == 200
