"""The results summary's figures: every metric of the catalogue for a period, "as of" a moment,
beside its comparison base (docs/metrics.md says what each number means).

Each metric group of the apps (lib.metrics) is asked once per window (the period and its base):
one statement returns all its metrics for every district and dimension, grouped finely (district
× dimensions); the totals, the districts' breakdown and the dimensions' are sums of those cells
here, so the number of statements does not grow with the districts or the categories.

A city and its city districts are one unit of the breakdown (the city's figure includes them);
rows without a district count in the total only. A national summary (no region) is broken down by
region. Rows of sensitive categories are never broken
down below the region: a summary of some districts leaves them out of its dimensions.
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import District, Region
from accounts.zones import region_zone
from lib.change import ONE_DECIMAL, a_year_earlier, percent_change, poisson_z, within_normal_variation
from lib.metrics import COUNTED_UNITS, Kind, MetricGroup, Source, Unit, Window
from lib.metrics import Metric as DeclaredMetric
from lib.periods import period_bounds
from lib.plugins import metric_groups, metric_values, summary_quotes

from . import cells
from .models import FIRST_DAY, LAST_DAY, Metric, MetricReading

PER_POPULATION = 10_000


class SummaryError(ValueError):
    """A summary that cannot be computed as asked: the message says why, in the reader's language."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def as_dict(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def parse_day(text: str) -> date:
    """A day as a summary's parameters write it (2025-09-30): the command line's, a link's."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SummaryError(_("%(value)s is not a date: write it as 2025-09-30.") % {"value": text}) from None


@dataclass(frozen=True)
class Request:
    """What to compute: the region and districts (None: the whole region), the period, its base
    (default: the same dates one year earlier) and the "as of" day (default: today; the base is
    read as of the same day of the base year, or shifted as the chosen base is)."""

    region: Region | None  # None: every region (a national summary)
    period: Period
    as_of: date
    base: Period
    base_as_of: date
    district_ids: frozenset[int] | None = None
    chosen_base: bool = False

    @property
    def comparable(self) -> bool:
        """Flows compare with their base: the same dates a year earlier always (a leap day aside),
        a chosen base only when it lasts as long as the period."""
        return not self.chosen_base or self.base.days == self.period.days

    @classmethod
    def make(cls, *, region, start, end, as_of=None, base_start=None, base_end=None, district_ids=None) -> "Request":
        if end < start:
            raise SummaryError(_("The period ends before it starts."))
        for day in (start, end, as_of, base_start, base_end):
            if day is not None and not FIRST_DAY <= day <= LAST_DAY:
                raise SummaryError(
                    _("Choose dates from %(first)s to %(last)s.")
                    % {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()}
                )
        today = timezone.localtime(timezone.now(), _zone(region)).date()
        as_of = as_of or min(today, max(end, start))
        if as_of < start:
            raise SummaryError(_("The “as of” date is before the period starts: nothing in it was recorded yet."))
        if (base_start is None) != (base_end is None):
            raise SummaryError(_("Give both ends of the comparison base, or neither."))
        if base_start is None:
            base = Period(a_year_earlier(start), a_year_earlier(end))
            base_as_of = a_year_earlier(as_of)
        else:
            if base_end < base_start:
                raise SummaryError(_("The comparison base ends before it starts."))
            base = Period(base_start, base_end)
            base_as_of = as_of - (start - base_start)
        return cls(region, Period(start, end), as_of, base, base_as_of, district_ids, base_start is not None)


@dataclass
class Part:
    """One line of a breakdown (a district, a category...)."""

    key: str
    label: str
    value: int | Decimal | None
    base: int | Decimal | None
    change_percent: Decimal | None = None
    rate: Decimal | None = None  # per 10,000 population
    # A dimension's part that counts rows of a sensitive category (totals_of): what is published
    # withholds its small counts (reporting.publication). None: not known (a version frozen before
    # parts were marked), taken as sensitive.
    sensitive: bool | None = False


@dataclass
class Figure:
    code: str
    version: int
    name: str
    unit: str
    kind: str
    area: str
    aggregation: str
    hedging: str
    rise_is_good: bool | None
    parent: str
    source: str
    value: int | Decimal | None = None
    base: int | Decimal | None = None
    change: int | Decimal | None = None
    change_percent: Decimal | None = None
    z: float | None = None
    within_normal_variation: bool | None = None
    rate: Decimal | None = None
    base_rate: Decimal | None = None
    by_district: list[Part] = field(default_factory=list)
    best: Part | None = None
    worst: Part | None = None
    by: dict[str, list[Part]] = field(default_factory=dict)
    note: str = ""


@dataclass
class Summary:
    request: Request
    figures: list[Figure]
    notes: list[str]
    statements: int

    def figure(self, code: str) -> Figure:
        return next(figure for figure in self.figures if figure.code == code)


# --- numbers ------------------------------------------------------------------------------------


# percent_change and poisson_z (the change against the base, the small-base test) are lib.change's,
# imported above: other modules and the tests still name them from here.


def share(part, whole) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def rate_per_population(value, population) -> Decimal | None:
    if value is None or not population:
        return None
    return (Decimal(value) * PER_POPULATION / Decimal(population)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def _zone(region: Region | None):
    """The local zone of the summary: the region's; a national summary reads the installation's
    (settings.TIME_ZONE: Kazakhstan has kept one zone, UTC+5, since 1 March 2024)."""
    return region_zone(region) if region is not None else timezone.get_default_timezone()


# --- the region's units ------------------------------------------------------------------------


class RegionUnits:
    """A national summary's units: the regions; a district counts in its region."""

    whole_region = True

    def __init__(self):
        self.units = list(Region.objects.order_by("kato"))
        self._unit = dict(District.objects.values_list("pk", "region_id"))
        populations = [unit.population for unit in self.units]
        self.every_population_known = bool(populations) and all(populations)
        self.population = sum(populations) if self.every_population_known else None

    def unit_of(self, district_id) -> int | None:
        return self._unit.get(district_id)


