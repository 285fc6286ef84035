"""The pages of the criminal cases under control, for every persona: who reads (403 for roles without
cases, 404 for a case out of scope), who takes a case under control and who changes it (the
controlling office's prosecutors), bad input back on its form with the reason and the values as
typed, and the list's filters, htmx partial and query count."""

import re
from datetime import timedelta
from decimal import Decimal
from itertools import count

import pytest

from accounts.models import AuditEvent, District
from accounts.zones import local_today, region_id_zone
from conftest import PERSONAS, client_for
from supervision.models import CaseEvent, CriminalCase, Stage
from supervision.services import case_record, case_stage

from .factories import ALGA, TEMIR

pytestmark = pytest.mark.django_db

ALL = list(PERSONAS)
REGION_WIDE = ["department_prosecutor", "analyst", "regional_prosecutor", "board_secretary", "administrator"]
NO_CASES = ["citizen", "alga_officer", "bank_partner"]
# Who reads the Alga office's case, and what everybody else gets.
ALGA_CASE_READ = {
    "alga_prosecutor": 200,
    "temir_prosecutor": 404,
    **dict.fromkeys(REGION_WIDE, 200),
    **dict.fromkeys(NO_CASES, 403),
}
# Who changes it: the Alga office's prosecutor (and a superuser); everybody else 403.
ALGA_CASE_WRITE = {**dict.fromkeys(ALL, 403), "alga_prosecutor": 302, "administrator": 302}
# Who takes a case under control: a prosecutor of an office (the regional office's too).
TAKES_CASES = {
    **dict.fromkeys(ALL, 403),
    **dict.fromkeys(
        ["alga_prosecutor", "temir_prosecutor", "department_prosecutor", "regional_prosecutor", "administrator"], 200
    ),
}

_numbers = count(101)


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    settings.LANGUAGE_CODE = "en"


def today():
    region_id = District.objects.get(kato=ALGA).region_id
    return local_today(region_id_zone(region_id))


def registered():
    return today() - timedelta(days=20)


def erdr(day=None) -> str:
    day = day or registered()
    return f"{day.year % 100:02d}{next(_numbers):013d}"


def take(actor, kato=ALGA, **more) -> CriminalCase:
    values = {
        "office": actor.organisation,
        "district": District.objects.get(kato=kato),
        "erdr_number": erdr(),
        "registered_on": registered(),
        "article": "190",
        "article_part": "4",
        "gravity": "grave",
        "investigating_body": "police",
        "summary": "Мошенничество через интернет.",
        "charged": 2,
        "in_custody": 1,
    }
    values.update(more)
    return case_record(actor=actor, **values)


@pytest.fixture
def cases(persona):
    return {
        "alga": take(persona("alga_prosecutor"), flags={"high_profile": True}),
        "temir": take(persona("temir_prosecutor"), kato=TEMIR, investigating_body="anti_corruption"),
    }


def client(persona, username):
    return client_for(persona(username))


def html_of(response) -> str:
    return response.content.decode()


