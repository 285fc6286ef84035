"""The results summary's charts as Vega-Lite specifications: one source for the page (vega-embed,
evaluated by vega-interpreter so the CSP needs no eval) and the documents (rendered here to SVG and
PNG by vl-convert). A spec is complete: its data inline, its titles and labels already in the
reader's language, its numbers in that language's separators (config.locale), its font one that
carries the Kazakh letters (DejaVu Sans; registered with vl-convert once per process).

A chart with nothing to draw says so in a text mark ("no data"), never as an empty frame.
"""

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

import vl_convert
from babel.dates import format_date
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lib.change import a_year_earlier
from lib.metrics import COUNTED_UNITS, Aggregation, Area, Kind, Source

from .figures import Figure, Summary
from .numbers import number_text, percent_text
from .output import value_text
from .series import metric_series, months

# The Vega-Lite the page's vendored bundle and vl-convert both speak.
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
VL_VERSION = "6.4"
FONT = "DejaVu Sans"
FONT_DIRECTORY = "/usr/share/fonts/truetype/dejavu"  # Debian's fonts-dejavu-core (the Makefile installs it)
WIDTH = 560

# d3-format's separators as the summary's tables write numbers (reporting.numbers, CLDR): a
# narrow space groups thousands and a comma marks decimals in Kazakh and Russian.
NUMBER_LOCALES = {
    "kk": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0₸"]},
    "ru": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0₸"]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["", " ₸"]},
}


@dataclass(frozen=True)
class Chart:
    """One chart: `key` names it (change_by_area, monthly_trend, districts_compared), `title` is in
    the reader's language, `spec` is the whole Vega-Lite specification; `empty` when it only says
    that there is no data."""

    key: str
    title: str
    spec: dict
    empty: bool

    @property
    def spec_json(self) -> str:
        """The spec as the page carries it, in an attribute: htmx drops the script elements it swaps
        in (allowScriptTags off), json_script's among them, so a swapped preview keeps its specs."""
        return json.dumps(self.spec, ensure_ascii=False, default=str)


def base_spec(title: str, language: str) -> dict:
    """What every chart's spec carries: the schema, the title, the font, the language's numbers."""
    return {
        "$schema": SCHEMA,
        "title": {"text": title, "anchor": "start"},
        "width": WIDTH,
        "config": {
            "font": FONT,
            "locale": {"number": NUMBER_LOCALES.get(language, NUMBER_LOCALES["en"])},
            "view": {"stroke": None},
            "axis": {"labelFontSize": 11, "titleFontSize": 12},
            "title": {"fontSize": 14},
        },
    }


def no_data_chart(key: str, title: str, language: str) -> Chart:
    """A chart that has nothing to draw: its title and "no data" in a text mark."""
    with translation.override(language):
        spec = base_spec(title, language)
        spec.update(
            {
                "height": 60,
                "data": {"values": [{"text": _("No data")}]},
                # In the middle of the frame, whatever width the page gives it.
                "mark": {
                    "type": "text",
                    "fontSize": 14,
                    "color": "#555555",
                    "align": "center",
                    "baseline": "middle",
                    "x": {"expr": "width / 2"},
                    "y": {"expr": "height / 2"},
                },
                "encoding": {"text": {"field": "text", "type": "nominal"}},
            }
        )
        return Chart(key=key, title=title, spec=spec, empty=True)


@cache
def _fonts_registered() -> bool:
    """vl-convert knows the system's fonts only through the directories registered with it; once
    per process is enough."""
    vl_convert.register_font_directory(FONT_DIRECTORY)
    return True


def render_svg(spec: dict) -> str:
    """The chart as SVG (the PDF embeds it): its text as <text> elements in DejaVu Sans."""
    _fonts_registered()
    return vl_convert.vegalite_to_svg(spec, vl_version=VL_VERSION)


def render_png(spec: dict, scale: float = 2.0) -> bytes:
    """The chart as PNG (the DOCX embeds it), `scale` times its size in pixels."""
    _fonts_registered()
    return vl_convert.vegalite_to_png(spec, vl_version=VL_VERSION, scale=scale)


# --- the summary's three charts ----------------------------------------------------------------

# A change that is good news, bad news, or neither (a rise neither good nor bad, or no change).
BETTER, WORSE, NEITHER = "#2e7d32", "#c62828", "#8a8f98"
PERIOD_COLOUR, BASE_COLOUR = "#1d4e89", "#9aa9bd"


def summary_charts(summary: Summary, language: str, *, trend_code: str = "", districts_code: str = "") -> list[Chart]:
    """The summary's charts, the page's and the documents' alike, in `language`: the change of each
    area's figures against the base, a figure month by month against a year earlier, and the
    districts compared on a figure (`trend_code`, `districts_code`; default: the headline figure).
    The figures' names are the summary's: read it in `language` (reporting.selectors.read)."""
    return [
        change_by_area_chart(summary, language),
        monthly_trend_chart(summary, language, code=trend_code),
        districts_compared_chart(summary, language, code=districts_code),
    ]


