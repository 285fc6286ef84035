"""The results summary's maps: the finest units of a region's summary coloured by the change of one
metric against its base, with the points the apps put on the map (lib.plugins `map_layers`:
signals' reports of public categories, supervision's social facilities).

One source for the page and the documents: `summary_map` reads the units and points, the page
draws them with Leaflet (tartip/static/js/summary-map.js) and `map_chart` as a Vega-Lite geoshape
spec that vl-convert renders (reporting.charts). Both colour a unit by the same bands of the
change, so the page's legend and the document's say the same.

The finest units: a city and its city districts are never counted twice. The summary's breakdown
counts a city's districts in the city (reporting.figures.Units); where the city's districts have
shapes, the map draws them instead, each with its own figure (reporting.figures.by_own_district),
and not the city; else it draws the city. A unit without a shape is listed beside the map with its
figure; an approximate shape says so.

The change is the percent change of the unit's figure against its base; where the population is
known, the rate per 10,000 population is shown beside its base's rate. The district's population
is one figure for both periods, so the rate's change is the figure's change, and one colour scale
serves every unit, its population known or not.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from shapely.geometry import mapping, shape
from shapely.geometry.polygon import orient

from accounts.models import District
from lib.metrics import COUNTED_UNITS
from lib.plugins import map_layers

from .charts import Chart, base_spec, no_data_chart
from .figures import Figure, Part, Summary, Units, by_own_district, rate_per_population, window_of
from .numbers import NOT_AVAILABLE, number_text
from .output import value_text

CHART_KEY = "map"
# The bands of the percent change, lower bounds excluded: [-inf, -50), [-50, -20) ... [50, inf).
BANDS = (Decimal(-50), Decimal(-20), Decimal(-5), Decimal(5), Decimal(20), Decimal(50))
# ColorBrewer's RdBu, a fall first: red where a change is bad, blue where it is good.
FALL_BAD = ("#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac")
RISE_BAD = tuple(reversed(FALL_BAD))
# PuOr, for a metric whose rise is neither good nor bad (reports received).
NEITHER = ("#b35806", "#f1a340", "#fee0b6", "#f7f7f7", "#d8daeb", "#998ec3", "#542788")
NO_COMPARISON = "#d9d9d9"
# The apps' points by their layer's place (tartip.css colours the page's swatches the same).
POINT_COLOURS = ("#0b2545", "#1b7f3b", "#8a3ffc", "#c77700")
CHART_HEIGHT = 460


@dataclass(frozen=True)
class MapUnit:
    """One unit the map colours (or lists, without a shape), with its figure beside its base."""

    kato: str
    name: str
    kind: str
    value: int | Decimal | None
    base: int | Decimal | None
    change_percent: Decimal | None
    rate: Decimal | None  # per 10,000 population, where it is known and the figure is counted
    base_rate: Decimal | None
    boundary: dict | None  # GeoJSON geometry
    approximate: bool
    centre: tuple[float, float] | None  # (lat, lon)
    band: int | None  # the index of the change's band in BANDS' colours; None: no comparison


@dataclass
class SummaryMap:
    """What a map of one figure of a summary shows, in one language."""

    code: str
    name: str
    unit: str
    rise_is_good: bool | None
    language: str
    units: list[MapUnit]
    layers: list[dict]  # the apps' points: {"key", "label", "points": [{"lat", "lon", "label"}]}
    remainders: list[str] = field(default_factory=list)  # a split city's rows in no city district

    @property
    def drawn(self) -> list[MapUnit]:
        return [unit for unit in self.units if unit.boundary]

    @property
    def without_shape(self) -> list[MapUnit]:
        """The units listed beside the map: no shape to draw."""
        return [unit for unit in self.units if not unit.boundary]

    @property
    def approximate(self) -> bool:
        return any(unit.approximate for unit in self.drawn)

    @property
    def empty(self) -> bool:
        """Nothing to draw: no shape, or no figure for any unit."""
        return not self.drawn or all(unit.value is None for unit in self.units)

    @property
    def colours(self) -> tuple[str, ...]:
        if self.rise_is_good is None:
            return NEITHER
        return FALL_BAD if self.rise_is_good else RISE_BAD

    def colour(self, unit: MapUnit) -> str:
        return NO_COMPARISON if unit.band is None else self.colours[unit.band]

    @property
    def notes(self) -> list[str]:
        """What a reader must know beside the map, in its language: approximate shapes, the units
        without a shape (with their figures), rows a city holds outside its drawn districts."""
        with translation.override(self.language):
            notes = []
            if self.approximate:
                notes.append(
                    _(
                        "District shapes are approximate (cells around each district centre, clipped to the "
                        "region's outline) until official boundaries are loaded."
                    )
                )
            if self.without_shape:
                listed = ", ".join(
                    f"{unit.name} ({self.value_text(unit)}, {self.change_text(unit)})" for unit in self.without_shape
                )
                notes.append(_("No shape yet, not drawn: %(units)s.") % {"units": listed})
            return notes + self.remainders

    def value_text(self, unit: MapUnit) -> str:
        return value_text(unit.value, self.unit, self.language)

    def change_text(self, unit: MapUnit) -> str:
        return signed_percent(unit.change_percent, self.language)

    def legend(self) -> list[dict]:
        """The bands as the legend names them, with their colours (and "no comparison")."""
        with translation.override(self.language):
            return [
                {"label": label, "colour": colour} for label, colour in zip(band_labels(), self.colours, strict=True)
            ] + [{"label": _("no comparison"), "colour": NO_COMPARISON}]


def signed_percent(value, language: str) -> str:
    """A change as the map writes it: +12.5 %, −3 %, 0 %."""
    if value is None:
        return str(NOT_AVAILABLE)
    text = f"{number_text(abs(value), language)} %"
    return f"+{text}" if value > 0 else f"−{text}" if value < 0 else text


def band_labels() -> list[str]:
    edges = [f"{'+' if edge > 0 else '−' if edge < 0 else ''}{abs(edge)}" for edge in BANDS]
    labels = [f"< {edges[0]} %"]
    labels += [f"{low} … {high} %" for low, high in zip(edges, edges[1:], strict=False)]
    return [*labels, f"> {edges[-1]} %"]


def band_of(change: Decimal | None) -> int | None:
    if change is None:
        return None
    return sum(1 for edge in BANDS if change >= edge)


# --- which figure, which units ------------------------------------------------------------------


def mappable_figures(summary: Summary) -> list[Figure]:
    """The summary's figures a map may draw: those broken down by district (a region's summary)."""
    if summary.request.region is None:
        return []
    return [figure for figure in summary.figures if figure.by_district]


def chosen_figure(summary: Summary, code: str | None = None) -> Figure | None:
    """The figure of `code`, if the map may draw it; without a code, the first counted figure with
    a value somewhere, else the first the map may draw; None when there is none."""
    figures = mappable_figures(summary)
    if code:
        return next((figure for figure in figures if figure.code == code), None)
    counted = [figure for figure in figures if figure.unit in COUNTED_UNITS]
    return next((figure for figure in counted if any(part.value for part in figure.by_district)), None) or next(
        iter(figures), None
    )


def finest_parts(summary: Summary, figure: Figure) -> tuple[list[tuple[District, Part]], list[Part]]:
    """The figure's parts by the finest units, each unit once, with its district; and the parts of
    the cities drawn as their districts (the city's own rows, in none of its districts)."""
    request = summary.request
    districts = {district.pk: district for district in District.objects.filter(region=request.region)}
    units = Units(request.region, request.district_ids)
    children = {}
    for pk in units.in_scope:
        top = units.unit_of(pk)
        if top != pk:
            children.setdefault(top, []).append(districts[pk])
    split = {top for top, parts in children.items() if any(child.boundary for child in parts)}
    own = {part.key: part for part in by_own_district(request, figure.code)} if split else {}
    by_unit = {part.key: part for part in figure.by_district}
    found, remainders = [], []
    for unit in units.units:
        district = districts[unit.pk]
        if unit.pk not in split:
            found.append((district, by_unit[district.kato]))
            continue
        for child in sorted(children[unit.pk], key=lambda child: child.kato):
            found.append((child, own[child.kato]))
        remainders.append(own[district.kato])
    return found, remainders


def _map_unit(district: District, part: Part, unit: str) -> MapUnit:
    rate = part.rate if unit in COUNTED_UNITS else None
    base_rate = rate_per_population(part.base, district.population) if rate is not None else None
    centre = None
    if district.centre_lat is not None and district.centre_lon is not None:
        centre = (float(district.centre_lat), float(district.centre_lon))
    return MapUnit(
        kato=district.kato,
        name=district.name,
        kind=district.kind,
        value=part.value,
        base=part.base,
        change_percent=part.change_percent,
        rate=rate,
        base_rate=base_rate,
        boundary=district.boundary or None,
        approximate=bool(district.boundary) and district.boundary_approximate,
        centre=centre,
        band=band_of(part.change_percent),
    )


def summary_map(summary: Summary, language: str, code: str | None = None, *, points: bool = True) -> SummaryMap | None:
    """The map of one figure of the summary (`code`; none: chosen_figure's), in `language`: its
    finest units and, unless `points` is false, the apps' points of the summary's period as of its
    day. None when the summary has no figure the map may draw."""
    figure = chosen_figure(summary, code)
    if figure is None:
        return None
    found, remainders = finest_parts(summary, figure)
    with translation.override(language):
        units = [_map_unit(district, part, figure.unit) for district, part in found]
        held = [
            _("%(city)s: %(value)s recorded in the city without one of its districts, not drawn.")
            % {"city": part.label, "value": value_text(part.value, figure.unit, language)}
            for part in remainders
            if part.value
        ]
        request = summary.request
        layers = map_layers(window_of(request, request.period, request.as_of), language) if points else []
    return SummaryMap(figure.code, figure.name, figure.unit, figure.rise_is_good, language, units, layers, held)


def map_notes(
    summary: Summary, language: str, code: str | None = None, *, prepared: SummaryMap | None = None
) -> list[str]:
    """The sentences a document prints beside the map (SummaryMap.notes); none without a map."""
    drawn = prepared or summary_map(summary, language, code, points=False)
    return drawn.notes if drawn is not None else []


# --- as GeoJSON, for the page ---------------------------------------------------------------------


def as_geojson(drawn: SummaryMap) -> dict:
    """The units with a shape as a FeatureCollection whose properties carry what the page shows:
    the name, the figure, base, change and rates as text, and the band's colour."""
    language = drawn.language
    features = []
    for unit in drawn.drawn:
        features.append(
            {
                "type": "Feature",
                "geometry": unit.boundary,
                "properties": {
                    "kato": unit.kato,
                    "name": unit.name,
                    "fill": drawn.colour(unit),
                    "value": drawn.value_text(unit),
                    "base": value_text(unit.base, drawn.unit, language),
                    "change": drawn.change_text(unit),
                    "rate": number_text(unit.rate, language) if unit.rate is not None else "",
                    "base_rate": number_text(unit.base_rate, language) if unit.base_rate is not None else "",
                    "approximate": unit.approximate,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def page_data(drawn: SummaryMap) -> dict:
    """Everything the page's script draws: the shapes, the legend, the points, the notes, the
    table's rows (text only: the script sets it as text, never as HTML)."""
    with translation.override(drawn.language):
        return {
            "code": drawn.code,
            "title": drawn.name,
            "shapes": as_geojson(drawn),
            "legend": drawn.legend(),
            "layers": [
                {**layer, "colour": POINT_COLOURS[index % len(POINT_COLOURS)]}
                for index, layer in enumerate(drawn.layers)
            ],
            "notes": drawn.notes,
            "rows": table_rows(drawn),
        }


def table_rows(drawn: SummaryMap) -> list[dict]:
    language = drawn.language
    return [
        {
            "kato": unit.kato,
            "name": unit.name,
            "value": drawn.value_text(unit),
            "base": value_text(unit.base, drawn.unit, language),
            "change": drawn.change_text(unit),
            "rate": number_text(unit.rate, language) if unit.rate is not None else "",
            "base_rate": number_text(unit.base_rate, language) if unit.base_rate is not None else "",
            "colour": drawn.colour(unit),
            "shape": "" if unit.boundary else str(_("no shape")),
        }
        for unit in drawn.units
    ]


# --- as a Vega-Lite chart, for the documents --------------------------------------------------------


def _clockwise(geometry: dict) -> dict:
    """The shape with its outer rings clockwise, as d3-geo (Vega) reads a polygon: GeoJSON's
    counter-clockwise rings would cover the whole globe but the unit."""
    return mapping(orient(shape(geometry), sign=-1.0)) if geometry["type"] == "Polygon" else _multi(geometry)


def _multi(geometry: dict) -> dict:
    if geometry["type"] != "MultiPolygon":
        return geometry
    parts = [mapping(orient(polygon, sign=-1.0))["coordinates"] for polygon in shape(geometry).geoms]
    return {"type": "MultiPolygon", "coordinates": parts}


def _chart_title(name: str) -> str:
    return _("%(metric)s: change against the base, by district") % {"metric": name}


def map_chart(summary: Summary, language: str, code: str | None = None, *, prepared: SummaryMap | None = None) -> Chart:
    """The map as a Vega-Lite spec (geoshapes coloured by the change's band, the units' names and
    changes at their centres, the apps' points above), in `language`; the no-data chart when there
    is nothing to draw. `prepared`: a summary_map already read (the documents print its notes)."""
    drawn = prepared or summary_map(summary, language, code)
    with translation.override(language):
        if drawn is None:
            return no_data_chart(CHART_KEY, _("Map of the districts"), language)
        title = _chart_title(drawn.name)
        if drawn.empty:
            return no_data_chart(CHART_KEY, title, language)
        legend = drawn.legend()
        shapes = [
            {
                "type": "Feature",
                "geometry": _clockwise(unit.boundary),
                "properties": {
                    "name": unit.name,
                    "band": legend[unit.band]["label"] if unit.band is not None else legend[-1]["label"],
                    "value": drawn.value_text(unit),
                    "change": drawn.change_text(unit),
                },
            }
            for unit in drawn.drawn
        ]
        # A unit's name at its centre, its change under it where there is one.
        labels = [
            {
                "lat": unit.centre[0],
                "lon": unit.centre[1],
                "text": [unit.name, *([drawn.change_text(unit)] if unit.change_percent is not None else [])],
            }
            for unit in drawn.drawn
            if unit.centre is not None
        ]
        points = [
            {"lat": point["lat"], "lon": point["lon"], "layer": layer["label"], "label": point["label"]}
            for layer in drawn.layers
            for point in layer["points"]
        ]
        spec = base_spec(title, language)
        spec.update(
            {
                "height": CHART_HEIGHT,
                "projection": {"type": "mercator"},
                "layer": [
                    _shapes_layer(shapes, legend, _("Change against the base")),
                    _labels_layer(labels),
                    *([_points_layer(points, drawn.layers, _("On the map"))] if points else []),
                ],
                "resolve": {"scale": {"color": "independent"}, "legend": {"color": "independent"}},
            }
        )
        return Chart(key=CHART_KEY, title=title, spec=spec, empty=False)


def _shapes_layer(shapes: list[dict], legend: list[dict], title: str) -> dict:
    return {
        "data": {"values": shapes},
        "mark": {"type": "geoshape", "stroke": "#555555", "strokeWidth": 0.6},
        "encoding": {
            "color": {
                "field": "properties.band",
                "type": "ordinal",
                "scale": {"domain": [band["label"] for band in legend], "range": [band["colour"] for band in legend]},
                "legend": {"title": title},
            },
            "tooltip": [{"field": "properties.name"}, {"field": "properties.value"}, {"field": "properties.change"}],
        },
    }


def _labels_layer(labels: list[dict]) -> dict:
    return {
        "data": {"values": labels},
        "mark": {"type": "text", "fontSize": 9, "color": "#1a1a1a", "lineHeight": 11},
        "encoding": {
            "longitude": {"field": "lon", "type": "quantitative"},
            "latitude": {"field": "lat", "type": "quantitative"},
            "text": {"field": "text"},
        },
    }


def _points_layer(points: list[dict], layers: list[dict], title: str) -> dict:
    return {
        "data": {"values": points},
        "mark": {"type": "circle", "size": 22, "opacity": 0.85, "stroke": "#ffffff", "strokeWidth": 0.5},
        "encoding": {
            "longitude": {"field": "lon", "type": "quantitative"},
            "latitude": {"field": "lat", "type": "quantitative"},
            "color": {
                "field": "layer",
                "type": "nominal",
                "scale": {
                    "domain": [layer["label"] for layer in layers],
                    "range": [POINT_COLOURS[index % len(POINT_COLOURS)] for index in range(len(layers))],
                },
                "legend": {"title": title, "labelLimit": 320},
            },
            "tooltip": [{"field": "label"}],
        },
    }
