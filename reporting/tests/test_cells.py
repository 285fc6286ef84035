"""The counts kept by day (reporting.cells) give every stored group's figures exactly as its live
statement over the rows does, for any window (whole months, parts of months, an "as of" day inside
the period), and follow the records: a fact added, a report re-categorised months later, a
writer's transaction committed after a later one's, a definition changed."""

from datetime import UTC, date, datetime, timedelta

import pytest

from accounts.models import District, Region
from lib.metrics import Window
from lib.periods import period_bounds
from reporting import cells
from reporting.figures import Request, compute
from reporting.models import Cell, CellMark
from reporting.tests import facts
from reporting.tests.facts import ALGA, ALMATY_DISTRICT, CITY, TEMIR, local
from signals import services
from signals.models import Category, Report, ReportEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    for year in (2024, 2025):
        report = facts.submit(local(year, 3, 3), kato=ALGA)
        facts.answer(report, local(year, 3, 4))
        late = facts.submit(local(year, 3, 30, 23, 50), kato=CITY, code="fraud")
        facts.answer(late, local(year, 4, 25))
        facts.submit(local(year, 6, 1, 0, 10), kato=ALMATY_DISTRICT, code="domestic-violence")
    returned = facts.submit(local(2025, 5, 15), kato=TEMIR)
    facts.answer(returned, local(2025, 5, 16))
    facts.return_answer(returned, local(2025, 5, 31, 23, 59))
    reopened = facts.submit(local(2025, 5, 20), kato=TEMIR, code="fraud")
    facts.answer(reopened, local(2025, 5, 21))
    facts.reopen(reopened, local(2025, 6, 2))
    registered = facts.submit(local(2025, 7, 1), kato=ALGA, code="drug-dealing")
    facts.register(registered, local(2025, 7, 20))


def window(first: date, last: date, as_of: date, **scope) -> Window:
    zone = facts.AKTOBE
    start, end = period_bounds(first, last, zone)
    _, as_of_end = period_bounds(as_of, as_of, zone)
    return Window(
        region_id=scope.get("region_id", facts.region().pk),
        district_ids=scope.get("district_ids"),
        start=start,
        end=end,
        as_of=as_of_end - timedelta(microseconds=1),
    )


def _sortable(row: tuple) -> tuple:
    district, keys, sensitive, values = row
    return (district or 0, tuple(str(key) for key in keys), sensitive, values)


def live(group, window_) -> list:
    return sorted(
        (
            (district, keys, sensitive, values)
            for _none, district, keys, sensitive, values in cells.grouped(group, group.rows(window_))
        ),
        key=_sortable,
    )


def stored(group, window_) -> list:
    return sorted(
        (
            (cell["district"], tuple(cell["keys"].values()), cell["sensitive"], list(cell["values"].values()))
            for cell in cells.read(group, window_)
        ),
        key=_sortable,
    )


WINDOWS = [
    (date(2025, 1, 1), date(2025, 12, 31), date(2025, 12, 31)),  # the year, whole months
    (date(2025, 1, 1), date(2025, 9, 30), date(2025, 9, 30)),  # nine months
    (date(2025, 3, 4), date(2025, 6, 1), date(2025, 12, 31)),  # parts of months on both sides
    (date(2025, 1, 1), date(2025, 12, 31), date(2025, 5, 16)),  # "as of" inside a month of the period
    (date(2025, 1, 1), date(2025, 12, 31), date(2025, 5, 31)),  # "as of" a month's last day
    (date(2025, 5, 31), date(2025, 5, 31), date(2025, 5, 31)),  # one day
    (date(2024, 1, 1), date(2025, 12, 31), date(2025, 7, 19)),  # two years, as of the day before a fact
]


@pytest.mark.parametrize(("first", "last", "as_of"), WINDOWS)
def test_it_reads_from_the_cells_what_the_rows_give(records, first, last, as_of):
    cells.refresh()
    groups = [group for groups in cells.stored_groups().values() for group in groups]
    assert {group.name for group in groups} >= {"fsm-reports", "fsm-answers", "fsm-returns", "fsm-reopened"}
    for group in groups:
        assert stored(group, window(first, last, as_of)) == live(group, window(first, last, as_of)), group.name


def test_it_reads_a_district_and_every_region_from_the_cells(records):
    cells.refresh()
    alga = District.objects.get(kato=ALGA).pk
    for scope in ({"district_ids": frozenset({alga})}, {"region_id": None}):
        for groups in cells.stored_groups().values():
            for group in groups:
                view = window(date(2025, 1, 1), date(2025, 12, 31), date(2025, 12, 31), **scope)
                assert stored(group, view) == live(group, view), (group.name, scope)


def _received(summary, category: str) -> int:
    figure = next(figure for figure in summary.figures if figure.code == "fsm.reports.received")
    part = next((part for part in figure.by.get("category", []) if part.key == category), None)
    return part.value if part else 0


