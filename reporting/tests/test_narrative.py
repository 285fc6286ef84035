"""The summary's text from the records (reporting.sentences.narrative): the apps' sentences, copied
into the catalogue when migrating, filled from a real summary in kk, ru and en, areas without data
left out; a sentence edited in the admin refused when its language cannot fill it."""

from datetime import date

import pytest
from django.core.management import call_command

from reporting.figures import Request, compute
from reporting.models import SentenceTemplate
from reporting.sentences import narrative
from reporting.tests import facts
from reporting.tests.facts import ALGA, TEMIR, local

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


@pytest.fixture
def summary():
    for day in (3, 4, 5):
        report = facts.submit(local(2025, 3, day), kato=ALGA)
        facts.answer(report, local(2025, 3, day + 1))
    facts.submit(local(2024, 3, 3), kato=TEMIR)
    return compute(Request.make(region=facts.region(), start=date(2025, 1, 1), end=date(2025, 12, 31)))


def test_it_copies_the_apps_sentences_into_the_catalogue():
    codes = set(SentenceTemplate.objects.values_list("code", flat=True))
    assert {"fsm.received", "fsm.answers", "fsm.acts"} <= codes


def test_it_writes_the_fsm_paragraph_in_each_language_and_leaves_out_what_has_no_data(summary):
    russian = narrative(summary.figures, "ru")
    assert [paragraph.title for paragraph in russian] == ["FSM Social"]  # no other area has data
    text = " ".join(russian[0].sentences)
    assert "поступило 3 обращения, из них 3 направлено" in text
    assert "Рост числа обращений к прошлому году: 200" in text
    assert "Органы дали 3 ответа" in text
    assert "Внесено" not in text  # no act of response: the sentence is left out, never "0 актов"
    english = " ".join(narrative(summary.figures, "en")[0].sentences)
    assert "3 reports came in from citizens" in english and "rose by 200" in english
    kazakh = narrative(summary.figures, "kk")[0]
    assert kazakh.title == "FSM Social" and "3 өтініш түсті" in " ".join(kazakh.sentences)


def test_it_refuses_in_the_admin_a_sentence_its_language_cannot_fill(login):
    template = SentenceTemplate.objects.get(code="fsm.overdue")
    url = f"/admin/reporting/sentencetemplate/{template.pk}/change/"
    client = login("administrator")
    page = client.get(url)
    assert page.status_code == 200 and "preview" in page.content.decode().lower()
    form = {
        "order": template.order,
        "text_kk": template.text_kk,
        "text_ru": "Просрочено {fsm.reports.overdu|обращение}.",
        "text_en": template.text_en,
    }
    refused = client.post(url, form, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200 and "names no metric of the catalogue" in refused.content.decode()
    template.refresh_from_db()
    assert template.text_ru.startswith("На конец периода")  # what was saved stays
    accepted = client.post(url, form | {"text_ru": "Просрочено {fsm.reports.overdue|обращение}."})
    assert accepted.status_code == 302
    template.refresh_from_db()
    assert template.text_ru == "Просрочено {fsm.reports.overdue|обращение}."


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_it_writes_the_summary_as_a_standalone_page_in_each_language(summary, language, tmp_path):
    output = tmp_path / "summary.html"
    call_command(
        "board_summary",
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--lang",
        language,
        "--format",
        "html",
        "--output",
        str(output),
    )
    page = output.read_text(encoding="utf-8")
    assert f'<html lang="{language}">' in page
    expected = {"kk": "3 өтініш түсті", "ru": "поступило 3 обращения", "en": "3 reports came in"}[language]
    assert expected in page and "<table>" in page
    assert "http://" not in page and "https://" not in page  # nothing fetched, no link out
    assert "/reporting/" not in page  # no provenance link in what may be published
