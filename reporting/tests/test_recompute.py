"""Every figure of a summary recomputed with independent plain SQL, and the metamorphic test: N more
reports in one district and category move exactly the figures that must move by N, and nothing else.

The facts span the period (the first nine months of 2025, as of 30 September) and its base (the
same months of 2024): reports in the city, one of its city districts, Alga and Temir, of an ordinary
and a sensitive category, through two channels; answers on time and late, a return, a reopening,
a registration; and facts just outside the period or recorded after the "as of" day."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection

from reporting.figures import Request, compute
from reporting.tests import facts
from reporting.tests.facts import ALGA, ALMATY_DISTRICT, CITY, TEMIR, local
from signals.models import Report

pytestmark = pytest.mark.django_db

ALGA_POLICE = "akt-police-alga"
PERIOD = {"start": date(2025, 1, 1), "end": date(2025, 9, 30), "as_of": date(2025, 9, 30)}


def _life(year: int, *, kato: str, code="public-order", channel=Report.Channel.WEB, answered_late=False):
    report = facts.submit(local(year, 3, 3), kato=kato, code=code, channel=channel)
    report.refresh_from_db()
    answered_at = report.deadline_at + timedelta(days=2) if answered_late else local(year, 3, 4)
    facts.answer(report, answered_at)
    return report


@pytest.fixture
def records():
    for year in (2024, 2025):
        _life(year, kato=ALGA)
        _life(year, kato=ALGA, channel=Report.Channel.HOTLINE, answered_late=True)
        _life(year, kato=CITY, code="fraud")
        _life(year, kato=ALMATY_DISTRICT, code="domestic-violence")  # sensitive, in the city
    returned = _life(2025, kato=TEMIR)
    facts.return_answer(returned, local(2025, 3, 6))
    reopened = _life(2025, kato=TEMIR, code="fraud")
    facts.reopen(reopened, local(2025, 3, 10))
    registered = facts.submit(local(2025, 5, 5), kato=ALGA, code="drug-dealing")
    facts.register(registered, local(2025, 5, 6))
    facts.submit(local(2025, 6, 1), kato=TEMIR)  # routed, never answered: overdue by September
    facts.submit(local(2025, 10, 1, 0, 30), kato=ALGA)  # just after the period (local time)
    facts.submit(local(2024, 12, 31, 23, 30), kato=ALGA)  # just before it
    late = facts.submit(local(2025, 9, 20), kato=CITY)
    facts.answer(late, local(2025, 10, 2))  # answered after the "as of" day: not an answer yet


def summary(**overrides):
    return compute(Request.make(region=facts.region(), **(PERIOD | overrides)))


# --- the independent recomputation -----------------------------------------------------------------

# The top-level unit of a district: a city district counts in its city.
UNIT = "COALESCE(parent.kato, d.kato)"
DISTRICTS = (
    "LEFT JOIN accounts_district d ON d.id = r.district_id "
    "LEFT JOIN accounts_district parent ON parent.id = d.parent_id"
)


def _bounds(start: date, end: date, as_of: date) -> tuple[datetime, datetime, datetime]:
    zone = facts.AKTOBE
    return (
        datetime.combine(start, datetime.min.time(), zone),
        datetime.combine(end + timedelta(days=1), datetime.min.time(), zone),
        datetime.combine(as_of + timedelta(days=1), datetime.min.time(), zone) - timedelta(microseconds=1),
    )


def _moment(value):
    """A parameter as the database keeps moments: SQLite stores naive UTC text."""
    if isinstance(value, datetime) and connection.vendor == "sqlite":
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _by_unit(sql: str, params: list) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(sql, [_moment(param) for param in params])
        rows = cursor.fetchall()
    return dict(rows)


FLOWS = {
    # code -> (FROM and JOINs giving `r` as the report, the moment's column, extra condition)
    "fsm.reports.received": ("signals_report r", "r.submitted_at", "1=1"),
    "fsm.reports.routed": (
        "signals_reportevent e JOIN signals_report r ON r.id = e.report_id",
        "e.at",
        "e.kind = 'routed'",
    ),
    "fsm.answers.given": ("signals_answer a JOIN signals_report r ON r.id = a.report_id", "a.at", "1=1"),
    "fsm.answers.on_time": ("signals_answer a JOIN signals_report r ON r.id = a.report_id", "a.at", "a.on_time"),
    "fsm.answers.late": ("signals_answer a JOIN signals_report r ON r.id = a.report_id", "a.at", "NOT a.on_time"),
    "fsm.answers.returned": (
        "signals_answer a JOIN signals_report r ON r.id = a.report_id",
        "a.decided_at",
        "a.decision = 'returned'",
    ),
    "fsm.reports.reopened": (
        "signals_reportevent e JOIN signals_report r ON r.id = e.report_id",
        "e.at",
        "e.kind = 'status' AND e.to_status = 'reopened'",
    ),
    "fsm.reports.registered": ("signals_report r", "r.registered_at", "r.registration <> ''"),
}


def flow_by_unit(code: str, start: date, end: date, as_of: date, region_id: int) -> dict:
    source, moment, condition = FLOWS[code]
    low, high, until = _bounds(start, end, as_of)
    sql = (
        f"SELECT {UNIT}, COUNT(*) FROM {source} {DISTRICTS} WHERE r.region_id = %s AND {condition} "
        f"AND {moment} >= %s AND {moment} < %s AND {moment} <= %s GROUP BY {UNIT}"
    )
    return _by_unit(sql, [region_id, low, high, until])


def overdue_by_unit(as_of: date, region_id: int) -> dict:
    """Reports whose last event by the end of the day left them awaiting an answer past the
    deadline in force then: written from the events' own order, not from their `until`."""
    _, _, moment = _bounds(as_of, as_of, as_of)
    sql = f"""
        SELECT {UNIT}, COUNT(*) FROM signals_reportevent e
        JOIN signals_report r ON r.id = e.report_id {DISTRICTS}
        WHERE r.region_id = %s AND e.at <= %s
          AND NOT EXISTS (SELECT 1 FROM signals_reportevent later WHERE later.report_id = e.report_id
                          AND later.at <= %s AND (later.at > e.at OR (later.at = e.at AND later.id > e.id)))
          AND e.to_status IN ('routed', 'accepted', 'returned') AND e.deadline_at < %s
        GROUP BY {UNIT}"""
    return _by_unit(sql, [region_id, moment, moment, moment])