class Units:
    """The units of a summary's breakdown: each district in scope counts in its highest ancestor
    within the scope (a city's districts in the city), so nothing is counted twice."""

    def __init__(self, region: Region, district_ids: frozenset[int] | None):
        districts = {d.pk: d for d in District.objects.filter(region=region).order_by("kato")}
        self.in_scope = set(districts) if district_ids is None else set(district_ids) & set(districts)
        self.whole_region = district_ids is None
        self._unit = {}
        for pk in self.in_scope:
            top = districts[pk]
            while top.parent_id in self.in_scope:
                top = districts[top.parent_id]
            self._unit[pk] = top.pk
        self.units = [districts[pk] for pk in sorted(set(self._unit.values()), key=lambda pk: districts[pk].kato)]
        populations = [unit.population for unit in self.units]
        if self.whole_region:
            self.population = region.population
        else:
            self.population = sum(populations) if populations and all(populations) else None
        self.every_population_known = bool(populations) and all(populations)

    def unit_of(self, district_id) -> int | None:
        return self._unit.get(district_id)


class OwnUnits:
    """The finest breakdown: each district in scope on its own, a city apart from its city districts
    (a row counts in the district it names, nothing counted twice). Not the summary's breakdown
    (Units): a map reads it to draw a city's districts where they have shapes."""

    def __init__(self, region: Region, district_ids: frozenset[int] | None):
        districts = District.objects.filter(region=region).defer("boundary").order_by("kato")
        if district_ids is not None:
            districts = districts.filter(pk__in=district_ids)
        self.units = list(districts)
        self.whole_region = district_ids is None
        self._unit = {unit.pk: unit.pk for unit in self.units}
        populations = [unit.population for unit in self.units]
        self.every_population_known = bool(populations) and all(populations)
        # A city's population holds its districts': the units' sum is no total.
        self.population = region.population if self.whole_region else None

    def unit_of(self, district_id) -> int | None:
        return self._unit.get(district_id)