def test_it_sends_anonymous_visitors_to_the_login(client, cases):
    for url in ("/supervision/cases/", "/supervision/cases/new/", f"/supervision/cases/{cases['alga'].pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- the list ----------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ALL)
def test_it_lists_the_cases_each_persona_may_see(persona, cases, username):
    response = client(persona, username).get("/supervision/cases/")
    if username in NO_CASES:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    html = html_of(response)
    sees_alga = f'href="/supervision/cases/{cases["alga"].pk}/"' in html
    sees_temir = f'href="/supervision/cases/{cases["temir"].pk}/"' in html
    assert (sees_alga, sees_temir) == (username != "temir_prosecutor", username != "alga_prosecutor")


def test_it_filters_the_list_by_stage_body_flag_district_and_number(persona, cases):
    analyst = client(persona, "analyst")
    alga, temir = cases["alga"], cases["temir"]
    drugs = take(persona("alga_prosecutor"), flags={"drugs": True}, dropper_article="190")
    case_stage(case=alga, actor=persona("alga_prosecutor"), stage=Stage.COURT, on=today())

    def listed(query):
        html = html_of(analyst.get(f"/supervision/cases/?{query}"))
        return {case.pk for case in (alga, temir, drugs) if f'href="/supervision/cases/{case.pk}/"' in html}

    assert listed("") == {alga.pk, temir.pk, drugs.pk}
    assert listed("stage=court") == {alga.pk}
    assert listed("stage=pretrial") == {temir.pk, drugs.pk}
    assert listed("body=anti_corruption") == {temir.pk}
    assert listed("flag=high_profile") == {alga.pk}
    assert listed("flag=drugs") == {drugs.pk}
    assert listed("flag=dropper") == {drugs.pk}
    assert listed(f"district={District.objects.get(kato=TEMIR).pk}") == {temir.pk}
    assert listed(f"number={temir.erdr_number[:2]} {temir.erdr_number[2:]}") == {temir.pk}
    # Unknown values are ignored, not an error.
    assert listed("stage=nonsense&body=nonsense&flag=nonsense&district=999999") == {alga.pk, temir.pk, drugs.pk}


def test_it_answers_htmx_with_the_table_alone(persona, cases):
    response = client(persona, "analyst").get("/supervision/cases/?stage=pretrial", HTTP_HX_REQUEST="true")
    html = html_of(response)
    assert response.status_code == 200
    assert "<html" not in html and f'href="/supervision/cases/{cases["alga"].pk}/"' in html


def test_it_pages_the_list(persona):
    prosecutor = persona("alga_prosecutor")
    for _ in range(27):
        take(prosecutor)
    alga = client(persona, "alga_prosecutor")
    first, second = html_of(alga.get("/supervision/cases/")), html_of(alga.get("/supervision/cases/?page=2"))
    assert len(re.findall(r'href="/supervision/cases/\d+/"', first)) == 25
    assert "27 cases" in first and "Page 2 of 2" in second


def test_the_list_takes_a_fixed_number_of_queries(persona, django_assert_max_num_queries):
    prosecutor = persona("alga_prosecutor")
    analyst = client(persona, "analyst")
    take(prosecutor)
    analyst.get("/supervision/cases/")  # the per-process caches warmed
    with django_assert_max_num_queries(12) as few:
        assert analyst.get("/supervision/cases/").status_code == 200
    baseline = len(few.captured_queries)
    assert baseline > 3
    for _ in range(20):
        take(prosecutor, flags={"drugs": True})
    with django_assert_max_num_queries(baseline):
        assert analyst.get("/supervision/cases/?flag=drugs").status_code == 200


# --- taking a case under control ---------------------------------------------------------------------


@pytest.mark.parametrize("username", ALL)
def test_it_offers_the_new_case_form_to_the_offices_prosecutors_only(persona, username):
    response = client(persona, username).get("/supervision/cases/new/")
    assert response.status_code == TAKES_CASES[username]
    if response.status_code == 200:
        assert "15 digits, the first two the year of registration" in html_of(response)


def new_case_data(district, **more) -> dict:
    data = {
        "erdr_number": erdr(),
        "registered_on": registered().isoformat(),
        "district": str(district.pk),
        "article": "190",
        "article_part": "4",
        "gravity": "grave",
        "investigating_body": "police",
        "summary": "Хищение бюджетных средств подрядчиком.",
        "dropper_article": "",
        "charged": "2",
        "in_custody": "1",
        "damage": "5000000",
        "flags": ["high_profile", "corruption"],
        "initiated_by_prosecutor": "on",
    }
    data.update(more)
    return data


@pytest.mark.parametrize("username", ALL)
def test_it_takes_a_case_under_control_for_the_user_s_own_office(persona, username):
    user = persona(username)
    response = client(persona, username).post("/supervision/cases/new/", new_case_data(District.objects.get(kato=ALGA)))
    if TAKES_CASES[username] == 403:
        assert response.status_code == 403
        assert not CriminalCase.objects.exists()
        return
    if username == "temir_prosecutor":  # Alga is not a district the Temir office serves
        assert response.status_code == 200 and "Select a valid choice" in html_of(response)
        assert not CriminalCase.objects.exists()
        return
    case = CriminalCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/supervision/cases/{case.pk}/"
    assert case.office_id == user.organisation_id
    assert (case.high_profile, case.corruption, case.drugs, case.damage) == (True, True, False, Decimal("5000000"))
    assert case.initiated_by_prosecutor
    assert case.events.get().kind == CaseEvent.Kind.RECORDED


def test_it_limits_the_districts_to_the_office_s_and_the_region_s_for_the_regional_office(persona):
    alga_form = html_of(client(persona, "alga_prosecutor").get("/supervision/cases/new/"))
    regional_form = html_of(client(persona, "regional_prosecutor").get("/supervision/cases/new/"))
    temir = District.objects.get(kato=TEMIR)
    assert f'<option value="{temir.pk}"' not in alga_form
    assert f'<option value="{temir.pk}"' in regional_form
    assert f'<option value="{District.objects.get(kato=ALGA).pk}"' in alga_form


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("12345", "An ERDR number is 15 digits, the first two the year of registration"),
        ("1" * 15, "the year of registration"),
    ],
)
def test_it_refuses_an_erdr_number_in_the_wrong_format_and_keeps_the_values(persona, number, message):
    data = new_case_data(District.objects.get(kato=ALGA), erdr_number=number)
    response = client(persona, "alga_prosecutor").post("/supervision/cases/new/", data)
    html = html_of(response)
    assert response.status_code == 200 and message in html
    assert not CriminalCase.objects.exists()
    assert f'value="{number}"' in html and "Хищение бюджетных средств подрядчиком." in html
    assert re.search(r'<input[^>]*value="high_profile"[^>]*checked', html)
    assert not re.search(r'<input[^>]*value="drugs"[^>]*checked', html)
    assert 'value="5000000"' in html