def _check(figure, expected_now: dict, expected_base: dict):
    assert figure.value == sum(expected_now.values()), figure.code
    assert figure.base == sum(expected_base.values()), figure.code
    for part in figure.by_district:
        assert part.value == expected_now.get(part.key, 0), (figure.code, part.key)
        assert part.base == expected_base.get(part.key, 0), (figure.code, part.key)


def test_it_agrees_with_plain_sql_on_every_figure(records):
    result = summary()
    region_id = facts.region().pk
    request = result.request
    for code in FLOWS:
        now = flow_by_unit(code, request.period.start, request.period.end, request.as_of, region_id)
        base = flow_by_unit(code, request.base.start, request.base.end, request.base_as_of, region_id)
        _check(result.figure(code), now, base)
    _check(
        result.figure("fsm.reports.overdue"),
        overdue_by_unit(request.as_of, region_id),
        overdue_by_unit(request.base_as_of, region_id),
    )
    on_time, given = result.figure("fsm.answers.on_time"), result.figure("fsm.answers.given")
    expected_share = (Decimal(on_time.value) * 100 / given.value).quantize(Decimal("0.1"))
    assert result.figure("fsm.answers.on_time_share").value == expected_share


def test_it_counts_what_the_facts_say(records):
    """The same figures counted by hand from the fixture, so the SQL above is checked too."""
    result = summary()
    received = result.figure("fsm.reports.received")
    assert (received.value, received.base) == (4 + 2 + 1 + 2, 4)
    by_unit = {part.key: part.value for part in received.by_district}
    assert by_unit[CITY] == 2 + 1  # its own and its city district's, with the late one of September
    assert ALMATY_DISTRICT not in by_unit  # counted in the city, never twice
    assert result.figure("fsm.answers.given").value == 6
    assert result.figure("fsm.answers.late").value == 1
    assert result.figure("fsm.answers.returned").value == 1
    assert result.figure("fsm.reports.reopened").value == 1
    assert result.figure("fsm.reports.registered").value == 1
    overdue = result.figure("fsm.reports.overdue")
    assert overdue.value >= 2  # the June report and the returned one (its new deadline passed)
    assert overdue.base == 0
    assert overdue.change_percent is None  # a base of 0: "n/a", never infinity


def test_it_moves_exactly_the_figures_n_more_reports_move(records):
    """N more reports received in Alga in the fraud category, by the web form, never answered and
    not yet due: every figure stays as it was but those counting them, which move by N."""
    before = summary()
    n = 3
    for day in range(n):
        facts.submit(local(2025, 9, 25 + day), kato=ALGA, code="fraud")
    after = summary()
    moved = {"fsm.reports.received": n, "fsm.reports.routed": n}
    for old, new in zip(before.figures, after.figures, strict=True):
        step = moved.get(old.code, 0)
        assert (new.code, new.value) == (old.code, (old.value or 0) + step if step else old.value)
        assert new.base == old.base, new.code
        for part_before, part_after in zip(old.by_district, new.by_district, strict=True):
            if part_before.value is None:  # a share of a district without answers
                assert part_after.value is None, (new.code, part_after.key)
                continue
            expected = part_before.value + (step if part_before.key == ALGA else 0)
            assert part_after.value == expected, (new.code, part_after.key)
        for dimension, parts in new.by.items():
            counts_before = {part.key: part.value for part in old.by.get(dimension, [])}
            counts_after = {part.key: part.value for part in parts}
            changed = {key for key in counts_after if counts_after[key] != counts_before.get(key)}
            if step:
                expected_key = {"category": "fraud", "channel": Report.Channel.WEB, "body": ALGA_POLICE}[dimension]
                assert changed == {expected_key}, (new.code, dimension)
                assert counts_after[expected_key] - counts_before.get(expected_key, 0) == n
            else:
                assert changed == set(), (new.code, dimension)


def test_it_does_not_grow_its_statements_with_districts_or_categories(records):
    summary()  # the per-process caches (categories) are filled once, by the first summary
    one = summary(district_ids=frozenset({facts.District.objects.get(kato=ALGA).pk}))
    everything = summary()
    assert one.statements == everything.statements


def test_it_leads_a_figure_back_to_the_rows_it_counted(records):
    from reporting.figures import rows_behind

    request = summary().request
    rows, total = rows_behind(request, "fsm.reports.received", district_kato=ALGA)
    expected = Report.objects.filter(
        district__kato=ALGA, submitted_at__gte=local(2025, 1, 1, 0), submitted_at__lt=local(2025, 10, 1, 0)
    )
    assert total == expected.count() == len(rows)
    assert {row["reference"] for row in rows} == set(expected.values_list("reference", flat=True))
    assert all("description" not in row for row in rows)  # never what the reporter wrote
    late_rows, late_total = rows_behind(request, "fsm.answers.late")
    assert late_total == 1 and late_rows[0]["district"]