# --- evaluating a group -------------------------------------------------------------------------


def window_of(request: Request, period: Period, as_of: date) -> Window:
    zone = _zone(request.region)
    start, end = period_bounds(period.start, period.end, zone)
    _, as_of_end = period_bounds(as_of, as_of, zone)
    return Window(
        region_id=request.region.pk if request.region is not None else None,
        district_ids=request.district_ids,
        start=start,
        end=end,
        as_of=as_of_end - timedelta(microseconds=1),  # the end of the "as of" day
    )


def quotes(request: Request, language: str) -> list[dict]:
    """The texts the apps give the summary's areas (lib.plugins summary_quotes: supervision's
    approved highlights) for the request's region, districts and period as of its day, written in
    `language`; reporting.sentences.narrative puts each in its area's paragraph."""
    window = window_of(request, request.period, request.as_of)
    return [quote for provider in summary_quotes() for quote in provider(window, language)]


def evaluate(group: MetricGroup, window: Window) -> list[dict]:
    """The group's cells in the window: one row per district × dimension keys (× sensitivity),
    with a value per counted metric (keyed by its code). One statement: over the counts kept by
    day for a stored group (reporting.cells), over its rows otherwise."""
    if cells.is_stored(group):
        return cells.read(group, window)
    return [cells.row_of(group, *row) for _none, *row in cells.grouped(group, group.rows(window))]


@dataclass
class _Totals:
    total: dict = field(default_factory=lambda: defaultdict(int))
    by_unit: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    by_key: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(int))))
    # code -> dimension -> the keys some sensitive row counts in (the region's breakdown only).
    sensitive_keys: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(set)))


def totals_of(cells: list[dict], units: Units) -> _Totals:
    totals = _Totals()
    for cell in cells:
        unit = units.unit_of(cell["district"])
        for code, value in cell["values"].items():
            totals.total[code] += value
            if unit is not None:
                totals.by_unit[code][unit] += value
            # Sensitive rows are broken down by their dimensions at the region's level only.
            if cell["sensitive"] and not units.whole_region:
                continue
            for dimension, key in cell["keys"].items():
                totals.by_key[code][dimension][key] += value
                if cell["sensitive"]:
                    totals.sensitive_keys[code][dimension].add(key)
    return totals


# --- building the figures -----------------------------------------------------------------------


def value_of(metric, totals_of, where: str, *keys):
    """A metric's value at one level: a counted one read, a share computed from its parts."""

    def read(code):
        level = getattr(totals_of, where)[code]
        for key in keys:
            level = level.get(key, 0) if isinstance(level, dict) else 0
        return level if not isinstance(level, dict) else 0

    if metric.ratio:
        return share(read(metric.ratio[0]), read(metric.ratio[1]))
    return read(metric.code)


def _figure_shell(row: Metric | None, metric, group: MetricGroup) -> Figure:
    return Figure(
        code=metric.code,
        version=metric.version,
        name=row.name if row else str(metric.name),
        unit=metric.unit,
        kind=group.kind,
        area=metric.area,
        aggregation=metric.aggregation,
        hedging=row.hedging if row else metric.hedging,
        rise_is_good=metric.rise_is_good,
        parent=metric.parent,
        source=Source.COMPUTED,
    )


def _rank(figure: Figure, parts: list[Part], units: Units) -> None:
    """The best and the worst unit: by the share for a share, else by the rate per 10,000 where
    every unit's population is known, else by the value; none when a rise is neither good nor bad."""
    if figure.rise_is_good is None or len(parts) < 2:
        return
    by_rate = figure.unit not in (Unit.PERCENT,) and units.every_population_known
    scored = [(part.rate if by_rate else part.value, part) for part in parts]
    scored = [(score, part) for score, part in scored if score is not None]
    if len(scored) < 2:
        return
    scored.sort(key=lambda item: (item[0], item[1].key))
    low, high = scored[0][1], scored[-1][1]
    figure.best, figure.worst = (high, low) if figure.rise_is_good else (low, high)


