"""Results summary benchmark (issue 12, point 8): reporting.figures.compute on PostgreSQL and SQLite.

    .venv/bin/python bench/summary.py                       # what make bench runs
    .venv/bin/python bench/summary.py --runs 5 --skip-sqlite

1. PostgreSQL (SUMMARY_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/tartip_bench_summary;
   created when missing): migrate, load_reference.
2. The fill, once per stage (the table `bench_summary_fill` records what was filled; a later run
   with the same sizes reuses it): for the region, in each of 2025 and 2024 (the base year), the
   demo's bulk builder (signals.demo.bulk_build_reports) makes `--base` realistic reports of the
   year with their events, answers, returns, reopenings and registrations; then SQL copies them
   (INSERT ... SELECT over generate_series: the reports with new ids and references, their events
   and answers with the report ids remapped; each copy keeps its events' `at`, `deadline_at` and
   `until`, so every report's chain stays consistent) until `--reports` of the year are stored.
   Then 19 synthetic regions (`--regions` in all): the region, its districts and organisations
   copied with new KATO codes, short codes and organisation codes, and the builder's realistic
   reports of both years (2 x `--base`) copied into each, the district and the bodies remapped.
   VACUUM (ANALYZE) after a fill.
3. Measured (after a warm-up, `--runs` runs, median and p90): the whole summary of the region for
   2025 (as of 2025-12-31, base 2024 as of 2024-12-31), beside the floor: one hand-written SQL
   statement computing every metric for both windows by district (FLOOR_SQL); one region's
   summary and the national summary (Request.make(region=None)) with 20 regions stored; the
   statement count of a one-district, a whole-region and a national summary.
4. SQLite: a temporary database (TARTIP_VAR_DIR in a temporary folder, DATABASE_URL unset),
   `--sqlite-reports` reports of 2025 and as many of 2024 by the builder, the same summary.

The issue's targets are printed as met or not, never asserted.
"""

# ruff: noqa: E501  (the SQL and the printed lines read better whole)
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import _server  # noqa: E402  (bench/_server.py)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tartip_bench_summary"
YEAR, BASE_YEAR = 2025, 2024
TARGET_REGION_S = 1.0
TARGET_FLOOR_RATIO = 3.0
TARGET_NATIONAL_S = 5.0
TARGET_SQLITE_MS = 300
SEED = 1212


def print_cells_built() -> None:
    """The flows' counts kept by day (reporting.cells): built whole by the first refresh after a
    fill (a backlog of log rows), then brought up to the records with nothing new (what every
    summary does first)."""
    from reporting import cells
    from reporting.models import Cell, CellMark

    built_before = set(CellMark.objects.values_list("built_at", flat=True))
    started = time.monotonic()
    cells.refresh()
    first = time.monotonic() - started
    rebuilt = set(CellMark.objects.values_list("built_at", flat=True)) != built_before
    started = time.monotonic()
    cells.refresh()
    print(
        f"counts kept by day: {'built whole' if rebuilt else 'brought up to the records'} in {first:.1f} s "
        f"({Cell.objects.count():,} cells); with nothing new {(time.monotonic() - started) * 1000:.0f} ms"
    )


def print_after_a_write(region, request) -> None:
    """The summary right after a citizen's report (received now, routed at once): the refresh
    counts that report's days again before the summary reads the cells. The report stays (it falls
    outside the measured years)."""
    from accounts.models import District
    from reporting.figures import compute
    from signals import services

    district = District.objects.filter(region=region, parent__isnull=True).order_by("kato").first()
    services.report_submit(
        actor=None,
        category="public-order",
        description="Benchmark: fights near the shop every night.",
        channel="web",
        district=district,
        address="Main street 1",
    )
    started = time.monotonic()
    compute(request)
    print(f"   right after one new report (its days counted again first): {(time.monotonic() - started) * 1000:.0f} ms")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("SUMMARY_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--reports", type=int, default=1_000_000, help="reports of the region in each year")
    parser.add_argument("--base", type=int, default=10_000, help="reports of each year made by the builder")
    parser.add_argument("--regions", type=int, default=20, help="regions stored (the region and copies)")
    parser.add_argument("--runs", type=int, default=7, help="measured runs of each summary")
    parser.add_argument("--sqlite-reports", type=int, default=10_000)
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument(
        "--pg-setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a PostgreSQL setting for the measured session (jit=off, work_mem=64MB...); repeatable",
    )
    parser.add_argument("--region-only", action="store_true", help="the region's summary and the floor only")
    parser.add_argument(
        "--explain", action="store_true", help="time each statement of the summary, EXPLAIN the slowest"
    )
    parser.add_argument("--sqlite-child", help=argparse.SUPPRESS)  # the SQLite part, in its own process
    return parser.parse_args()


