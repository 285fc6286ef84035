"""The results summary's charts as Vega-Lite specifications: one source for the page (vega-embed,
evaluated by vega-interpreter so the CSP needs no eval) and the documents (rendered here to SVG and
PNG by vl-convert). A spec is complete: its data inline, its titles and labels already in the
reader's language, its numbers in that language's separators (config.locale), its font one that
carries the Kazakh letters (DejaVu Sans; registered with vl-convert once per process).

A chart with nothing to draw says so in a text mark ("no data"), never as an empty frame.
"""

from dataclasses import dataclass
from functools import cache

import vl_convert
from django.utils import translation
from django.utils.translation import gettext as _

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
