"""How a fact app declares the figures the results summary reads (its `metrics.py`).

A **metric** is one figure the board may read: a code, a name, a unit, an area, flow or stock, how
it adds up over districts, whether a rise is good, how a text hedges it, optionally its parent.
A **metric group** is a set of metrics over one base query: the engine (reporting) asks a group
for all its metrics, for every district and dimension, in one statement per period, and on
request for the rows behind one figure. The app lists its groups in its `apps.py`
(`metric_groups`, lib.plugins); reporting walks them, so adding a capability adds metrics, never a
special case in reporting.

What a figure means in time (docs/metrics.md):

- a **flow** counts the facts whose effective moment lies in the period and that were recorded by
  the "as of" moment. The group names both fields (`effective`, `recorded`); for a fact stamped
  when it happens (a report received, an answer given) they are the same field;
- a **stock** is evaluated as it stood at the "as of" moment: the group's `state_at(moment)` is a
  filter over dated rows (each change of the stock is a dated event), so it holds for any moment,
  the base year's included.

The module is below every app: it knows no model. Filters are Django `Q` objects over the group's
base query; the values are counted rows or a summed field.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    COUNT = "count", _("count")
    PERSONS = "persons", _("persons")
    TENGE = "tenge", _("tenge")
    KG = "kg", _("kilograms")
    PERCENT = "percent", _("percent")
    DAYS = "days", _("days")


# Counted units: the small-base flag (a Poisson z-score) applies to these only, never to money or kg.
COUNTED_UNITS = frozenset({Unit.COUNT, Unit.PERSONS})


class Area(models.TextChoices):
    CRIME = "crime", _("crime and prevention")
    PROSECUTION = "prosecution", _("state prosecution")
    DRUGS = "drugs", _("drugs")
    FRAUD = "fraud", _("fraud and droppers")
    FSM_SOCIAL = "fsm_social", _("FSM Social")
    PUBLIC_INTERESTS = "public_interests", _("public interests")
    CORRUPTION = "corruption", _("corruption")
    BUDGET = "budget", _("budget and public procurement")
    TAX = "tax", _("tax")
    LAND = "land", _("land")
    ECOLOGY = "ecology", _("ecology and subsoil use")
    CONSTRUCTION = "construction", _("construction and shared-equity holders")
    CHILDREN = "children", _("children's rights and juvenile crime")
    BUSINESS = "business", _("business and investors")
    RETURNED_ASSETS = "returned_assets", _("returned assets and social facilities")
    DIRECTIVES = "directives", _("the board's directives")
    # The offices' own reporting (their monthly submissions of results): the analyst's, not the board's text.
    SUBMISSIONS = "submissions", _("the offices' monthly submissions")


class Kind(models.TextChoices):
    FLOW = "flow", _("flow (counted over the period)")
    STOCK = "stock", _("stock (as it stood on the date)")


class Aggregation(models.TextChoices):
    SUM = "sum", _("sum over the districts")
    DIRECT = "direct", _("computed directly at every level")


class Hedging(models.TextChoices):
    EXACT = "exact", _("exact")
    MORE_THAN = "more_than", _("“more than”: floored to its leading figures")
    OVER = "over", _("“over”: floored to its leading figures")
    ABOUT = "about", _("“about”: rounded to its leading figures")


class Source(models.TextChoices):
    COMPUTED = "computed", _("computed from Tartip's records")
    SUBMITTED = "submitted", _("submitted by the districts")
    IMPORTED = "imported", _("imported")


@dataclass(frozen=True)
class Metric:
    """One computed figure of a group. Its value is the number of the group's rows matching `where`
    (or the sum of `sums` over them); a share is `ratio` = (numerator code, denominator code), in
    percent, computed at every level from its two parts.

    `version`: the definition's version; raise it whenever what the figure counts changes, so a
    summary computed before says which definition each of its numbers followed.
    `dimensions`: the group's dimensions this metric is broken down by (besides the districts).
    `rise_is_good`: True, False, or None where a rise is neither (reports received)."""

    code: str
    name: str  # a lazy translation: the catalogue's names in kk/ru/en are filled from it
    definition: str  # a lazy translation: what exactly is counted, in a sentence or two
    unit: str = Unit.COUNT
    area: str = Area.FSM_SOCIAL
    where: Q = field(default_factory=Q)
    sums: str = ""
    ratio: tuple[str, str] | None = None
    rise_is_good: bool | None = None
    hedging: str = Hedging.EXACT
    parent: str = ""
    dimensions: tuple[str, ...] = ()
    version: int = 1
    order: int = 0

    @property
    def aggregation(self) -> str:
        return Aggregation.DIRECT if self.ratio else Aggregation.SUM


@dataclass(frozen=True)
class Window:
    """What a group is evaluated over: the region (None: every region, a national summary), the
    districts (None: the whole region), and the moments. A flow reads [start, end) and `as_of`; a
    stock reads `as_of` only."""

    region_id: int | None
    district_ids: frozenset[int] | None
    start: datetime
    end: datetime
    as_of: datetime

    # The local days of the moments, for facts dated by a day (an act's date): the engine builds
    # the moments at the region's local midnight, in its zone, so their own dates are its days.
    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def end_day(self) -> date:
        """The day after the period's last (excluded)."""
        return self.end.date()

    @property
    def as_of_day(self) -> date:
        return self.as_of.date()