# --- timing ---------------------------------------------------------------------------------------


def timed(function, runs: int, warmup: int = 2):
    for _ in range(warmup):
        result = function()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - started)
    timings.sort()
    p90 = timings[min(len(timings) - 1, max(0, round(len(timings) * 0.9) - 1))]
    return statistics.median(timings), p90, result


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def summary_request(region, district_ids=None):
    from reporting.figures import Request

    return Request.make(
        region=region,
        start=date(YEAR, 1, 1),
        end=date(YEAR, 12, 31),
        as_of=date(YEAR, 12, 31),
        district_ids=district_ids,
    )


# --- the fill ---------------------------------------------------------------------------------------


def marker(cursor, key: str):
    cursor.execute("CREATE TABLE IF NOT EXISTS bench_summary_fill (key text PRIMARY KEY, value jsonb NOT NULL)")
    cursor.execute("SELECT value FROM bench_summary_fill WHERE key = %s", [key])
    row = cursor.fetchone()
    if row is None:
        return None
    return json.loads(row[0]) if isinstance(row[0], str) else row[0]


def set_marker(cursor, key: str, value) -> None:
    cursor.execute(
        "INSERT INTO bench_summary_fill (key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        [key, json.dumps(value)],
    )


def columns(cursor, table: str, *leave_out: str) -> list[str]:
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position", [table]
    )
    return [name for (name,) in cursor.fetchall() if name not in leave_out]


