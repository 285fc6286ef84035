"""The dashboards that are the home pages of the roles reading the figures (issue 19.5), for the period
the one picker chose (reporting.forms.PeriodForm), built from the catalogue's figures only: every
number is a metric computed by reporting.figures, never a query of another app.

- the **region's** (the regional and department prosecutors, the board's secretary, the press
  officer): the region's headline figures by area against their base, and everything overdue across
  the region: the bodies' answers (FSM Social's overdue reports), the offices' submissions received
  late, the board's directives overdue;
- a **district prosecutor's**: the same for their districts, and each headline figure beside the
  region's (its value and its rate per 10,000, or its share for a share): the region's totals only,
  never another district's figure;
- the **analyst's**: the offices' submissions received, late and returned; the metrics both
  computed and submitted, from both sources, their differences marked; and what is overdue.

Each dashboard computes its summary once per window (figures.compute: one statement per metric group
and window), a district's beside the region's once more, so that the number of statements does not
grow with the figures shown. A stock is read as of the period's end (today while it runs).
"""

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse

from accounts.models import Region
from lib.metrics import Area

from . import policy, selectors
from .figures import BothSources, Figure, Request, Summary, both_sources, compute, share
from .numbers import percent_text
from .output import value_text

# Everything overdue across the scope: the bodies' answers past their deadline, the offices'
# monthly figures sent after their due day, the board's directives past theirs.
OVERDUE_CODES = ("fsm.reports.overdue", "submissions.late", "board.executions_overdue")
SUBMISSION_CODES = ("submissions.received", "submissions.late", "submissions.returned")
# At most this many headline figures an area: its figures that are nobody's part, in the catalogue's order.
HEADLINES_PER_AREA = 4


@dataclass
class Line:
    """One figure as a dashboard shows it: its texts in the reader's language, the direction of its
    change ("good", "bad", or "" when within normal variation or neither), and its provenance page."""

    figure: Figure
    value: str
    base: str
    change: str
    trend: str
    link: str
    # A district's dashboard: the region's figure beside it.
    region: "Line | None" = None
    rate: str = ""
    part_of_region: str = ""
    compared: str = ""  # "better", "worse" or "": the district's rate or share against the region's


@dataclass
class Comparison:
    """A metric from both its sources, as the analyst reads it."""

    both: BothSources
    computed: str
    submitted: str
    difference: str
    differs: bool


@dataclass
class Dashboard:
    kind: str
    request: Request
    summary: Summary
    areas: list[tuple[str, list[Line]]] = field(default_factory=list)
    overdue: list[Line] = field(default_factory=list)
    submissions: list[Line] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    region_name: str = ""

    @property
    def start(self) -> date:
        return self.request.period.start

    @property
    def end(self) -> date:
        return self.request.period.end

    @property
    def as_of(self) -> date:
        return self.request.as_of


# --- one figure -----------------------------------------------------------------------------------


def _trend(figure: Figure) -> str:
    if figure.rise_is_good is None or not figure.change or figure.within_normal_variation:
        return ""
    return "good" if (figure.change > 0) == figure.rise_is_good else "bad"


def figure_link(request: Request, code: str) -> str:
    """The figure's provenance page for the dashboard's period and "as of" day (its districts are
    the user's remit, which the page applies itself)."""
    query = {"from": request.period.start.isoformat(), "to": request.period.end.isoformat()}
    query["as_of"] = request.as_of.isoformat()
    return f"{reverse('reporting:figure', args=[code])}?{urlencode(query)}"


def line_of(figure: Figure, request: Request, language: str, *, linked: bool = True) -> Line:
    return Line(
        figure=figure,
        value=value_text(figure.value, figure.unit, language),
        base=value_text(figure.base, figure.unit, language),
        change=percent_text(figure.change_percent, language) if figure.change_percent is not None else "",
        trend=_trend(figure),
        link=figure_link(request, figure.code) if linked else "",
        rate=value_text(figure.rate, "count", language) if figure.rate is not None else "",
    )


def _lines(summary: Summary, codes, language: str) -> list[Line]:
    figures = {figure.code: figure for figure in summary.figures}
    return [line_of(figures[code], summary.request, language) for code in codes if code in figures]