def test_it_counts_a_report_again_on_its_day_when_it_is_recategorised_months_later(records):
    year = {"start": date(2025, 1, 1), "end": date(2025, 12, 31), "as_of": date(2025, 12, 31)}
    before = compute(Request.make(region=facts.region(), **year))
    report = Report.objects.get(submitted_at=local(2025, 6, 1, 0, 10))  # still awaiting its answer
    with facts.clock(local(2025, 11, 20)):
        services.report_recategorise(report=report, category="fraud", actor=facts.regional_prosecutor())
    after = compute(Request.make(region=facts.region(), **year))
    assert _received(after, "fraud") == _received(before, "fraud") + 1
    assert _received(after, "domestic-violence") == _received(before, "domestic-violence") - 1


def _hide_events(report: Report) -> list[dict]:
    """The report's events as a writer's transaction still open holds them: invisible to others."""
    rows = list(ReportEvent.objects.filter(report=report).values())
    ReportEvent.objects.filter(report=report).delete()
    return rows


def test_it_counts_a_write_committed_after_a_later_one_once_it_appears(records):
    cells.refresh()
    first = facts.submit(local(2025, 8, 1), kato=TEMIR)
    events = _hide_events(first)
    facts.submit(local(2025, 8, 5), kato=ALGA)  # a later writer, committed first
    cells.refresh()
    mark = CellMark.objects.get()
    assert {str(row["id"]) for row in events} <= set(mark.pending)
    ReportEvent.objects.bulk_create(ReportEvent(**row) for row in events)  # the first one commits
    cells.refresh()
    group = next(group for group in cells.stored_groups()["signals.report-events"] if group.name == "fsm-reports")
    august = window(date(2025, 8, 1), date(2025, 8, 31), date(2025, 8, 31))
    assert stored(group, august) == live(group, august)
    assert sum(values[0] for *_rest, values in stored(group, august)) == 2
    # Seen, they are no longer looked for (ids of rolled-back writes stay pending until they expire).
    assert not {str(row["id"]) for row in events} & set(CellMark.objects.get().pending)


def test_it_builds_the_cells_again_when_a_definition_changes(records):
    cells.refresh()
    Cell.objects.filter(group="fsm-reports").update(v0=1000)  # what an older definition counted
    CellMark.objects.update(signature="an older definition")
    cells.refresh()
    group = next(group for group in cells.stored_groups()["signals.report-events"] if group.name == "fsm-reports")
    year = window(date(2025, 1, 1), date(2025, 12, 31), date(2025, 12, 31))
    assert stored(group, year) == live(group, year)
    assert CellMark.objects.get().signature == cells.signature(
        cells.stored_groups()["signals.report-events"], cells._zones()
    )


def test_it_keeps_one_cell_per_day_and_month_of_the_facts(records):
    cells.refresh()
    days = set(Cell.objects.filter(group="fsm-reports", grain=Cell.Grain.DAY).values_list("effective", flat=True))
    # Received at 23:50 local time on 30 March (18:50 UTC): the region's day, not UTC's or the server's.
    assert date(2025, 3, 30) in days and date(2025, 6, 1) in days
    months = set(Cell.objects.filter(group="fsm-reports", grain=Cell.Grain.MONTH).values_list("effective", flat=True))
    assert months == {day.replace(day=1) for day in days}


def _group(name: str):
    return next(group for group in cells.stored_groups()["signals.report-events"] if group.name == name)


def test_it_counts_a_registration_redone_later_on_its_new_day_only(records):
    cells.refresh()
    registered = Report.objects.get(submitted_at=local(2025, 7, 1))
    facts.register(registered, local(2025, 8, 10), number="251532000999")  # the number corrected
    cells.refresh()
    group = _group("fsm-registrations")
    for first, last in ((date(2025, 7, 1), date(2025, 7, 31)), (date(2025, 1, 1), date(2025, 12, 31))):
        view = window(first, last, date(2025, 12, 31))
        assert stored(group, view) == live(group, view), (first, last)
    year = window(date(2025, 1, 1), date(2025, 12, 31), date(2025, 12, 31))
    assert sum(values[0] for *_rest, values in stored(group, year)) == 1


def test_it_builds_the_cells_again_when_a_code_they_name_or_a_zone_changes(records):
    cells.refresh()
    Category.objects.filter(code="fraud").update(code="internet-fraud")
    cells.refresh()
    group = _group("fsm-reports")
    year = window(date(2025, 1, 1), date(2025, 12, 31), date(2025, 12, 31))
    assert stored(group, year) == live(group, year)
    assert any(keys[0] == "internet-fraud" for _district, keys, _sensitive, _values in stored(group, year))
    Region.objects.update(time_zone="Europe/Moscow")  # 23:50 on 30 March in Aqtobe is 21:50 there
    cells.refresh()
    days = set(Cell.objects.filter(group="fsm-reports", grain=Cell.Grain.DAY).values_list("effective", flat=True))
    assert date(2025, 3, 30) in days and date(2025, 6, 1) not in days  # 00:10 on 1 June: 31 May in Moscow


def test_it_stops_looking_for_an_id_an_hour_after_it_was_missed(records):
    cells.refresh()
    mark = CellMark.objects.get()
    gone = mark.after + 1000  # a rolled-back write's id: it never appears
    recent = mark.after + 1001
    old = (datetime.now(UTC) - cells.MISSED_FOR - timedelta(minutes=1)).isoformat()
    mark.pending = {str(gone): old, str(recent): datetime.now(UTC).isoformat()}
    mark.save()
    cells.refresh()
    assert set(CellMark.objects.get().pending) == {str(recent)}