def fill_year(region, year: int, total: int, base: int) -> None:
    """`base` reports of the year by the builder, then SQL copies of them up to `total`."""
    from django.db import connection, transaction

    from signals.demo import bulk_build_reports

    key = f"year-{year}"
    with connection.cursor() as cursor:
        done = marker(cursor, key)
    if done is not None and (done["total"], done["base"]) == (total, base):
        print(f"{year}: {total:,} reports of {region.short_code} already filled")
        return
    if done is not None:
        raise SystemExit(f"{year} was filled with {done}, not {total:,}/{base:,}: drop the database and run again")
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM signals_report")
        low = cursor.fetchone()[0] + 1
    started = time.monotonic()
    built = bulk_build_reports(
        region=region,
        count=base,
        seed=SEED + year,
        start=date(year, 1, 1),
        end=date(year, 12, 31),
        now=datetime(year + 1, 1, 1, 12, tzinfo=UTC),
        mark_demo=False,
    )
    seconds = time.monotonic() - started
    print(
        f"{year}: builder {built.reports:,} reports, {built.answers:,} answers in {seconds:.1f} s "
        f"({built.reports / seconds:,.0f} reports/s: {total / (built.reports / seconds) / 60:.0f} min for {total:,})"
    )
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM signals_report")
        high = cursor.fetchone()[0]
        copies = -(-total // built.reports) - 1
        copy_reports(cursor, low, high, copies, limit=total - built.reports)
        set_marker(cursor, key, {"total": total, "base": base, "low": low, "high": high})
    print(f"{year}: SQL copies up to {total:,} reports in {time.monotonic() - started:.1f} s")


def copy_reports(cursor, low, high, copies, *, limit=None, region_id=None, suffix="", district_map=None, org_map=None):
    """Copies 1..copies of the reports low..high: report id r of copy k becomes
    offset + (k - 1) * span + (r - low); events and answers follow (ids from their sequences).
    With a region: the copies move to it, their districts and bodies by the maps (temporary tables
    of old -> new ids)."""
    # The copies point to rows that exist (their originals' or the maps'): the foreign keys'
    # triggers, deferred to the commit by Django's constraints, would check millions of rows one by
    # one (minutes). Off for this transaction only (the bench database's superuser).
    cursor.execute("SET LOCAL session_replication_role = replica")
    cursor.execute("SELECT max(id) + 1 FROM signals_report")
    offset = cursor.fetchone()[0]
    span = high - low + 1
    new_id = "%(offset)s + (k - 1) * %(span)s + (b.id - %(low)s)"
    params = {"offset": offset, "span": span, "low": low, "high": high, "copies": copies, "suffix": suffix}
    report_columns = columns(cursor, "signals_report", "id", "reference", "tracking_token_hash")
    select = {column: f"b.{column}" for column in report_columns}
    joins = ""
    if region_id is not None:
        params["region"] = region_id
        select["region_id"] = "%(region)s"
        select["district_id"] = "dm.new"
        select["body_id"] = "om.new"
        joins = f" LEFT JOIN {district_map} dm ON dm.old = b.district_id LEFT JOIN {org_map} om ON om.old = b.body_id"
    order_limit = " ORDER BY k, b.id LIMIT %(limit)s" if limit is not None else ""
    params["limit"] = limit
    cursor.execute(
        f"INSERT INTO signals_report (id, reference, tracking_token_hash, {', '.join(report_columns)}) "
        f"SELECT {new_id}, b.reference || %(suffix)s || '-' || k, md5(b.tracking_token_hash || %(suffix)s || k) "
        f"|| md5(k || %(suffix)s || b.reference), {', '.join(select.values())} "
        f"FROM signals_report b{joins}, generate_series(1, %(copies)s) k WHERE b.id BETWEEN %(low)s AND %(high)s"
        f"{order_limit}",
        params,
    )
    for table in ("signals_reportevent", "signals_answer"):
        cols = columns(cursor, table, "id", "report_id")
        select = {column: f"e.{column}" for column in cols}
        joins = ""
        if region_id is not None:
            select["body_id"] = "om.new"
            joins = f" LEFT JOIN {org_map} om ON om.old = e.body_id"
        new_report = new_id.replace("b.id", "e.report_id")
        cursor.execute(
            f"INSERT INTO {table} (report_id, {', '.join(cols)}) "
            f"SELECT {new_report}, {', '.join(select.values())} FROM {table} e{joins}, generate_series(1, %(copies)s) k "
            f"WHERE e.report_id BETWEEN %(low)s AND %(high)s "
            f"AND EXISTS (SELECT 1 FROM signals_report r WHERE r.id = {new_report})",
            params,
        )
    for table in ("signals_report", "signals_reportevent", "signals_answer"):
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")


def copy_region(cursor, region_id: int, n: int) -> tuple[int, str, str]:
    """Region copy n: the region, its districts (parents remapped) and organisations (parents,
    served districts remapped), with KATO codes whose first two digits are 80 + n, the short code
    Bnn, organisation codes '<code>-bnn'. Returns the new region's id and the two map tables."""
    prefix = f"{80 + n:02d}"
    cols = columns(cursor, "accounts_region", "id", "kato", "short_code")
    cursor.execute(
        f"INSERT INTO accounts_region (kato, short_code, {', '.join(cols)}) "
        f"SELECT %s || substr(kato, 3), %s, {', '.join(cols)} FROM accounts_region WHERE id = %s RETURNING id",
        [prefix, f"B{n:02d}", region_id],
    )
    new_region = cursor.fetchone()[0]
    district_map, org_map = f"bench_district_map_{n}", f"bench_org_map_{n}"
    cols = columns(cursor, "accounts_district", "id", "kato", "region_id", "parent_id")
    cursor.execute(
        f"INSERT INTO accounts_district (kato, region_id, parent_id, {', '.join(cols)}) "
        f"SELECT %s || substr(kato, 3), %s, NULL, {', '.join(cols)} FROM accounts_district WHERE region_id = %s",
        [prefix, new_region, region_id],
    )
    cursor.execute(
        f"CREATE TEMPORARY TABLE {district_map} AS SELECT o.id AS old, c.id AS new FROM accounts_district o "
        f"JOIN accounts_district c ON c.kato = %s || substr(o.kato, 3) WHERE o.region_id = %s",
        [prefix, region_id],
    )
    cursor.execute(
        f"UPDATE accounts_district c SET parent_id = pm.new FROM {district_map} m, accounts_district o, {district_map} pm "
        f"WHERE c.id = m.new AND o.id = m.old AND pm.old = o.parent_id"
    )
    cols = columns(cursor, "accounts_organisation", "id", "code", "region_id", "parent_id")
    cursor.execute(
        f"INSERT INTO accounts_organisation (code, region_id, parent_id, {', '.join(cols)}) "
        f"SELECT code || %s, %s, NULL, {', '.join(cols)} FROM accounts_organisation WHERE region_id = %s",
        [f"-b{n:02d}", new_region, region_id],
    )
    cursor.execute(
        f"CREATE TEMPORARY TABLE {org_map} AS SELECT o.id AS old, c.id AS new FROM accounts_organisation o "
        f"JOIN accounts_organisation c ON c.code = o.code || %s WHERE o.region_id = %s",
        [f"-b{n:02d}", region_id],
    )
    cursor.execute(
        f"UPDATE accounts_organisation c SET parent_id = pm.new FROM {org_map} m, accounts_organisation o, {org_map} pm "
        f"WHERE c.id = m.new AND o.id = m.old AND pm.old = o.parent_id"
    )
    cursor.execute(
        f"INSERT INTO accounts_organisation_districts (organisation_id, district_id) "
        f"SELECT om.new, dm.new FROM accounts_organisation_districts od JOIN {org_map} om ON om.old = od.organisation_id "
        f"JOIN {district_map} dm ON dm.old = od.district_id"
    )
    return new_region, district_map, org_map


def fill_regions(region, regions: int) -> None:
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        done = marker(cursor, "regions")
        spans = [marker(cursor, f"year-{year}") for year in (YEAR, BASE_YEAR)]
    if done is not None and done["regions"] == regions:
        print(f"{regions} regions already stored")
        return
    if done is not None:
        raise SystemExit(f"{done['regions']} regions stored, not {regions}: drop the database and run again")
    started = time.monotonic()
    per_region = 0
    for n in range(1, regions):
        with transaction.atomic(), connection.cursor() as cursor:
            new_region, district_map, org_map = copy_region(cursor, region.pk, n)
            for span in spans:
                copy_reports(
                    cursor,
                    span["low"],
                    span["high"],
                    1,
                    region_id=new_region,
                    suffix=f"-B{n:02d}",
                    district_map=district_map,
                    org_map=org_map,
                )
            if n == 1:
                cursor.execute("SELECT count(*) FROM signals_report WHERE region_id = %s", [new_region])
                per_region = cursor.fetchone()[0]
            if n == regions - 1:
                set_marker(cursor, "regions", {"regions": regions, "per_region": per_region})
    print(f"{regions - 1} synthetic regions of {per_region:,} reports each in {time.monotonic() - started:.1f} s")


def vacuum() -> None:
    from django.db import connection

    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    print(f"VACUUM (ANALYZE): {time.monotonic() - started:.1f} s")


# --- the floor: one hand-written statement ------------------------------------------------------------

# Every metric, both windows (suffix _1: the period as of its date; _0: the base), by district.
# Windows: %(s1)s <= effective < %(e1)s and recorded <= %(a1)s (flows), state at %(a1)s (stocks).
FLOOR_SQL = """
WITH
received AS (
  SELECT district_id AS d,
    count(*) FILTER (WHERE submitted_at >= %(s1)s AND submitted_at < %(e1)s AND submitted_at <= %(a1)s) AS v1,
    count(*) FILTER (WHERE submitted_at >= %(s0)s AND submitted_at < %(e0)s AND submitted_at <= %(a0)s) AS v0
  FROM signals_report WHERE region_id = %(region)s
    AND (submitted_at >= %(s1)s AND submitted_at < %(e1)s OR submitted_at >= %(s0)s AND submitted_at < %(e0)s)
  GROUP BY 1),
registered AS (
  SELECT district_id AS d,
    count(*) FILTER (WHERE registered_at >= %(s1)s AND registered_at < %(e1)s AND registered_at <= %(a1)s) AS v1,
    count(*) FILTER (WHERE registered_at >= %(s0)s AND registered_at < %(e0)s AND registered_at <= %(a0)s) AS v0
  FROM signals_report WHERE region_id = %(region)s AND registration <> ''
    AND (registered_at >= %(s1)s AND registered_at < %(e1)s OR registered_at >= %(s0)s AND registered_at < %(e0)s)
  GROUP BY 1),
events AS (
  SELECT r.district_id AS d,
    count(*) FILTER (WHERE e.kind = %(routed)s AND e.at >= %(s1)s AND e.at < %(e1)s AND e.at <= %(a1)s) AS routed1,
    count(*) FILTER (WHERE e.kind = %(routed)s AND e.at >= %(s0)s AND e.at < %(e0)s AND e.at <= %(a0)s) AS routed0,
    count(*) FILTER (WHERE e.kind = %(status)s AND e.to_status = %(reopened)s
                       AND e.at >= %(s1)s AND e.at < %(e1)s AND e.at <= %(a1)s) AS reopened1,
    count(*) FILTER (WHERE e.kind = %(status)s AND e.to_status = %(reopened)s
                       AND e.at >= %(s0)s AND e.at < %(e0)s AND e.at <= %(a0)s) AS reopened0,
    count(*) FILTER (WHERE e.at <= %(a1)s AND (e.until > %(a1)s OR e.until IS NULL)
                       AND e.to_status IN %(awaiting)s AND e.deadline_at < %(a1)s) AS overdue1,
    count(*) FILTER (WHERE e.at <= %(a0)s AND (e.until > %(a0)s OR e.until IS NULL)
                       AND e.to_status IN %(awaiting)s AND e.deadline_at < %(a0)s) AS overdue0
  FROM signals_reportevent e JOIN signals_report r ON r.id = e.report_id
  WHERE r.region_id = %(region)s AND (
        e.kind IN (%(routed)s, %(status)s) AND (e.at >= %(s1)s AND e.at < %(e1)s OR e.at >= %(s0)s AND e.at < %(e0)s)
     OR e.to_status IN %(awaiting)s AND (e.at <= %(a1)s AND (e.until > %(a1)s OR e.until IS NULL) AND e.deadline_at < %(a1)s
                                      OR e.at <= %(a0)s AND (e.until > %(a0)s OR e.until IS NULL) AND e.deadline_at < %(a0)s))
  GROUP BY 1),
answers AS (
  SELECT r.district_id AS d,
    count(*) FILTER (WHERE a.at >= %(s1)s AND a.at < %(e1)s AND a.at <= %(a1)s) AS given1,
    count(*) FILTER (WHERE a.at >= %(s0)s AND a.at < %(e0)s AND a.at <= %(a0)s) AS given0,
    count(*) FILTER (WHERE a.on_time AND a.at >= %(s1)s AND a.at < %(e1)s AND a.at <= %(a1)s) AS on_time1,
    count(*) FILTER (WHERE a.on_time AND a.at >= %(s0)s AND a.at < %(e0)s AND a.at <= %(a0)s) AS on_time0,
    count(*) FILTER (WHERE NOT a.on_time AND a.at >= %(s1)s AND a.at < %(e1)s AND a.at <= %(a1)s) AS late1,
    count(*) FILTER (WHERE NOT a.on_time AND a.at >= %(s0)s AND a.at < %(e0)s AND a.at <= %(a0)s) AS late0,
    count(*) FILTER (WHERE a.decision = %(returned)s
                       AND a.decided_at >= %(s1)s AND a.decided_at < %(e1)s AND a.decided_at <= %(a1)s) AS returned1,
    count(*) FILTER (WHERE a.decision = %(returned)s
                       AND a.decided_at >= %(s0)s AND a.decided_at < %(e0)s AND a.decided_at <= %(a0)s) AS returned0
  FROM signals_answer a JOIN signals_report r ON r.id = a.report_id
  WHERE r.region_id = %(region)s
    AND (a.at >= %(s1)s AND a.at < %(e1)s OR a.at >= %(s0)s AND a.at < %(e0)s
         OR a.decided_at >= %(s1)s AND a.decided_at < %(e1)s OR a.decided_at >= %(s0)s AND a.decided_at < %(e0)s)
  GROUP BY 1),
acts AS (
  SELECT x.district_id AS d,
    count(*) FILTER (WHERE x.date >= %(d_s1)s AND x.date < %(d_e1)s AND x.created_at <= %(a1)s) AS recorded1,
    count(*) FILTER (WHERE x.date >= %(d_s0)s AND x.date < %(d_e0)s AND x.created_at <= %(a0)s) AS recorded0,
    count(*) FILTER (WHERE x.date >= %(d_s1)s AND x.date < %(d_e1)s AND x.created_at <= %(a1)s
                       AND x.outcome IN ('satisfied', 'partly') AND x.outcome_at <= %(d_a1)s AND EXISTS (
                         SELECT 1 FROM supervision_supervisoryactevent v
                         WHERE v.act_id = x.id AND v.kind = 'outcome' AND v.at <= %(a1)s)) AS satisfied1,
    count(*) FILTER (WHERE x.date >= %(d_s0)s AND x.date < %(d_e0)s AND x.created_at <= %(a0)s
                       AND x.outcome IN ('satisfied', 'partly') AND x.outcome_at <= %(d_a0)s AND EXISTS (
                         SELECT 1 FROM supervision_supervisoryactevent v
                         WHERE v.act_id = x.id AND v.kind = 'outcome' AND v.at <= %(a0)s)) AS satisfied0
  FROM supervision_supervisoryact x WHERE x.region_id = %(region)s
    AND (x.date >= %(d_s1)s AND x.date < %(d_e1)s OR x.date >= %(d_s0)s AND x.date < %(d_e0)s)
  GROUP BY 1),
districts AS (SELECT d FROM received UNION SELECT d FROM registered UNION SELECT d FROM events
              UNION SELECT d FROM answers UNION SELECT d FROM acts)
SELECT districts.d, received.v1, received.v0, events.routed1, events.routed0, answers.given1, answers.given0,
       answers.on_time1, answers.on_time0, answers.late1, answers.late0,
       round(100.0 * answers.on_time1 / nullif(answers.given1, 0), 1), round(100.0 * answers.on_time0 / nullif(answers.given0, 0), 1),
       answers.returned1, answers.returned0, events.reopened1, events.reopened0, registered.v1, registered.v0,
       events.overdue1, events.overdue0, acts.recorded1, acts.recorded0, acts.satisfied1, acts.satisfied0
FROM districts LEFT JOIN received USING (d) LEFT JOIN registered USING (d) LEFT JOIN events USING (d)
     LEFT JOIN answers USING (d) LEFT JOIN acts USING (d)
"""


def floor_params(request) -> dict:
    from reporting.figures import window_of
    from signals.models import Answer, Report, ReportEvent

    current = window_of(request, request.period, request.as_of)
    base = window_of(request, request.base, request.base_as_of)
    params = {
        "region": request.region.pk,
        "routed": ReportEvent.Kind.ROUTED.value,
        "status": ReportEvent.Kind.STATUS.value,
        "reopened": Report.Status.REOPENED.value,
        "returned": Answer.Decision.RETURNED.value,
    }
    for suffix, window in (("1", current), ("0", base)):
        params |= {f"s{suffix}": window.start, f"e{suffix}": window.end, f"a{suffix}": window.as_of}
        params |= {f"d_s{suffix}": window.start.date(), f"d_e{suffix}": window.end.date()}
        params[f"d_a{suffix}"] = window.as_of.date()
    return params


def floor_sql() -> str:
    """FLOOR_SQL with the awaiting statuses written in, in the order of the events' partial index
    (`report_event_awaiting`), as the engine writes them (signals.policy.awaiting_answer)."""
    from signals.policy import AWAITING_ANSWER_IN_ORDER

    return FLOOR_SQL.replace("IN %(awaiting)s", "IN (" + ", ".join(f"'{s}'" for s in AWAITING_ANSWER_IN_ORDER) + ")")


def run_floor(params) -> list:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(floor_sql(), params)
        return cursor.fetchall()


def check_floor(summary, rows) -> str:
    """The floor's region totals beside the summary's (they must agree)."""
    totals = [sum(row[i] or 0 for row in rows) for i in range(1, len(rows[0]))] if rows else []
    codes = [
        "fsm.reports.received",
        "fsm.reports.routed",
        "fsm.answers.given",
        "fsm.answers.on_time",
        "fsm.answers.late",
        None,
        "fsm.answers.returned",
        "fsm.reports.reopened",
        "fsm.reports.registered",
        "fsm.reports.overdue",
        "fsm.acts.recorded",
        "fsm.acts.satisfied",
    ]
    differences = []
    for index, code in enumerate(codes):
        if code is None:
            continue
        figure = summary.figure(code)
        floor_value, floor_base = totals[2 * index], totals[2 * index + 1]
        if (figure.value, figure.base) != (floor_value, floor_base):
            differences.append(f"{code}: summary {figure.value}/{figure.base}, floor {floor_value}/{floor_base}")
    return "; ".join(differences) or "the floor's totals equal the summary's"


# --- PostgreSQL --------------------------------------------------------------------------------------


def postgres(args) -> dict:
    _server.ensure_database(args.database_url)
    env = _server.bench_environment(args.database_url)
    started = time.monotonic()
    _server.manage("migrate", "--noinput", "-v0", env=env)
    _server.manage("load_reference", "-v0", env=env)
    print(f"migrate + load_reference: {time.monotonic() - started:.1f} s")
    _server.setup_django(args.database_url)
    from django.db import connection

    from accounts.models import District, Region
    from reporting.figures import compute
    from signals.models import Report

    region = Region.objects.order_by("id").first()
    filled = False
    for year in (YEAR, BASE_YEAR):
        with connection.cursor() as cursor:
            filled |= marker(cursor, f"year-{year}") is None
        fill_year(region, year, args.reports, args.base)
    with connection.cursor() as cursor:
        filled |= marker(cursor, "regions") is None
    if filled:
        vacuum()  # before the copies into other regions too: their INSERT ... SELECTs plan better
    fill_regions(region, args.regions)
    if filled:
        vacuum()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM signals_reportevent")
        events = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM signals_answer")
        answers = cursor.fetchone()[0]
    stored = Report.objects.count()
    own = Report.objects.filter(region=region, submitted_at__year__in=(BASE_YEAR, YEAR)).count()
    print(
        f"\nstored: {stored:,} reports ({own:,} of {region.short_code} in {BASE_YEAR}-{YEAR}), {events:,} events, "
        f"{answers:,} answers, {Region.objects.count()} regions; database {size}; cores {os.cpu_count()}; "
        f"load average {os.getloadavg()}"
    )
    results = {}
    with connection.cursor() as cursor:
        for setting in args.pg_setting:
            name, value = setting.split("=", 1)
            cursor.execute("SELECT set_config(%s, %s, false)", [name, value])
        cursor.execute("SELECT current_setting('jit'), current_setting('work_mem'), current_setting('shared_buffers')")
        print("session: jit {}, work_mem {}, shared_buffers {}".format(*cursor.fetchone()))

    print_cells_built()

    # 2. The region-year, beside the floor.
    request = summary_request(region)
    median, p90, summary = timed(lambda: compute(request), args.runs)
    results["region"] = median
    params = floor_params(request)
    floor_median, floor_p90, rows = timed(lambda: run_floor(params), args.runs)
    ratio = median / floor_median
    print(f"\n1. whole summary of {region.short_code}, {YEAR} as of {YEAR}-12-31 (base {BASE_YEAR}), {args.runs} runs:")
    print(f"   summary: median {median * 1000:.0f} ms, p90 {p90 * 1000:.0f} ms, {summary.statements} SQL statements")
    print(
        f"   floor (one hand-written statement, every metric, both windows, by district): "
        f"median {floor_median * 1000:.0f} ms, p90 {floor_p90 * 1000:.0f} ms; {check_floor(summary, rows)}"
    )
    print(
        f"   received {summary.figure('fsm.reports.received').value:,} (base {summary.figure('fsm.reports.received').base:,})"
    )
    print(
        f"   target < {TARGET_REGION_S:.0f} s: {verdict(median < TARGET_REGION_S)}; "
        f"ratio to the floor {ratio:.1f}x, target within {TARGET_FLOOR_RATIO:.0f}x: {verdict(ratio <= TARGET_FLOOR_RATIO)}"
    )

    print_after_a_write(region, request)

    if args.explain:
        explain(request)
    if args.region_only:
        return results

    # 3. One region with 20 stored (the same region: the others are its copies), and the national summary.
    other = Region.objects.exclude(pk=region.pk).order_by("id").first()
    if other is not None:
        other_median, other_p90, other_summary = timed(lambda: compute(summary_request(other)), args.runs)
        print(f"\n2. one region's summary with {Region.objects.count()} regions stored:")
        print(
            f"   {region.short_code} (1M a year): median {median * 1000:.0f} ms (above); "
            f"{other.short_code} ({other_summary.figure('fsm.reports.received').value:,} in {YEAR}): "
            f"median {other_median * 1000:.0f} ms, p90 {other_p90 * 1000:.0f} ms; "
            f"target < {TARGET_REGION_S:.0f} s: {verdict(max(median, other_median) < TARGET_REGION_S)}"
        )
    national = summary_request(None)
    national_runs = max(3, args.runs // 2)
    national_median, national_p90, national_summary = timed(lambda: compute(national), national_runs, warmup=1)
    results["national"] = national_median
    print(
        f"\n3. national summary over {Region.objects.count()} regions "
        f"({national_summary.figure('fsm.reports.received').value:,} received in {YEAR}), {national_runs} runs: "
        f"median {national_median:.2f} s, p90 {national_p90:.2f} s, {national_summary.statements} SQL statements; "
        f"target < {TARGET_NATIONAL_S:.0f} s: {verdict(national_median < TARGET_NATIONAL_S)}"
    )

    # 5. The statement count: one district, the whole region, the nation.
    district = District.objects.filter(region=region, parent__isnull=True).order_by("kato").first()
    one = compute(summary_request(region, frozenset({district.pk})))
    equal = one.statements == summary.statements
    print(
        f"\n4. SQL statements: one district ({district.kato}) {one.statements}, the whole region "
        f"({District.objects.filter(region=region).count()} districts) {summary.statements}: "
        f"{'equal' if equal else 'NOT equal'}; national ({Region.objects.count()} regions) "
        f"{national_summary.statements}"
    )
    return results


def explain(request, top: int = 3) -> None:
    """Each statement of one summary, timed; the slowest `top` EXPLAIN (ANALYZE, BUFFERS)ed."""
    from django.db import connection

    from reporting.figures import compute

    timings = []

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append((time.perf_counter() - started, sql, params))

    started = time.perf_counter()
    with connection.execute_wrapper(wrapper):
        compute(request)
    total = time.perf_counter() - started
    spent = sum(seconds for seconds, _, _ in timings)
    print(f"\n   explain: {len(timings)} statements, {spent * 1000:.0f} ms in SQL of {total * 1000:.0f} ms in all")
    for seconds, sql, _params in sorted(timings, key=lambda item: -item[0]):
        print(f"   {seconds * 1000:8.1f} ms  {' '.join(sql.split())[:150]}")
    for seconds, sql, params in sorted(timings, key=lambda item: -item[0])[:top]:
        with connection.cursor() as cursor:
            prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
            cursor.execute(prefix + sql, params)
            print(f"\n   --- {seconds * 1000:.0f} ms: {' '.join(sql.split())[:300]}")
            for line in cursor.fetchall():
                print("   " + " ".join(str(part) for part in line))


# --- SQLite --------------------------------------------------------------------------------------------


def sqlite(args) -> None:
    with tempfile.TemporaryDirectory(prefix="tartip-bench-summary-") as folder:
        env = _server.bench_environment("", TARTIP_VAR_DIR=folder)
        env.pop("DATABASE_URL")
        started = time.monotonic()
        _server.manage("migrate", "--noinput", "-v0", env=env)
        _server.manage("load_reference", "-v0", env=env)
        print(f"\nSQLite ({folder}): migrate + load_reference {time.monotonic() - started:.1f} s")
        command = [
            sys.executable,
            __file__,
            "--sqlite-child",
            folder,
            "--runs",
            str(args.runs),
            "--sqlite-reports",
            str(args.sqlite_reports),
        ] + (["--explain"] if args.explain else [])
        subprocess.run(command, env=env, check=True)


def sqlite_child(args) -> None:
    os.environ.update(_server.BENCH_ENV)
    os.environ.pop("DATABASE_URL", None)
    os.environ["TARTIP_VAR_DIR"] = args.sqlite_child
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tartip.settings")
    os.chdir(_server.ROOT)
    import django

    django.setup()
    from django.db import connection

    from accounts.models import Region
    from reporting.figures import compute
    from signals.demo import bulk_build_reports

    assert connection.vendor == "sqlite", connection.vendor
    region = Region.objects.order_by("id").first()
    started = time.monotonic()
    for year in (YEAR, BASE_YEAR):
        bulk_build_reports(
            region=region,
            count=args.sqlite_reports,
            seed=SEED + year,
            start=date(year, 1, 1),
            end=date(year, 12, 31),
            now=datetime(year + 1, 1, 1, 12, tzinfo=UTC),
            mark_demo=False,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print_cells_built()
    print(
        f"   builder: {args.sqlite_reports:,} reports of {YEAR} and as many of {BASE_YEAR} in {time.monotonic() - started:.1f} s"
    )
    median, p90, summary = timed(lambda: compute(summary_request(region)), args.runs)
    print(
        f"5. SQLite, {summary.figure('fsm.reports.received').value:,} reports in {YEAR}: median {median * 1000:.0f} ms, "
        f"p90 {p90 * 1000:.0f} ms, {summary.statements} SQL statements; "
        f"target < {TARGET_SQLITE_MS} ms: {verdict(median * 1000 < TARGET_SQLITE_MS)}"
    )
    if args.explain:
        explain(summary_request(region))


def main() -> int:
    args = parse_args()
    if args.sqlite_child:
        sqlite_child(args)
        return 0
    if not args.skip_postgres:
        postgres(args)
    if not args.skip_sqlite:
        sqlite(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