def _dimension_labels(evaluated) -> dict:
    """(labels function, dimension) -> {key: label}: each app's labels asked once per dimension
    for the keys of every group and window, so the statements do not grow with the metrics."""
    keys = defaultdict(set)
    for group, *windows in evaluated:
        if group.labels is None:
            continue
        for totals in windows:
            for dimensions in totals.by_key.values():
                for dimension, values in dimensions.items():
                    keys[(group.labels, dimension)] |= {key for key in values if key not in (None, "")}
    return {
        (labels, dimension): labels(dimension, sorted(found, key=str)) for (labels, dimension), found in keys.items()
    }


def _compute_figure(figure, metric, current: _Totals, base: _Totals, units: Units, names: dict, comparable: bool):
    counted = metric.unit in COUNTED_UNITS and not metric.ratio
    figure.value = value_of(metric, current, "total")
    figure.base = value_of(metric, base, "total")
    if figure.value is not None and figure.base is not None:
        figure.change = figure.value - figure.base
    figure.change_percent = percent_change(figure.value, figure.base) if comparable else None
    if counted:
        figure.z = poisson_z(figure.value, figure.base)
        figure.within_normal_variation = within_normal_variation(figure.z)
        figure.rate = rate_per_population(figure.value, units.population)
        figure.base_rate = rate_per_population(figure.base, units.population)
    for unit in units.units:
        value = value_of(metric, current, "by_unit", unit.pk)
        base_value = value_of(metric, base, "by_unit", unit.pk)
        figure.by_district.append(
            Part(
                key=unit.kato,  # a district's, or a region's in a national summary
                label=unit.name,
                value=value,
                base=base_value,
                change_percent=percent_change(value, base_value) if comparable else None,
                rate=rate_per_population(value, unit.population) if counted else None,
            )
        )
    _rank(figure, figure.by_district, units)
    for dimension in metric.dimensions:
        keys = set(current.by_key[_part_code(metric)].get(dimension, {})) | set(
            base.by_key[_part_code(metric)].get(dimension, {})
        )
        labels = names.get(dimension, {})
        counted_code = _part_code(metric)
        sensitive_keys = set(current.sensitive_keys[counted_code].get(dimension, ())) | set(
            base.sensitive_keys[counted_code].get(dimension, ())
        )
        parts = []
        for key in keys:
            value = value_of(metric, current, "by_key", dimension, key)
            base_value = value_of(metric, base, "by_key", dimension, key)
            change = percent_change(value, base_value) if comparable else None
            label = labels.get(key, key) if key not in (None, "") else _("not given")
            key_text = "" if key is None else str(key)
            parts.append(Part(key_text, str(label), value, base_value, change, sensitive=key in sensitive_keys))
        figure.by[dimension] = sorted(parts, key=lambda part: (-(part.value or 0), part.label))


def _part_code(metric) -> str:
    """The counted metric whose cells name a metric's dimension keys (a share: its denominator)."""
    return metric.ratio[1] if metric.ratio else metric.code


def reading_of(row: Metric | None, readings: dict, period: Period) -> str:
    """The source the summary reads for the metric over the period (MetricReading)."""
    source = row.source if row else Source.COMPUTED
    for rule in readings.get(row.pk if row else None, []):
        if rule.starts_on <= period.start:
            source = rule.source
    return source


class _StatementCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def compute(request: Request, only: str = "") -> Summary:
    """Every metric of the catalogue for the request (`only`: the metrics of the group computing
    that one). Computed metrics come from their groups; a metric read from submissions or imports
    has no value until those exist (later issues)."""
    # The counts kept by day follow the records written since the last refresh first; its
    # statements depend on those writes, not on the summary, and are not the summary's.
    cells.refresh()
    counter = _StatementCounter()
    with connection.execute_wrapper(counter):
        return _compute(request, counter, only)


