"""The results summary as another app's document prints it (lib.plugins' summary_reader, declared by
reporting: the board's meeting pack): the summary's own text and table, in the language asked."""

from datetime import date

import pytest
from django.utils import translation

from lib.plugins import summary_document
from reporting.figures import Request, compute
from reporting.output import summary_text
from reporting.tests import facts
from reporting.tests.facts import ALGA, local

pytestmark = pytest.mark.django_db
PERIOD = (date(2025, 1, 1), date(2025, 9, 30), date(2025, 10, 16))


@pytest.fixture
def reports():
    for day in (3, 4, 5):
        facts.submit(local(2025, 3, day), kato=ALGA)


def test_it_is_the_summarys_own_text_and_table(reports):
    document = summary_document(facts.region().pk, *PERIOD, "ru")
    assert document["as_of"] == date(2025, 10, 16)
    request = Request.make(region=facts.region(), start=PERIOD[0], end=PERIOD[1], as_of=PERIOD[2])
    with translation.override("ru"):
        summary = compute(request)
        text = summary_text(summary, "ru")
    assert document["title"] in text
    assert any("поступило 3 обращения" in paragraph for paragraph in document["paragraphs"])
    for paragraph in document["paragraphs"]:
        assert paragraph in text
    (table,) = document["tables"]
    assert table["head"][0] == "Показатель"
    assert len(table["rows"]) == len(summary.figures)
    received = next(
        row for row, figure in zip(table["rows"], summary.figures, strict=True) if figure.code == "fsm.reports.received"
    )
    assert received[1] == "3"


def test_it_says_why_when_the_period_cannot_be_summarised():
    document = summary_document(facts.region().pk, date(1990, 1, 1), date(1990, 3, 31), date(1990, 4, 1), "en")
    assert document["tables"] == []
    assert "Choose dates from" in document["paragraphs"][0]