@dataclass(frozen=True)
class Feed:
    """An app's append-only log of changes (every state change appends an event row, DESIGN.md),
    from which the engine learns which facts to count again: `log()` its rows, whose ids grow as
    they are written, and `owner` the field naming what a row changed (a report). A group over
    that feed names the path from its facts to the owner (`MetricGroup.owner`).

    The engine keeps such groups' flows aggregated by day (reporting.cells) and, before reading
    them, counts again the days of the facts whose owner changed since. So the feed must log every
    change that moves a figure, when it happens: a fact added or changed, or a change of the owner
    a dimension or a district is read from. An owner's region never changes."""

    name: str
    log: Callable[[], QuerySet]
    owner: str
    # The log row's moment and the path to its owner's region: a changed owner's days are those
    # of its facts now and those of its log rows, where a fact that since moved or left was then.
    at: str = "at"
    region: str = ""
    # What the counts' keys read besides the log (the codes the dimensions name, editable in the
    # admin), as a text: another builds the feed's counts again.
    keys_version: Callable[[], str] | None = None


@dataclass(frozen=True)
class Span:
    """A stock as intervals: a row matching `member` is in the stock from the moment `enters()` (an
    expression over the row) until the moment in its field `leaves` (null: still in). It must say
    what `state_at(moment)` says: `member`, `enters() <= moment` and `leaves` null or after it."""

    member: Q
    enters: Callable[[], object]
    leaves: str


@dataclass(frozen=True)
class MetricGroup:
    """Metrics over one base query.

    - `queryset()`: every row of the group's facts (all regions);
    - `region`, `district`: the fields naming a row's region and district (district may be null:
      such rows count in the region's total and in no district);
    - a flow's `effective` and `recorded` fields (datetimes; `effective_is_day` when the effective
      field is a date, compared with the window's local days), and its `withdrawn` field where a
      fact stops counting at a moment (a crime row replaced by a later import of its period: read
      as of an earlier moment, it still counts); a stock's `state_at(moment) -> Q`;
    - `annotate(window) -> {name: expression}`: fields that depend on the window (an act's outcome
      as it stood on the "as of" day), added before filtering, so metrics and dimensions may name them;
    - `dimensions`: name -> field, the breakdowns the metrics may ask for (a category's code...);
    - `sensitive`: a Q marking rows never broken down below the region in anything published
      (reports of sensitive categories), or None;
    - `labels(dimension, keys) -> {key: label}`: the readable names of a dimension's keys;
    - `describe_rows(queryset) -> list[dict]`: the rows behind a figure, as a reader sees them
      (a report's reference, its date...), never personal data; a row's "link" is the path of its
      own page (which applies its own policy); `columns` names the other keys for the reader;
    - `feed`, `owner`: the log of the changes of the group's facts and the path from a fact to the
      owner the log names (`Feed`): a flow with a feed and no window-dependent `annotate` is read
      from the counts kept by day;
    - a stock's `span`: the same stock as the moments each row enters and leaves it (`Span`), so
      that it too is read from counts kept by day (the rows entered by a day, less those left)."""

    name: str
    kind: str
    metrics: tuple[Metric, ...]
    queryset: Callable[[], QuerySet]
    region: str = "region_id"
    district: str = "district_id"
    effective: str = ""
    recorded: str = ""
    effective_is_day: bool = False
    withdrawn: str = ""
    annotate: Callable[[Window], dict] | None = None
    state_at: Callable[[datetime], Q] | None = None
    dimensions: dict[str, str] = field(default_factory=dict)
    sensitive: Q | None = None
    labels: Callable[[str, list], dict] | None = None
    describe_rows: Callable[[QuerySet], list[dict]] | None = None
    columns: dict[str, str] = field(default_factory=dict)
    feed: Feed | None = None
    owner: str = ""
    span: Span | None = None

    def rows(self, window: Window) -> QuerySet:
        """The group's rows in the window: a flow's by its effective and recorded moments, a
        stock's as they stood at the window's "as of" moment."""
        rows = self.queryset()
        if self.annotate is not None:
            rows = rows.annotate(**self.annotate(window))
        if window.region_id is not None:
            rows = rows.filter(**{self.region: window.region_id})
        if window.district_ids is not None:
            rows = rows.filter(**{f"{self.district}__in": window.district_ids})
        if self.kind == Kind.STOCK:
            return rows.filter(self.state_at(window.as_of))
        start, end = (window.first_day, window.end_day) if self.effective_is_day else (window.start, window.end)
        filters = {f"{self.effective}__gte": start, f"{self.effective}__lt": end}
        filters[f"{self.recorded}__lte"] = window.as_of
        rows = rows.filter(**filters)
        if self.withdrawn:
            rows = rows.filter(Q(**{f"{self.withdrawn}__isnull": True}) | Q(**{f"{self.withdrawn}__gt": window.as_of}))
        return rows

    def counted(self) -> tuple[Metric, ...]:
        """The metrics read from rows (a share is computed from two of them afterwards)."""
        return tuple(metric for metric in self.metrics if metric.ratio is None)


@dataclass(frozen=True)
class Sentence:
    """A sentence of the summary's text about the app's area, in each language, its placeholders
    naming the app's metrics (reporting.sentences says how: `{code}`, `{code|noun}`,
    `{code.change}`, `{code.trend|rise|fall}`). Declared beside the metrics (the app's
    `summary_sentences`, lib.plugins); the board secretary edits the texts in the admin."""

    code: str
    area: str
    order: int
    kk: str
    ru: str
    en: str


# --- the catalogue's submitted metrics, as the apps that collect them read it -------------------------


@dataclass(frozen=True)
class SubmittedMetric:
    """A metric the districts submit each month (a catalogue row of source "submitted"), in the
    reader's language: the form's line."""

    code: str
    name: str
    unit: str
    order: int

    @property
    def whole(self) -> bool:
        """Counted (a count, persons): a whole number."""
        return self.unit in COUNTED_UNITS


@dataclass(frozen=True)
class Consistency:
    """A rule between two submitted figures of one office and month: `lesser` <= `greater`
    (verdicts <= cases in court)."""

    lesser: str
    greater: str
