"""What acts achieved, on the act's page, for every persona: its results (area, business matter,
violations, beneficiaries by group or the act that already counted them) and its dated amounts
(assessed against recovered, reimbursed against the state budget's share) read by every reader of
the act and recorded by its managers; the outcome with the officials by liability; bad input back on
its form with the reason and the values as typed."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import PERSONAS, client_for
from supervision.models import ActAmount, SupervisoryAct
from supervision.services import act_amount, act_letter, act_outcome, act_results

from .factories import TEMIR, new_report, office, record

pytestmark = pytest.mark.django_db

ALL = list(PERSONAS)
REGION_WIDE = ["department_prosecutor", "analyst", "regional_prosecutor", "board_secretary", "administrator"]
NO_ACTS = ["citizen", "alga_officer", "bank_partner"]
ALGA_ACT_READ = {
    "alga_prosecutor": 200,
    "temir_prosecutor": 404,
    **dict.fromkeys(REGION_WIDE, 200),
    **dict.fromkeys(NO_ACTS, 403),
}
# The act's pages answer an act out of the reader's scope 404, a reader who does not manage it 403.
ALGA_ACT_MANAGE = {
    **ALGA_ACT_READ,
    "alga_prosecutor": 302,
    "administrator": 302,
    **dict.fromkeys(["department_prosecutor", "analyst", "regional_prosecutor", "board_secretary"], 403),
}
Heading = ActAmount.Heading


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def acts(persona):
    alga, temir = persona("alga_prosecutor"), persona("temir_prosecutor")
    return {
        "alga": record(alga, reports=[new_report()]),
        "temir": record(temir, reports=[new_report(TEMIR)], addressee=office("akt-police-temir")),
    }


def client(persona, username):
    return client_for(persona(username))


def html_of(response) -> str:
    return response.content.decode()


def today() -> str:
    return timezone.localdate().isoformat()


def results_data(**more) -> dict:
    data = {
        "results-area": "construction",
        "results-business_matter": "",
        "results-violations": "12",
        "results-citizens": "40",
        "results-equity_holders": "285",
        "results-orphans": "0",
        "results-investors": "0",
        "results-entrepreneurs": "0",
        "results-counted_by": "",
    }
    data.update(more)
    return data


def amount_data(**more) -> dict:
    data = {"amount-heading": "damage", "amount-amount": "1500000", "amount-on": today(), "amount-recovery": ""}
    data.update(more)
    return data


# --- who reads, who writes ---------------------------------------------------------------------------


@pytest.mark.parametrize("username", ALL)
def test_it_shows_the_results_to_the_act_s_readers_and_the_forms_to_its_managers(persona, acts, username):
    act = acts["alga"]
    act_results(act=act, actor=persona("alga_prosecutor"), area="construction", violations=7)
    response = client(persona, username).get(f"/supervision/acts/{act.pk}/")
    assert response.status_code == ALGA_ACT_READ[username]
    if response.status_code != 200:
        return
    html = html_of(response)
    assert 'id="act-results"' in html and 'id="act-amounts"' in html
    assert "Construction and shared-equity holders" in html
    manages = username in ("alga_prosecutor", "administrator")
    assert (f'action="/supervision/acts/{act.pk}/results/"' in html) is manages
    assert (f'action="/supervision/acts/{act.pk}/amounts/"' in html) is manages


@pytest.mark.parametrize("endpoint", ["results", "amounts"])
@pytest.mark.parametrize("username", ALL)
def test_it_lets_only_the_issuing_office_record_results_and_amounts(persona, acts, username, endpoint):
    act = acts["alga"]
    data = results_data() if endpoint == "results" else amount_data()
    response = client(persona, username).post(f"/supervision/acts/{act.pk}/{endpoint}/", data)
    assert response.status_code == ALGA_ACT_MANAGE[username]
    act.refresh_from_db()
    written = act.equity_holders == 285 if endpoint == "results" else act.amounts.exists()
    assert written is (response.status_code == 302)
    if response.status_code == 302:
        assert response["Location"] == f"/supervision/acts/{act.pk}/"


def test_it_refuses_a_get_on_the_writes(persona, acts):
    alga = client(persona, "alga_prosecutor")
    for endpoint in ("results", "amounts"):
        assert alga.get(f"/supervision/acts/{acts['alga'].pk}/{endpoint}/").status_code == 405


# --- results -----------------------------------------------------------------------------------------


def test_a_valid_results_post_changes_the_act_and_readers_see_it(persona, acts):
    act = acts["alga"]
    response = client(persona, "alga_prosecutor").post(
        f"/supervision/acts/{act.pk}/results/", results_data(**{"results-business_matter": "investor"})
    )
    assert response.status_code == 302
    act.refresh_from_db()
    assert (act.area, act.business_matter, act.violations, act.citizens, act.equity_holders) == (
        "construction",
        "investor",
        12,
        40,
        285,
    )
    html = html_of(client(persona, "analyst").get(f"/supervision/acts/{act.pk}/"))
    assert "Protection of an investor" in html and "Shared-equity holders" in html and "285" in html
    assert 'action="/supervision/acts/' not in html.split('id="act-results"')[1].split("</section>")[0]


def test_it_names_the_act_that_counted_the_beneficiaries_by_its_outgoing_number_or_id(persona, acts):
    prosecutor = persona("alga_prosecutor")
    claim = record(prosecutor, type=SupervisoryAct.Type.CLAIM)
    act_results(act=claim, actor=prosecutor, beneficiaries={"equity_holders": 285})
    act_letter(act=claim, actor=prosecutor)
    act = acts["alga"]
    alga = client(persona, "alga_prosecutor")
    empty = {f"results-{field}": "0" for field in ("citizens", "equity_holders")}
    response = alga.post(
        f"/supervision/acts/{act.pk}/results/", results_data(**empty, **{"results-counted_by": claim.outgoing_number})
    )
    assert response.status_code == 302
    act.refresh_from_db()
    assert act.beneficiaries_counted_by_id == claim.pk and act.equity_holders == 0
    html = html_of(alga.get(f"/supervision/acts/{act.pk}/"))
    assert f'href="/supervision/acts/{claim.pk}/"' in html and claim.outgoing_number in html
    # By its id as well, and the form shows the number it was named by.
    response = alga.post(
        f"/supervision/acts/{act.pk}/results/", results_data(**empty, **{"results-counted_by": str(claim.pk)})
    )
    assert response.status_code == 302
    assert f'name="results-counted_by" value="{claim.outgoing_number}"' in html_of(
        alga.get(f"/supervision/acts/{act.pk}/")
    )


def test_it_refuses_counting_beneficiaries_already_counted_and_keeps_the_values(persona, acts):
    prosecutor = persona("alga_prosecutor")
    claim = record(prosecutor, type=SupervisoryAct.Type.CLAIM)
    act_results(act=claim, actor=prosecutor, beneficiaries={"equity_holders": 285})
    act = acts["alga"]
    response = client(persona, "alga_prosecutor").post(
        f"/supervision/acts/{act.pk}/results/", results_data(**{"results-counted_by": str(claim.pk)})
    )
    html = html_of(response)
    assert response.status_code == 200
    assert "The beneficiaries are already counted by that act: this one adds none." in html
    assert (
        'name="results-equity_holders" value="285"' in html and f'name="results-counted_by" value="{claim.pk}"' in html
    )
    assert re.search(r'<option value="construction" selected>', html)
    act.refresh_from_db()
    assert (act.equity_holders, act.beneficiaries_counted_by_id) == (0, None)


def test_it_refuses_an_act_that_is_not_of_the_region_or_does_not_exist(persona, acts):
    act = acts["alga"]
    html = html_of(
        client(persona, "alga_prosecutor").post(
            f"/supervision/acts/{act.pk}/results/", results_data(**{"results-counted_by": "NO/2025/999"})
        )
    )
    assert "No act of the region has the outgoing number or id NO/2025/999." in html
    html = html_of(
        client(persona, "alga_prosecutor").post(
            f"/supervision/acts/{act.pk}/results/", results_data(**{"results-counted_by": str(act.pk)})
        )
    )
    assert "Choose another act of the region." in html


def test_it_shows_the_form_s_errors_in_the_user_s_language(persona, acts):
    act = acts["alga"]
    data = results_data(**{"results-violations": "-3"})
    response = client(persona, "alga_prosecutor").post(
        f"/supervision/acts/{act.pk}/results/", data, HTTP_ACCEPT_LANGUAGE="ru"
    )
    html = html_of(response)
    assert response.status_code == 200 and 'lang="ru"' in html
    assert "Убедитесь, что это значение больше либо равно 0." in html
    assert 'name="results-violations" value="-3"' in html


# --- amounts -----------------------------------------------------------------------------------------


def test_valid_amounts_are_listed_assessed_against_recovered(persona, acts):
    act = acts["alga"]
    alga = client(persona, "alga_prosecutor")
    posts = [
        amount_data(**{"amount-preliminary": "on"}),
        amount_data(**{"amount-heading": "recovered", "amount-amount": "500000", "amount-recovery": "court"}),
        amount_data(**{"amount-heading": "reimbursed", "amount-amount": "1200000000"}),
        amount_data(**{"amount-heading": "to_state_budget", "amount-amount": "1000000000"}),
    ]
    for data in posts:
        assert alga.post(f"/supervision/acts/{act.pk}/amounts/", data).status_code == 302
    entries = list(act.amounts.order_by("id").values_list("heading", "amount", "preliminary", "recovery"))
    assert entries == [
        (Heading.DAMAGE, Decimal("1500000"), True, ""),
        (Heading.RECOVERED, Decimal("500000"), False, "court"),
        (Heading.REIMBURSED, Decimal("1200000000"), False, ""),
        (Heading.TO_STATE_BUDGET, Decimal("1000000000"), False, ""),
    ]
    html = html_of(client(persona, "regional_prosecutor").get(f"/supervision/acts/{act.pk}/"))
    amounts = html.split('id="act-amounts"')[1].split("</section>")[0]
    assert "1,500,000.00" in amounts and "500,000.00" in amounts and "1,000,000,000.00" in amounts
    assert "Through the courts" in amounts or "through the courts" in amounts
    assert "some preliminary" in amounts


def test_it_refuses_recovered_over_assessed_and_keeps_the_values(persona, acts):
    act = acts["alga"]
    act_amount(act=act, actor=persona("alga_prosecutor"), heading=Heading.DAMAGE, amount=100, on=timezone.localdate())
    data = amount_data(**{"amount-heading": "recovered", "amount-amount": "250", "amount-recovery": "voluntary"})
    response = client(persona, "alga_prosecutor").post(f"/supervision/acts/{act.pk}/amounts/", data)
    html = html_of(response)
    assert response.status_code == 200
    assert "would exceed the assessed" in html
    assert 'name="amount-amount" value="250"' in html
    assert re.search(r'<option value="voluntary" selected>', html)
    assert act.amounts.count() == 1


def test_it_refuses_the_state_budget_over_the_reimbursed_and_a_recovery_on_another_heading(persona, acts):
    act = acts["alga"]
    alga = client(persona, "alga_prosecutor")
    html = html_of(
        alga.post(f"/supervision/acts/{act.pk}/amounts/", amount_data(**{"amount-heading": "to_state_budget"}))
    )
    assert "would exceed the reimbursed" in html
    html = html_of(alga.post(f"/supervision/acts/{act.pk}/amounts/", amount_data(**{"amount-recovery": "court"})))
    assert "Say how it was recovered only for an amount recovered." in html
    html = html_of(alga.post(f"/supervision/acts/{act.pk}/amounts/", amount_data(**{"amount-amount": "0"})))
    assert "Enter an amount above 0." in html
    assert not act.amounts.exists()


# --- the outcome, with the officials by liability ----------------------------------------------------


def test_the_outcome_records_the_officials_by_liability(persona, acts):
    act = acts["alga"]
    data = {
        "outcome": "satisfied",
        "outcome_at": today(),
        "officials_disciplined": "3",
        "officials_administrative": "2",
        "officials_criminal": "1",
        "outcome_note": "",
    }
    alga = client(persona, "alga_prosecutor")
    assert alga.post(f"/supervision/acts/{act.pk}/outcome/", data).status_code == 302
    act.refresh_from_db()
    assert (act.officials_disciplined, act.officials_administrative, act.officials_criminal) == (3, 2, 1)
    html = html_of(client(persona, "analyst").get(f"/supervision/acts/{act.pk}/"))
    assert "Officials held to administrative liability" in html and "Officials held to criminal liability" in html


def test_the_outcome_form_refuses_a_negative_liability_and_keeps_the_values(persona, acts):
    act = acts["alga"]
    data = {
        "outcome": "partly",
        "outcome_at": today(),
        "officials_disciplined": "1",
        "officials_administrative": "-1",
        "officials_criminal": "",
        "outcome_note": "Частично",
    }
    response = client(persona, "alga_prosecutor").post(f"/supervision/acts/{act.pk}/outcome/", data)
    html = html_of(response)
    assert response.status_code == 200 and "greater than or equal to 0" in html
    assert 'name="officials_administrative" value="-1"' in html and "Частично" in html
    act.refresh_from_db()
    assert act.outcome == SupervisoryAct.Outcome.PENDING


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_act_s_page_renders_its_results_and_amounts_in_each_language(persona, acts, language):
    act = acts["alga"]
    prosecutor = persona("alga_prosecutor")
    act_results(act=act, actor=prosecutor, area="budget", violations=3, beneficiaries={"citizens": 12})
    act_amount(act=act, actor=prosecutor, heading=Heading.FINES, amount=1000, on=timezone.localdate(), preliminary=True)
    response = client(persona, "alga_prosecutor").get(f"/supervision/acts/{act.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    html = html_of(response)
    assert response.status_code == 200 and f'lang="{language}"' in html
    assert 'id="act-amounts"' in html and f'action="/supervision/acts/{act.pk}/amounts/"' in html


def test_the_list_counts_the_officials_of_every_liability(persona, acts):
    act = acts["alga"]
    act_outcome(
        act=act,
        actor=persona("alga_prosecutor"),
        outcome="satisfied",
        outcome_at=timezone.localdate(),
        officials_disciplined=1,
        officials_administrative=2,
        officials_criminal=1,
    )
    html = html_of(client(persona, "analyst").get("/supervision/acts/"))
    assert "4 officials held accountable" in html


def test_the_act_s_page_takes_a_fixed_number_of_queries_whatever_its_amounts(
    persona, acts, django_assert_max_num_queries
):
    act = acts["alga"]
    prosecutor = persona("alga_prosecutor")
    alga = client(persona, "alga_prosecutor")
    alga.get(f"/supervision/acts/{act.pk}/")  # the per-process caches warmed
    with django_assert_max_num_queries(40) as few:
        assert alga.get(f"/supervision/acts/{act.pk}/").status_code == 200
    baseline = len(few.captured_queries)  # read now: the next request resets the connection's log
    assert baseline > 3
    for heading in (Heading.DAMAGE, Heading.FINES, Heading.RECOVERED, Heading.REIMBURSED, Heading.TO_STATE_BUDGET):
        act_amount(act=act, actor=prosecutor, heading=heading, amount=100, on=timezone.localdate())
    alga = client(persona, "alga_prosecutor")  # persona() set the password again: log in anew
    alga.get(f"/supervision/acts/{act.pk}/")
    with django_assert_max_num_queries(baseline):
        assert alga.get(f"/supervision/acts/{act.pk}/").status_code == 200