def test_it_refuses_more_in_custody_than_charged_and_a_taken_number(persona, cases):
    alga = client(persona, "alga_prosecutor")
    district = District.objects.get(kato=ALGA)
    html = html_of(alga.post("/supervision/cases/new/", new_case_data(district, charged="1", in_custody="3")))
    assert "More persons in custody than charged." in html
    html = html_of(
        alga.post("/supervision/cases/new/", new_case_data(district, erdr_number=cases["temir"].erdr_number))
    )
    assert "A case with this ERDR number is already under control." in html
    assert CriminalCase.objects.count() == 2


def test_it_shows_the_errors_in_the_user_s_language(persona):
    data = new_case_data(District.objects.get(kato=ALGA), summary="", article="")
    response = client(persona, "alga_prosecutor").post("/supervision/cases/new/", data, HTTP_ACCEPT_LANGUAGE="ru")
    html = html_of(response)
    assert response.status_code == 200 and 'lang="ru"' in html
    assert "Обязательное поле." in html
    assert f'value="{data["erdr_number"]}"' in html


# --- the detail --------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ALL)
def test_it_shows_the_case_to_its_readers_only(persona, cases, username):
    response = client(persona, username).get(f"/supervision/cases/{cases['alga'].pk}/")
    assert response.status_code == ALGA_CASE_READ[username]
    if response.status_code != 200:
        return
    html = html_of(response)
    assert cases["alga"].erdr_number in html and "High-profile" in html and "Taken under control" in html
    keeps = username in ("alga_prosecutor", "administrator")
    assert (f'action="/supervision/cases/{cases["alga"].pk}/stage/"' in html) is keeps
    assert (f'action="/supervision/cases/{cases["alga"].pk}/persons/"' in html) is keeps
    assert (f'action="/supervision/cases/{cases["alga"].pk}/amounts/"' in html) is keeps


def test_it_answers_404_for_a_case_that_does_not_exist(persona):
    assert client(persona, "analyst").get("/supervision/cases/999999/").status_code == 404
    assert client(persona, "alga_prosecutor").post("/supervision/cases/999999/stage/", {}).status_code == 404


def test_it_shows_the_timeline_with_dates_kinds_stages_persons_and_amounts(persona, cases):
    prosecutor = persona("alga_prosecutor")
    case = cases["alga"]
    case_stage(case=case, actor=prosecutor, stage=Stage.COURT, on=today(), note="Обвинительный акт утверждён")
    html = html_of(client(persona, "analyst").get(f"/supervision/cases/{case.pk}/"))
    assert "Taken under control" in html and "Stage changed" in html
    assert "sent to court" in html and "charged 2, in custody 1" in html
    assert "Обвинительный акт утверждён" in html
    assert f'datetime="{registered().isoformat()}"' in html and f'datetime="{today().isoformat()}"' in html


# --- the changes -------------------------------------------------------------------------------------


def at_verdict(case, actor):
    case_stage(case=case, actor=actor, stage=Stage.COURT, on=today())
    case_stage(case=case, actor=actor, stage=Stage.VERDICT, on=today(), convicted=2, imprisoned=1)
    return case