def headline_figures(summary: Summary) -> list[tuple[str, list[Figure]]]:
    """By area, in the catalogue's order: the figures that are nobody's part and have a value, the
    first HEADLINES_PER_AREA of them; an area where every one is nought in the period and its base
    is left out (a dashboard of zeros says nothing)."""
    by_area: dict[str, list[Figure]] = {}
    for figure in summary.figures:
        if figure.parent or figure.value is None:
            continue
        by_area.setdefault(figure.area, []).append(figure)
    found = []
    for area in Area.values:
        figures = by_area.get(area, [])
        if any(figure.value or figure.base for figure in figures):
            found.append((str(Area(area).label), figures[:HEADLINES_PER_AREA]))
    return found


# --- the dashboards -------------------------------------------------------------------------------


def _request(user, start: date, end: date) -> Request:
    """The user's summary of the period (reporting.policy: a district prosecutor's districts, the
    region for the region-wide roles)."""
    return selectors.summary_request(user, start=start, end=end)


def region_dashboard(user, start: date, end: date, language: str) -> Dashboard:
    request = _request(user, start, end)
    summary = compute(request)
    dashboard = Dashboard(policy.REGION_DASHBOARD, request, summary, region_name=request.region.name)
    dashboard.areas = [
        (area, [line_of(figure, request, language) for figure in figures])
        for area, figures in headline_figures(summary)
    ]
    dashboard.overdue = _lines(summary, OVERDUE_CODES, language)
    return dashboard


def _beside_region(line: Line, region_figure: Figure | None, request: Request, language: str) -> None:
    """The region's figure beside the district's: its value and rate (unlinked: the region's records
    are outside a district prosecutor's remit), the district's part of the region's count, and
    whether the district's rate (its share, for a share) is better or worse than the region's."""
    if region_figure is None:
        return
    line.region = line_of(region_figure, request, language, linked=False)
    figure = line.figure
    if figure.unit == "percent":
        own, theirs = figure.value, region_figure.value
    else:
        own, theirs = figure.rate, region_figure.rate
        part = share(figure.value, region_figure.value)
        line.part_of_region = percent_text(part, language) if part is not None else ""
    if figure.rise_is_good is None or own is None or theirs is None or own == theirs:
        return
    line.compared = "better" if (own > theirs) == figure.rise_is_good else "worse"


def district_dashboard(user, start: date, end: date, language: str) -> Dashboard:
    request = _request(user, start, end)
    summary = compute(request)
    # The region's totals for the same period and day, beside the district's (policy.may_compare_with_region).
    region_request = Request.make(region=request.region, start=start, end=end, as_of=request.as_of)
    region_figures = {figure.code: figure for figure in compute(region_request).figures}
    dashboard = Dashboard(policy.DISTRICT_DASHBOARD, request, summary, region_name=request.region.name)
    for area, figures in headline_figures(summary):
        lines = []
        for figure in figures:
            line = line_of(figure, request, language)
            _beside_region(line, region_figures.get(figure.code), region_request, language)
            lines.append(line)
        dashboard.areas.append((area, lines))
    dashboard.overdue = _lines(summary, OVERDUE_CODES, language)
    for line in dashboard.overdue:
        _beside_region(line, region_figures.get(line.figure.code), region_request, language)
    return dashboard


def comparison_of(both: BothSources, language: str) -> Comparison:
    difference = both.difference
    signed = value_text(difference, both.unit, language) if difference is not None else ""
    if difference is not None and difference > 0:
        signed = f"+{signed}"
    return Comparison(
        both=both,
        computed=value_text(both.computed, both.unit, language),
        submitted=value_text(both.submitted, both.unit, language) if both.submitted is not None else "",
        difference=signed,
        differs=bool(difference),
    )


def analyst_dashboard(user, start: date, end: date, language: str) -> Dashboard:
    request = _request(user, start, end)
    summary = compute(request)
    dashboard = Dashboard(policy.ANALYST_DASHBOARD, request, summary, region_name=request.region.name)
    dashboard.submissions = _lines(summary, SUBMISSION_CODES, language)
    dashboard.comparisons = [comparison_of(both, language) for both in both_sources(request)]
    dashboard.overdue = _lines(summary, OVERDUE_CODES, language)
    return dashboard


BUILDERS = {
    policy.REGION_DASHBOARD: region_dashboard,
    policy.DISTRICT_DASHBOARD: district_dashboard,
    policy.ANALYST_DASHBOARD: analyst_dashboard,
}


def dashboard(user, start: date, end: date, language: str) -> Dashboard | None:
    """The user's dashboard of the period (reporting.policy.dashboard_of), or None for a role that
    has none."""
    kind = policy.dashboard_of(user)
    return BUILDERS[kind](user, start, end, language) if kind else None


def region_of(user) -> Region | None:
    return getattr(user.organisation, "region", None) if user.organisation_id else None