def headline_code(summary: Summary) -> str:
    """The figure a chart shows when none is asked: the first counted flow of the summary that has
    a value (the reports received, as the catalogue orders its areas), else the first counted flow;
    "" when the summary has none."""
    counted = [
        figure
        for figure in summary.figures
        if figure.kind == Kind.FLOW
        and figure.unit in COUNTED_UNITS
        and figure.aggregation == Aggregation.SUM
        and figure.source == Source.COMPUTED
    ]
    chosen = next((figure for figure in counted if figure.value), counted[0] if counted else None)
    return chosen.code if chosen else ""


def _figure(summary: Summary, code: str) -> Figure | None:
    return next((figure for figure in summary.figures if figure.code == code), None)


def _number(value) -> float:
    """A number as the spec's JSON carries it (Decimal is not JSON)."""
    return float(value) if isinstance(value, Decimal) else value


def _direction(figure: Figure, change) -> str:
    if not change or figure.rise_is_good is None:
        return pgettext("a change", "neither better nor worse")
    return pgettext("a change", "better") if (change > 0) == figure.rise_is_good else pgettext("a change", "worse")


def _signed_percent(value, language: str) -> str:
    text = percent_text(value, language)
    return f"+{text}" if value is not None and value > 0 else text


def change_by_area_chart(summary: Summary, language: str) -> Chart:
    """Each area's figures, their percent change against the base as horizontal bars, coloured by
    whether the change is good news (lib.metrics' rise_is_good). Only figures with a percent change
    (none on a base of 0, none for flows against a base of another length)."""
    with translation.override(language):
        title = _("Change against the base, by area")
        areas = dict(Area.choices)
        rows = [
            {
                "area": str(areas.get(figure.area, figure.area)),
                "metric": figure.name,
                "change": _number(figure.change_percent),
                "text": _signed_percent(figure.change_percent, language),
                "value": value_text(figure.value, figure.unit, language),
                "base": value_text(figure.base, figure.unit, language),
                "direction": _direction(figure, figure.change_percent),
            }
            for figure in summary.figures
            if figure.change_percent is not None
        ]
        if not rows:
            return no_data_chart("change_by_area", title, language)
        directions = _directions()
        spec = base_spec(title, language)
        width = spec.pop("width")
        spec.update(
            {
                "data": {"values": rows},
                "facet": {
                    "row": {
                        "field": "area",
                        "type": "nominal",
                        "sort": list(dict.fromkeys(row["area"] for row in rows)),
                        "title": None,
                        "header": {"labelAngle": 0, "labelOrient": "top", "labelAnchor": "start", "labelFontSize": 12},
                    }
                },
                "resolve": {"scale": {"y": "independent"}},
                "spacing": 8,
                "spec": {
                    "width": width - 260,
                    "height": {"step": 18},
                    "encoding": {
                        "y": {"field": "metric", "type": "nominal", "sort": None, "title": None},
                        "x": {"field": "change", "type": "quantitative", "title": _("Change, %")},
                    },
                    "layer": [
                        {
                            "mark": {"type": "bar"},
                            "encoding": {
                                "color": {
                                    "field": "direction",
                                    "type": "nominal",
                                    "title": _("Change"),
                                    "scale": {"domain": directions, "range": [BETTER, WORSE, NEITHER]},
                                    "legend": {"orient": "top"},
                                },
                                "tooltip": [
                                    {"field": "metric", "title": _("Metric")},
                                    {"field": "value", "title": _("Value")},
                                    {"field": "base", "title": _("Base")},
                                    {"field": "text", "title": _("Change, %")},
                                ],
                            },
                        },
                        {
                            # The percent beside its bar, as the table writes it.
                            "mark": {
                                "type": "text",
                                "fontSize": 10,
                                "align": {"expr": "datum.change < 0 ? 'right' : 'left'"},
                                "dx": {"expr": "datum.change < 0 ? -3 : 3"},
                            },
                            "encoding": {"text": {"field": "text"}},
                        },
                    ],
                },
                "config": {**spec["config"], "axisY": {"labelLimit": 250}},
            }
        )
        return Chart(key="change_by_area", title=title, spec=spec, empty=False)


def _directions() -> list[str]:
    return [
        pgettext("a change", "better"),
        pgettext("a change", "worse"),
        pgettext("a change", "neither better nor worse"),
    ]


def _years(start: date, end: date) -> str:
    return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"


