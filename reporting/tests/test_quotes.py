"""The texts the apps give the summary's areas (lib.plugins summary_quotes): asked for with the
summary's window and language, put after the sentences of their area's paragraph (or in a paragraph
of their own), kept as they read in a frozen version, written in the plain text and the page that
may be published (without their links)."""

from datetime import date

import pytest

from lib.metrics import Area
from reporting import figures, output
from reporting.figures import Request, compute, quotes
from reporting.frozen import paragraphs_read, paragraphs_stored
from reporting.sentences import narrative
from reporting.tests import facts
from reporting.tests.facts import ALGA, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(monkeypatch):
    """A provider standing for an app's: it records what it was asked and quotes one text per area."""
    calls = []

    def provider(window, language):
        calls.append((window, language))
        return [
            {"area": Area.FSM_SOCIAL, "text": f"FSM ({language})", "link": "/q/1/"},
            {"area": Area.CHILDREN, "text": f"Children ({language})", "link": "/q/2/"},
        ]

    monkeypatch.setattr(figures, "summary_quotes", lambda: [provider])
    return calls


@pytest.fixture
def summary():
    for day in (3, 4):
        facts.submit(local(2025, 3, day), kato=ALGA)
    return compute(Request.make(region=facts.region(), start=date(2025, 1, 1), end=date(2025, 9, 30)))


def test_it_asks_the_apps_with_the_summarys_window_and_language(asked, summary):
    found = quotes(summary.request, "ru")
    window, language = asked[0]
    assert language == "ru" and window.region_id == facts.region().pk and window.district_ids is None
    assert window.first_day == date(2025, 1, 1) and window.end_day == date(2025, 10, 1)
    assert [quote["text"] for quote in found] == ["FSM (ru)", "Children (ru)"]


def test_a_quote_follows_its_areas_sentences_or_makes_a_paragraph_of_its_own(asked, summary):
    paragraphs = narrative(summary.figures, "ru", quotes=quotes(summary.request, "ru"))
    assert [paragraph.title for paragraph in paragraphs] == [
        "FSM Social",
        "Права детей и подростковая преступность",
    ]
    fsm, children = paragraphs
    assert fsm.sentences and [quote["text"] for quote in fsm.quotes] == ["FSM (ru)"]
    assert children.sentences == [] and [quote["link"] for quote in children.quotes] == ["/q/2/"]
    assert narrative(summary.figures, "ru")[0].quotes == []  # nothing asked, nothing quoted


def test_a_frozen_text_keeps_its_quotes_and_an_older_one_reads_without(asked, summary):
    paragraphs = narrative(summary.figures, "en", quotes=quotes(summary.request, "en"))
    stored = paragraphs_stored(paragraphs)
    assert paragraphs_read(stored) == paragraphs
    older = [{"title": item["title"], "linked": item["linked"]} for item in stored]
    assert all(paragraph.quotes == [] for paragraph in paragraphs_read(older))


def test_the_text_and_the_published_page_quote_them_without_links(asked, summary):
    text = output.summary_text(summary, "en")
    assert "“FSM (en)”" in text and "“Children (en)”" in text
    assert "«FSM (ru)»" in output.summary_text(summary, "ru")
    page = output.summary_html(summary, "en")
    assert "FSM (en)" in page and "/q/1/" not in page