def change_data(endpoint: str) -> dict:
    day = today().isoformat()
    return {
        "stage": {"stage-stage": "court", "stage-on": day, "stage-note": ""},
        "appeal": {"appeal-on": day, "appeal-satisfied": "yes", "appeal-convicted": "2", "appeal-imprisoned": "0"},
        "persons": {"persons-on": day, "persons-charged": "3", "persons-in_custody": "2"},
        "amounts": {"amounts-on": day, "amounts-damage": "1000000", "amounts-recovered_added": "250000"},
    }[endpoint]


@pytest.mark.parametrize("endpoint", ["stage", "appeal", "persons", "amounts"])
@pytest.mark.parametrize("username", ALL)
def test_it_lets_only_the_controlling_office_change_the_case(persona, cases, username, endpoint):
    case = cases["alga"]
    if endpoint == "appeal":
        at_verdict(case, persona("alga_prosecutor"))
    before = case.events.count()
    response = client(persona, username).post(f"/supervision/cases/{case.pk}/{endpoint}/", change_data(endpoint))
    assert response.status_code == ALGA_CASE_WRITE[username]
    if response.status_code == 302:
        assert response["Location"] == f"/supervision/cases/{case.pk}/"
        assert case.events.count() == before + 1
    else:
        assert case.events.count() == before


def test_it_refuses_a_get_on_a_change(persona, cases):
    assert client(persona, "alga_prosecutor").get(f"/supervision/cases/{cases['alga'].pk}/stage/").status_code == 405


def test_a_valid_stage_change_sends_the_case_to_court_then_to_its_verdict(persona, cases):
    alga = client(persona, "alga_prosecutor")
    case = cases["alga"]
    alga.post(f"/supervision/cases/{case.pk}/stage/", change_data("stage"))
    case.refresh_from_db()
    assert case.stage == Stage.COURT
    html = html_of(alga.get(f"/supervision/cases/{case.pk}/"))
    assert 'name="stage-convicted"' in html  # the verdict is among the next stages
    data = {"stage-stage": "verdict", "stage-on": today().isoformat(), "stage-convicted": "2", "stage-imprisoned": "1"}
    response = alga.post(f"/supervision/cases/{case.pk}/stage/", data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.stage, case.convicted, case.imprisoned) == (Stage.VERDICT, 2, 1)
    assert case.events.last().kind == CaseEvent.Kind.VERDICT
    html = html_of(alga.get(f"/supervision/cases/{case.pk}/"))
    assert f'action="/supervision/cases/{case.pk}/appeal/"' in html


def test_it_refuses_more_imprisoned_than_convicted_and_keeps_the_values(persona, cases):
    case = cases["alga"]
    case_stage(case=case, actor=persona("alga_prosecutor"), stage=Stage.COURT, on=today())
    alga = client(persona, "alga_prosecutor")  # after persona(): each call sets the password again
    data = {
        "stage-stage": "verdict",
        "stage-on": today().isoformat(),
        "stage-convicted": "1",
        "stage-imprisoned": "4",
        "stage-note": "Приговор оглашён",
    }
    response = alga.post(f"/supervision/cases/{case.pk}/stage/", data)
    html = html_of(response)
    assert response.status_code == 200
    assert "More persons sentenced to imprisonment than convicted." in html
    assert 'name="stage-imprisoned" value="4"' in html and 'value="Приговор оглашён"' in html
    case.refresh_from_db()
    assert case.stage == Stage.COURT


def test_it_refuses_a_change_dated_before_the_latest(persona, cases):
    case = cases["alga"]
    data = change_data("persons") | {"persons-on": (registered() - timedelta(days=1)).isoformat()}
    html = html_of(client(persona, "alga_prosecutor").post(f"/supervision/cases/{case.pk}/persons/", data))
    assert "a change cannot be dated before it" in html
    assert 'name="persons-charged" value="3"' in html


def test_it_refuses_a_stage_out_of_order(persona, cases):
    case = cases["alga"]
    data = change_data("stage") | {"stage-stage": "verdict"}
    html = html_of(client(persona, "alga_prosecutor").post(f"/supervision/cases/{case.pk}/stage/", data))
    assert "Select a valid choice" in html
    case.refresh_from_db()
    assert case.stage == Stage.PRETRIAL