def compute_each(requests: list[Request]) -> list[Summary]:
    """The summaries of several sets of districts of one region over the same windows (every
    district office's own summary, for its press release): each group evaluated once over the whole
    region, its cells then kept by district here for each request. The same cells the database would
    keep (MetricGroup.rows and reporting.cells filter the districts and nothing else), without a
    group's statements repeated for every office."""
    cells.refresh()
    whole_region = {}

    def evaluate_kept(group: MetricGroup, window: Window) -> list[dict]:
        region_window = replace(window, district_ids=None)
        if (group.name, region_window) not in whole_region:
            whole_region[group.name, region_window] = evaluate(group, region_window)
        found = whole_region[group.name, region_window]
        if window.district_ids is None:
            return found
        return [cell for cell in found if cell["district"] in window.district_ids]

    summaries = []
    for request in requests:
        counter = _StatementCounter()
        with connection.execute_wrapper(counter):
            summaries.append(_compute(request, counter, evaluate_group=evaluate_kept))
    return summaries


def _compute(request: Request, counter: _StatementCounter, only: str = "", evaluate_group=None) -> Summary:
    evaluate_group = evaluate_group or evaluate
    notes = []
    comparable_flows = request.comparable
    if not comparable_flows:
        notes.append(
            _(
                "The comparison base lasts %(base)s days and the period %(days)s: flows are shown beside their "
                "base without a percent change."
            )
            % {"base": request.base.days, "days": request.period.days}
        )
    rows = {row.code: row for row in Metric.objects.current().select_related("parent")}
    readings = defaultdict(list)
    for rule in MetricReading.objects.filter(metric__in=rows.values()).order_by("starts_on"):
        readings[rule.metric_id].append(rule)
    units = Units(request.region, request.district_ids) if request.region is not None else RegionUnits()
    current_window = window_of(request, request.period, request.as_of)
    base_window = window_of(request, request.base, request.base_as_of)
    evaluated = [
        (
            group,
            totals_of(evaluate_group(group, current_window), units),
            totals_of(evaluate_group(group, base_window), units),
        )
        for group in metric_groups()
        if not only or any(metric.code == only for metric in group.metrics)
    ]
    labels = _dimension_labels(evaluated)
    figures, computed_codes, held = [], set(), []
    for group, current, base in evaluated:
        comparable = comparable_flows or group.kind == Kind.STOCK
        for metric in group.metrics:
            row = rows.get(metric.code)
            figure = _figure_shell(row, metric, group)
            computed_codes.add(metric.code)
            if reading_of(row, readings, request.period) != Source.COMPUTED:
                figure.source = reading_of(row, readings, request.period)
                held.append((figure, metric))
            else:
                names = {dimension: labels.get((group.labels, dimension), {}) for dimension in metric.dimensions}
                _compute_figure(figure, metric, current, base, units, names, comparable)
            figures.append((row.order if row else metric.order, row.area if row else metric.area, figure))
    for row in rows.values():
        # Submitted or imported only: a catalogue row the administrator added.
        if row.code not in computed_codes and (not only or row.code == only):
            figure = _catalogue_figure(row, reading_of(row, readings, request.period))
            held.append((figure, _catalogue_metric(row)))
            figures.append((row.order, row.area, figure))
    _held_figures(held, current_window, base_window, units, comparable_flows)
    figures.sort(key=lambda item: (item[1], item[0], item[2].code))
    return Summary(request, [figure for _, _, figure in figures], notes, counter.count)


def _catalogue_figure(row: Metric, source: str) -> Figure:
    """The figure of a catalogue row no app computes (submitted or imported only), before its values."""
    return Figure(
        code=row.code,
        version=row.version,
        name=row.name,
        unit=row.unit,
        kind=row.kind,
        area=row.area,
        aggregation=row.aggregation,
        hedging=row.hedging,
        rise_is_good=row.rise_is_good,
        parent=row.parent.code if row.parent_id else "",
        source=source,
    )