def monthly_trend_chart(summary: Summary, language: str, *, code: str = "") -> Chart:
    """A figure month by month over the period (each month as the summary reads it: as of its "as
    of" day at the latest) beside the same months a year earlier, from reporting.series. `code`:
    the figure; default the headline figure (headline_code)."""
    with translation.override(language):
        title = _("Month by month, against a year earlier")
        request = summary.request
        figure = _figure(summary, code or headline_code(summary))
        if figure is None or request.region is None:
            return no_data_chart("monthly_trend", title, language)
        period, as_of = request.period, request.as_of
        earlier = a_year_earlier(period.start), a_year_earlier(period.end)
        current = _points(summary, figure.code, period.start, period.end, as_of, language)
        previous = _points(summary, figure.code, *earlier, a_year_earlier(as_of), language)
        shown = months(period.start, min(period.end, as_of))
        if not any(current.values()) and not any(previous.values()):
            return no_data_chart("monthly_trend", title, language)
        pattern = "LLL" if period.start.year == period.end.year else "LLL y"
        labels = [format_date(month, pattern, locale=language) for month in shown]
        now, before = _years(period.start, period.end), _years(*earlier)
        rows = []
        for month, label in zip(shown, labels, strict=True):
            for series, value in ((now, current.get(month)), (before, previous.get(a_year_earlier(month)))):
                if value is not None:
                    text = value_text(value, figure.unit, language)
                    rows.append({"month": label, "series": series, "value": _number(value), "text": text})
        spec = base_spec(title, language)
        spec["title"]["subtitle"] = figure.name
        spec.update(
            {
                "height": 220,
                "data": {"values": rows},
                "mark": {"type": "line", "point": True, "strokeWidth": 2},
                "encoding": {
                    "x": {
                        "field": "month",
                        "type": "ordinal",
                        "sort": labels,
                        "title": _("Month"),
                        "axis": {"labelAngle": 0},
                    },
                    "y": {"field": "value", "type": "quantitative", "title": _("Value"), "axis": _axis(figure)},
                    "color": {
                        "field": "series",
                        "type": "nominal",
                        "title": None,
                        "sort": [now, before],
                        "scale": {"domain": [now, before], "range": [PERIOD_COLOUR, BASE_COLOUR]},
                        "legend": {"orient": "top"},
                    },
                    "strokeDash": {
                        "field": "series",
                        "type": "nominal",
                        "scale": {"domain": [now, before], "range": [[1, 0], [5, 3]]},
                        "legend": None,
                    },
                    "tooltip": [
                        {"field": "series", "title": _("Period")},
                        {"field": "month", "title": _("Month")},
                        {"field": "text", "title": _("Value")},
                    ],
                },
            }
        )
        return Chart(key="monthly_trend", title=title, spec=spec, empty=False)


def _axis(figure: Figure) -> dict:
    """A count's axis ticks whole numbers only (no "0.5 reports")."""
    return {"tickMinStep": 1, "format": ",d"} if figure.unit in COUNTED_UNITS else {}


def _points(summary: Summary, code: str, start: date, end: date, as_of: date, language: str) -> dict:
    """month -> the figure's value that month in the summary's region and districts."""
    request = summary.request
    series = metric_series(
        request.region.pk, [code], start, end, language, district_ids=request.district_ids, as_of=as_of
    )
    return {point["month"]: point["value"] for entry in series for point in entry["points"]}


def districts_compared_chart(summary: Summary, language: str, *, code: str = "") -> Chart:
    """A figure in each district of the summary (each region in a national summary): the rate per
    10,000 population where every one's population is known (a count), else the value. `code`: the
    figure; default the headline figure (headline_code)."""
    with translation.override(language):
        national = summary.request.region is None
        title = _("Regions compared") if national else _("Districts compared")
        figure = _figure(summary, code or headline_code(summary))
        parts = [part for part in figure.by_district if part.value is not None] if figure else []
        by_rate = bool(parts) and all(part.rate is not None for part in parts)
        measures = [(part, part.rate if by_rate else part.value) for part in parts]
        if not any(measure for _part, measure in measures):
            return no_data_chart("districts_compared", title, language)
        rows = [
            {
                "unit": part.label,
                "measure": _number(measure),
                "text": number_text(measure, language) if by_rate else value_text(measure, figure.unit, language),
                "value": value_text(part.value, figure.unit, language),
                "base": value_text(part.base, figure.unit, language),
                "change": _signed_percent(part.change_percent, language),
            }
            for part, measure in measures
        ]
        measure_title = _("Per 10,000 population") if by_rate else _("Value")
        spec = base_spec(title, language)
        spec["title"]["subtitle"] = figure.name
        spec.update(
            {
                "height": {"step": 20},
                "data": {"values": rows},
                "encoding": {
                    "y": {
                        "field": "unit",
                        "type": "nominal",
                        "sort": "-x",
                        "title": _("Region") if national else _("District"),
                        "axis": {"labelLimit": 200},
                    },
                    "x": {
                        "field": "measure",
                        "type": "quantitative",
                        "title": measure_title,
                        "axis": {} if by_rate else _axis(figure),
                    },
                },
                "layer": [
                    {
                        "mark": {"type": "bar", "color": PERIOD_COLOUR},
                        "encoding": {
                            "tooltip": [
                                {"field": "unit", "title": _("Region") if national else _("District")},
                                {"field": "text", "title": measure_title},
                                {"field": "value", "title": _("Value")},
                                {"field": "base", "title": _("Base")},
                                {"field": "change", "title": _("Change, %")},
                            ]
                        },
                    },
                    {
                        "mark": {"type": "text", "align": "left", "dx": 3, "fontSize": 10},
                        "encoding": {"text": {"field": "text"}},
                    },
                ],
            }
        )
        return Chart(key="districts_compared", title=title, spec=spec, empty=False)
