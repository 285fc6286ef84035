"""The summary's charts (reporting.charts): their Vega-Lite specs rendered by vl-convert to SVG in
kk, ru and en with that language's labels and letters, PNG for the DOCX, and "no data" where there
is nothing to draw."""

import re
from datetime import date
from html import unescape

import pytest
from django.utils import translation

from reporting.charts import (
    SCHEMA,
    headline_code,
    no_data_chart,
    render_png,
    render_svg,
    summary_charts,
)
from reporting.figures import Request, compute
from reporting.tests import facts
from reporting.tests.facts import ALGA, TEMIR, local

pytestmark = pytest.mark.django_db
KEYS = ["change_by_area", "monthly_trend", "districts_compared"]
KAZAKH_LETTERS = set("әғқңөұүһі")

# What each chart's SVG says in each language: a translated title or axis title.
SAID = {
    "kk": {"change_by_area": "Өзгеріс, %", "monthly_trend": "Ай", "districts_compared": "Аудан"},
    "ru": {"change_by_area": "Изменение, %", "monthly_trend": "Месяц", "districts_compared": "Район"},
    "en": {"change_by_area": "Change, %", "monthly_trend": "Month", "districts_compared": "District"},
}
MARCH = {"kk": "нау.", "ru": "март", "en": "Mar"}


@pytest.fixture
def reports():
    """Three reports in one district and one in another in March 2025; two in March 2024 (the base)."""
    for day in (3, 4, 5):
        facts.submit(local(2025, 3, day), kato=ALGA)
    facts.submit(local(2025, 3, 6), kato=TEMIR)
    for day in (3, 4):
        facts.submit(local(2024, 3, day), kato=ALGA)


def summary_in(language, *, start=date(2025, 1, 1), end=date(2025, 6, 30)):
    request = Request.make(region=facts.region(), start=start, end=end, as_of=end)
    with translation.override(language):
        return compute(request)


def svg_text(svg: str) -> str:
    """The words an SVG shows: vl-convert writes each label as a <text> element."""
    return " ".join(unescape(text) for text in re.findall(r"<text[^>]*>([^<]*)</text>", svg))


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_it_renders_each_chart_to_svg_in_the_language_asked(reports, language):
    charts = summary_charts(summary_in(language), language)
    assert [chart.key for chart in charts] == KEYS
    for chart in charts:
        assert not chart.empty, chart.key
        assert chart.spec["$schema"] == SCHEMA and chart.spec["config"]["font"] == "DejaVu Sans"
        words = svg_text(render_svg(chart.spec))
        assert chart.title in words, chart.key
        assert SAID[language][chart.key] in words, chart.key
        if language == "kk":
            assert KAZAKH_LETTERS & set(words), chart.key
    trend = svg_text(render_svg(charts[1].spec))
    assert MARCH[language] in trend and "2025" in trend and "2024" in trend


def test_it_draws_the_headline_figure_against_its_base_and_a_year_earlier(reports):
    summary = summary_in("en")
    assert headline_code(summary) == "fsm.reports.received"
    change, trend, districts = summary_charts(summary, "en")
    received = next(row for row in change.spec["data"]["values"] if row["change"] == 100.0)
    assert received["text"] == "+100%" and received["value"] == "4" and received["base"] == "2"
    march = {row["series"]: row["value"] for row in trend.spec["data"]["values"] if row["month"] == "Mar"}
    assert march == {"2025": 4, "2024": 2}
    assert len({row["month"] for row in trend.spec["data"]["values"]}) == 6  # January to June
    units = {row["unit"]: row for row in districts.spec["data"]["values"]}
    measured = "Per 10,000 population" if all(row["text"] != row["value"] for row in units.values()) else "Value"
    assert districts.spec["encoding"]["x"]["title"] == measured
    assert len([row for row in units.values() if row["value"] != "0"]) == 2


def test_it_draws_the_figures_asked(reports):
    summary = summary_in("en")
    charts = summary_charts(summary, "en", trend_code="fsm.answers.given", districts_code="fsm.reports.registered")
    # Nothing answered or registered: those charts have nothing to draw.
    assert [chart.empty for chart in charts] == [False, True, True]


def test_a_summary_without_data_says_no_data_in_every_chart():
    summary = summary_in("en", start=date(2025, 1, 1), end=date(2025, 3, 31))
    for chart in summary_charts(summary, "en"):
        assert chart.empty
        words = svg_text(render_svg(chart.spec))
        assert "No data" in words and chart.title in words


def test_the_no_data_chart_is_in_the_language_asked():
    chart = no_data_chart("monthly_trend", "Ай сайын", "kk")
    assert chart.empty and chart.spec["mark"]["type"] == "text"
    with translation.override("kk"):
        said = chart.spec["data"]["values"][0]["text"]
    assert said in svg_text(render_svg(chart.spec)) and "Ай сайын" in svg_text(render_svg(chart.spec))


def test_it_renders_png_for_the_docx(reports):
    charts = summary_charts(summary_in("kk"), "kk")
    for chart in charts:
        image = render_png(chart.spec)
        assert image.startswith(b"\x89PNG\r\n\x1a\n")
    small, large = render_png(charts[0].spec, scale=1.0), render_png(charts[0].spec, scale=2.0)
    assert _png_width(large) == 2 * _png_width(small)


def _png_width(image: bytes) -> int:
    return int.from_bytes(image[16:20], "big")
