"""Starting answers loaded with the reference data, offered to the body the report is with."""

import re

import pytest

from accounts.models import District
from conftest import client_for
from signals.models import AnswerTemplate, Report
from signals.services import report_submit

pytestmark = pytest.mark.django_db


def test_it_loads_the_starting_answers_for_police_departments_units_and_akimats():
    templates = AnswerTemplate.objects.filter(organisation__isnull=True, is_active=True)
    assert {"police", "police_unit", "akimat"} <= set(templates.values_list("body_type", flat=True))
    blocking = templates.get(name_en="Link sent for blocking", body_type="police")
    assert blocking.category.code == "drug-ad" and blocking.measures == ["link_blocking", "pretrial"]
    assert all(t.text_kk and t.text_ru and t.text_en for t in templates)


def test_it_offers_the_body_its_templates_and_fills_the_answer_from_one(persona):
    report = report_submit(
        actor=None,
        category="public-order",
        description="Fights near the shop every night.",
        channel=Report.Channel.WEB,
        district=District.objects.get(kato="153200000"),
        address="Alga, Main street 1",
    ).report
    assert report.body.code == "akt-police-alga"
    client = client_for(persona("alga_officer"))
    page = client.get(f"/signals/{report.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Administrative protocol drawn up" in page and "Facts not confirmed" in page
    other_category = AnswerTemplate.objects.get(name_en="Link sent for blocking", body_type="police_unit")
    assert f'<option value="{other_category.pk}"' not in page  # a drug-ad template
    chosen = AnswerTemplate.objects.get(name_en="Administrative protocol drawn up", body_type="police_unit")
    filled = client.get(f"/signals/{report.reference}/?template={chosen.pk}", HTTP_ACCEPT_LANGUAGE="en")
    assert "An administrative offence protocol was drawn up" in filled.content.decode()
    # Both texts are filled: what was done, and the answer to the reporter.
    for name in ("text", "public_text"):
        textarea = re.search(rf'<textarea name="{name}"[^>]*>([^<]*)</textarea>', filled.content.decode())
        assert textarea and textarea.group(1).strip() == chosen.text_en.strip(), name