def _catalogue_metric(row: Metric) -> DeclaredMetric:
    return DeclaredMetric(code=row.code, name=row.name, definition="", unit=row.unit)


def _held_figures(held: list, current_window: Window, base_window: Window, units, comparable: bool) -> None:
    """The figures read from the values the apps hold (submitted by the districts, imported), for
    the period and its base, by district; a note on those that have none in either."""
    by_source = defaultdict(set)
    for figure, metric in held:
        by_source[figure.source].add(metric.code)
    current_cells, base_cells = [], []
    for source, codes in by_source.items():
        for provider in metric_values():
            current_cells += provider(source, codes, current_window)
            base_cells += provider(source, codes, base_window)
    current, base = totals_of(current_cells, units), totals_of(base_cells, units)
    present = {code for cell in current_cells + base_cells for code in cell["values"]}
    for figure, metric in held:
        if metric.code not in present:
            figure.note = (
                _("No values submitted for the period yet.")
                if figure.source == Source.SUBMITTED
                else _("No values imported for the period yet.")
            )
            continue
        figure.note = _("Monthly figures: a month counts when it begins in the period.")
        _compute_figure(figure, metric, current, base, units, {}, comparable)


def by_own_district(request: Request, code: str) -> list[Part]:
    """One metric for each district of the request on its own (OwnUnits: a city apart from its city
    districts), beside its base, as Figure.by_district gives the summary's units (keyed by KATO
    code): the finest breakdown, which a map draws. The metric's group is evaluated for the period
    and its base (a metric read from submissions or imports, from their values)."""
    if request.region is None:
        raise SummaryError(_("A national summary is broken down by region only."))
    cells.refresh()
    units = OwnUnits(request.region, request.district_ids)
    row = Metric.objects.current().select_related("parent").filter(code=code).first()
    readings = {row.pk: list(MetricReading.objects.filter(metric=row).order_by("starts_on"))} if row else {}
    source = reading_of(row, readings, request.period)
    current_window = window_of(request, request.period, request.as_of)
    base_window = window_of(request, request.base, request.base_as_of)
    declared = next(
        ((group, metric) for group in metric_groups() for metric in group.metrics if metric.code == code), None
    )
    if declared is None and row is None:
        raise SummaryError(_("No metric has the code %(code)s.") % {"code": code})
    if declared is None:
        figure, metric = _catalogue_figure(row, source), _catalogue_metric(row)
    else:
        group, metric = declared
        figure = _figure_shell(row, metric, group)
        if source == Source.COMPUTED:
            current = totals_of(evaluate(group, current_window), units)
            base = totals_of(evaluate(group, base_window), units)
            comparable = request.comparable or group.kind == Kind.STOCK
            _compute_figure(figure, metric, current, base, units, {}, comparable)
            return figure.by_district
        figure.source = source
    _held_figures([(figure, metric)], current_window, base_window, units, request.comparable)
    return figure.by_district


def group_of(code: str) -> tuple[MetricGroup, object]:
    """The group that computes a metric, and the metric's declaration."""
    for group in metric_groups():
        metric = next((m for m in group.metrics if m.code == code), None)
        if metric is not None:
            return group, metric
    raise SummaryError(_("No metric has the code %(code)s.") % {"code": code})


