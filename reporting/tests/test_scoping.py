"""Who computes which summary: a district prosecutor the districts their work covers, the regional
roles the region, a body or a partner nothing; through the command line as through the policy."""

import io
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import translation

from accounts.models import District
from reporting import policy
from reporting.tests import facts
from reporting.tests.facts import ALGA, TEMIR, local

pytestmark = pytest.mark.django_db

ARGS = ["--from", "2025-01-01", "--to", "2025-09-30", "--as-of", "2025-09-30"]


def run(*args, lang="en") -> str:
    out = io.StringIO()
    call_command("board_summary", *ARGS, "--lang", lang, *args, stdout=out)
    return out.getvalue()


def test_it_limits_a_district_prosecutor_to_the_district(persona):
    prosecutor = persona("alga_prosecutor")
    ids = policy.summary_districts(prosecutor, facts.region(), [])
    assert ids == {District.objects.get(kato=ALGA).pk}
    with pytest.raises(PermissionDenied):
        policy.summary_districts(prosecutor, facts.region(), [TEMIR])


@pytest.mark.parametrize("username", ["alga_officer", "bank_partner", "citizen"])
def test_it_computes_nothing_for_a_body_a_partner_or_a_citizen(persona, username):
    with pytest.raises(PermissionDenied):
        policy.summary_districts(persona(username), facts.region(), [])
    with pytest.raises(CommandError):
        run("--user", username)


def test_it_computes_the_district_only_for_its_prosecutor_through_the_command(persona):
    persona("alga_prosecutor")
    facts.submit(local(2025, 3, 3), kato=ALGA)
    facts.submit(local(2025, 3, 3), kato=TEMIR)
    data = json.loads(run("--user", "alga_prosecutor", "--format", "json", "--output", "-"))
    received = next(f for f in data["figures"] if f["code"] == "fsm.reports.received")
    assert received["value"] == 1
    assert [part["key"] for part in received["by_district"]] == [ALGA]
    with pytest.raises(CommandError, match="outside your remit"):
        run("--user", "alga_prosecutor", "--district", TEMIR)


def test_it_writes_every_figure_with_its_code_version_value_base_change_and_flag(tmp_path):
    facts.submit(local(2025, 3, 3), kato=ALGA)
    facts.submit(local(2024, 3, 3), kato=ALGA)
    facts.submit(local(2024, 3, 4), kato=ALGA)
    output = tmp_path / "summary.json"
    run("--format", "json", "--output", str(output))
    data = json.loads(output.read_text())
    assert data["period"] == {"from": "2025-01-01", "to": "2025-09-30"}
    assert data["base"] == {"from": "2024-01-01", "to": "2024-09-30"}
    received = next(f for f in data["figures"] if f["code"] == "fsm.reports.received")
    assert (received["version"], received["value"], received["base"]) == (1, 1, 2)
    assert (received["change"], received["change_percent"]) == (-1, -50.0)
    assert received["within_normal_variation"] is True
    assert data["statements"] > 0


def test_it_writes_a_table_in_the_chosen_language():
    facts.submit(local(2025, 3, 3), kato=ALGA)
    text = run("--format", "txt", lang="ru")
    with translation.override("ru"):
        from reporting.models import Metric

        name = Metric.objects.get(code="fsm.reports.received").name
    assert name in text
    assert "н/д" in text  # the percent change on a base of 0
    assert "в пределах обычных колебаний" in text  # 1 against 0: a small base


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--district", "999999999"], "999999999"),
        (["--as-of", "2024-01-01"], "раньше начала периода"),
        (["--base-from", "2024-01-01"], "обе границы"),
        (["--as-of", "30.09.2025"], "30.09.2025"),
    ],
)
def test_it_answers_bad_input_with_a_translated_message(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args, lang="ru")