def test_a_valid_appeal_brings_the_case_back_to_its_verdict(persona, cases):
    case = at_verdict(cases["alga"], persona("alga_prosecutor"))
    response = client(persona, "alga_prosecutor").post(f"/supervision/cases/{case.pk}/appeal/", change_data("appeal"))
    assert response.status_code == 302
    case.refresh_from_db()
    event = case.events.last()
    assert (case.stage, case.convicted, case.imprisoned) == (Stage.VERDICT, 2, 0)
    assert (event.kind, event.appeal_satisfied) == (CaseEvent.Kind.APPEAL, True)


def test_it_refuses_an_appeal_before_a_verdict(persona, cases):
    case = cases["alga"]
    html = html_of(
        client(persona, "alga_prosecutor").post(f"/supervision/cases/{case.pk}/appeal/", change_data("appeal"))
    )
    assert "Only a verdict is appealed." in html
    assert case.events.count() == 1


def test_valid_persons_and_amounts_change_the_case(persona, cases):
    alga = client(persona, "alga_prosecutor")
    case = cases["alga"]
    assert alga.post(f"/supervision/cases/{case.pk}/persons/", change_data("persons")).status_code == 302
    assert alga.post(f"/supervision/cases/{case.pk}/amounts/", change_data("amounts")).status_code == 302
    data = {"amounts-on": today().isoformat(), "amounts-damage": "1000000", "amounts-kg_added": "12.5"}
    assert alga.post(f"/supervision/cases/{case.pk}/amounts/", data).status_code == 302
    case.refresh_from_db()
    assert (case.charged, case.in_custody) == (3, 2)
    assert (case.damage, case.recovered, case.seized_kg) == (Decimal("1000000"), Decimal("250000"), Decimal("12.5"))
    assert list(case.events.values_list("kind", flat=True)) == ["recorded", "persons", "amounts", "amounts"]


def test_it_refuses_recovered_over_the_damage_and_an_empty_amounts_form(persona, cases):
    alga = client(persona, "alga_prosecutor")
    case = cases["alga"]
    data = {"amounts-on": today().isoformat(), "amounts-damage": "100", "amounts-recovered_added": "500"}
    html = html_of(alga.post(f"/supervision/cases/{case.pk}/amounts/", data))
    assert "would exceed the damage" in html and 'name="amounts-recovered_added" value="500"' in html
    data = {"amounts-on": today().isoformat(), "amounts-damage": "0"}
    html = html_of(alga.post(f"/supervision/cases/{case.pk}/amounts/", data))
    assert "Nothing to record" in html
    assert case.events.count() == 1


def test_a_refused_change_is_recorded_as_denied_access(persona, cases):
    case = cases["alga"]
    response = client(persona, "temir_prosecutor").post(f"/supervision/cases/{case.pk}/stage/", change_data("stage"))
    assert response.status_code == 403
    denied = AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS_DENIED, actor_label="temir_prosecutor")
    assert [event.target for event in denied] == [f"/supervision/cases/{case.pk}/stage/"]


def test_the_case_s_page_takes_a_fixed_number_of_queries_whatever_its_events(
    persona, cases, django_assert_max_num_queries
):
    case = cases["alga"]
    prosecutor = persona("alga_prosecutor")
    alga = client(persona, "alga_prosecutor")
    alga.get(f"/supervision/cases/{case.pk}/")  # the per-process caches warmed
    with django_assert_max_num_queries(16) as few:
        assert alga.get(f"/supervision/cases/{case.pk}/").status_code == 200
    baseline = len(few.captured_queries)  # read now: the next request resets the connection's log
    assert baseline > 3
    case_stage(case=case, actor=prosecutor, stage=Stage.COURT, on=today())
    case_stage(case=case, actor=prosecutor, stage=Stage.VERDICT, on=today(), convicted=2, imprisoned=1)
    alga = client(persona, "alga_prosecutor")  # persona() set the password again: log in anew
    alga.get(f"/supervision/cases/{case.pk}/")
    with django_assert_max_num_queries(baseline):
        assert alga.get(f"/supervision/cases/{case.pk}/").status_code == 200


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_pages_render_in_each_language(persona, cases, language):
    case = at_verdict(cases["alga"], persona("alga_prosecutor"))
    alga = client(persona, "alga_prosecutor")
    for url in ("/supervision/cases/", "/supervision/cases/new/", f"/supervision/cases/{case.pk}/"):
        response = alga.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        assert f'lang="{language}"' in html_of(response)
    html = html_of(alga.get(f"/supervision/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE=language))
    assert f'action="/supervision/cases/{case.pk}/appeal/"' in html