def rows_counted(request: Request, code: str, *, district_kato: str = "", dimension: str = "", key: str = ""):
    """The rows one figure counts (the period's, as of its date; a share's, its numerator's), in one
    district (with its city districts) or one key of a dimension if asked: (group, queryset)."""
    group, metric = group_of(code)
    window = window_of(request, request.period, request.as_of)
    if district_kato:
        ids = _district_and_children(request.region, district_kato, request.district_ids)
        window = Window(window.region_id, ids, window.start, window.end, window.as_of)
    counted = metric.ratio[0] if metric.ratio else metric.code
    rows = group.rows(window).filter(next(m for m in group.metrics if m.code == counted).where)
    if dimension:
        if dimension not in group.dimensions:
            raise SummaryError(_("The metric is not broken down by %(dimension)s.") % {"dimension": dimension})
        rows = rows.filter(**{group.dimensions[dimension]: key})
        # Sensitive rows are never broken down by their dimensions below the region.
        if group.sensitive is not None and (district_kato or request.district_ids is not None):
            rows = rows.exclude(group.sensitive)
    return group, rows.order_by("pk")


def rows_behind(request: Request, code: str, *, district_kato: str = "", dimension: str = "", key: str = "", limit=100):
    """The first `limit` rows one figure counts, as the group describes them, and how many there are."""
    group, rows = rows_counted(request, code, district_kato=district_kato, dimension=dimension, key=key)
    chosen = rows[:limit]
    return (group.describe_rows(chosen) if group.describe_rows else list(chosen.values("pk"))), rows.count()


def _district_and_children(region: Region | None, kato: str, allowed: frozenset[int] | None) -> frozenset[int]:
    districts = District.objects.filter(region=region) if region is not None else District.objects.all()
    district = districts.filter(kato=kato).first()
    if district is None or (allowed is not None and district.pk not in allowed):
        raise SummaryError(_("No district of the summary has the KATO code %(codes)s.") % {"codes": kato})
    ids = {district.pk, *District.objects.filter(parent=district).values_list("pk", flat=True)}
    return frozenset(ids if allowed is None else ids & allowed)


# --- a metric from both its sources ---------------------------------------------------------------


@dataclass
class BothSources:
    """A metric both computed from Tartip's records and submitted by the districts, read from each."""

    code: str
    name: str
    unit: str
    area: str
    computed: int | Decimal | None
    submitted: int | Decimal | None  # None: nothing submitted for the period yet

    @property
    def difference(self) -> int | Decimal | None:
        """What the districts submitted beyond what the records give (negative: less)."""
        if self.computed is None or self.submitted is None:
            return None
        return self.submitted - self.computed


def both_sources(request: Request) -> list[BothSources]:
    """The metrics an app computes that the catalogue also reads from the districts' submissions
    (a submitted row an app came to compute, or a reading rule from submissions: docs/metrics.md),
    each read from both sources for the request's period as of its day, whichever one the summary
    reads: the analyst compares them. As a summary counts them: the records by their moments, the
    submissions by the months that begin in the period. One statement per group, one per provider."""
    rows = Metric.objects.current().filter(Q(source=Source.SUBMITTED) | Q(readings__source=Source.SUBMITTED))
    rows = {row.code: row for row in rows.distinct()}
    computed = [(group, metric) for group in metric_groups() for metric in group.counted() if metric.code in rows]
    if not computed:
        return []
    cells.refresh()
    units = Units(request.region, request.district_ids) if request.region is not None else RegionUnits()
    window = window_of(request, request.period, request.as_of)
    codes = {metric.code for _group, metric in computed}
    submitted_cells = [cell for provider in metric_values() for cell in provider(Source.SUBMITTED, codes, window)]
    submitted = totals_of(submitted_cells, units)
    present = {code for cell in submitted_cells for code in cell["values"]}
    totals = {}
    found = []
    for group, metric in computed:
        if group.name not in totals:
            totals[group.name] = totals_of(evaluate(group, window), units)
        row = rows[metric.code]
        found.append(
            BothSources(
                code=metric.code,
                name=row.name,
                unit=metric.unit,
                area=row.area,
                computed=value_of(metric, totals[group.name], "total"),
                submitted=value_of(metric, submitted, "total") if metric.code in present else None,
            )
        )
    order = {code: (row.area, row.order, code) for code, row in rows.items()}
    return sorted(found, key=lambda item: order[item.code])
