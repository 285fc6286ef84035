"""Oversight page benchmark: /signals/oversight/ with 1,000,000 reports stored, on PostgreSQL.

    .venv/bin/python bench/oversight.py [--reports 1000000] [--requests 40]

1. PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/tartip_bench_oversight;
   created when missing): migrate, load_reference.
2. The fill, once (later runs find it): the demo's bulk builder (signals.demo.bulk_build_reports)
   makes BASE reports of the last two years up to today, with their answers, forwards,
   extensions, registrations: every status, overdue and returned ones, repeat places. Then SQL
   copies them (INSERT ... SELECT over generate_series, with their answers) until `--reports`
   are stored; each copy is moved up to about a kilometre so places do not pile up. ANALYZE.
3. Measured: the worker's statistics job once (signals.oversight.refresh_statistics, run every 10
   minutes by the scheduler), then GET /signals/oversight/ through Django's full request handling (every middleware,
   the session, the second factor, the template) in this process, `--requests` times after a
   warm-up, for a district prosecutor of the city (the largest district scope) and for the
   regional prosecutor (the whole region). Printed: p50, p95, max milliseconds and the number of
   SQL statements per page. The issue's target (p95 < 300 ms) is printed as met or not, never
   asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import _server  # noqa: E402  (bench/_server.py)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tartip_bench_oversight"
TARGET_P95_MS = 300
BASE = 20_000
SEED = 777


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("OVERSIGHT_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--reports", type=int, default=1_000_000, help="reports stored")
    parser.add_argument("--requests", type=int, default=40, help="measured requests per user")
    return parser.parse_args()


def prepare(args) -> None:
    _server.ensure_database(args.database_url)
    env = _server.bench_environment(args.database_url)
    started = time.monotonic()
    _server.manage("migrate", "--noinput", "-v0", env=env)
    _server.manage("createcachetable", "-v0", env=env)
    _server.manage("load_reference", "-v0", env=env)
    _server.manage("collectstatic", "--noinput", "-v0", env=env)  # the pages name hashed static files
    print(f"migrate + load_reference: {time.monotonic() - started:.1f} s")
    _server.setup_django(args.database_url, ALLOWED_HOSTS="testserver")
    fill(args.reports)
    vacuum()


def vacuum() -> None:
    """What autovacuum does for a table that grew over two years: the visibility map is set, so
    the page's counts read their covering indexes without visiting the table. This machine's
    PostgreSQL runs with autovacuum off; a second run finds little to do."""
    from django.db import connection

    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    print(f"VACUUM (ANALYZE): {time.monotonic() - started:.1f} s")


def fill(total: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import Region
    from signals.demo import bulk_build_reports
    from signals.models import Report

    present = Report.objects.count()
    if present >= total:
        print(f"stored reports: {present:,} (no fill needed)")
        return
    if present:
        raise SystemExit(f"{present:,} reports stored, fewer than {total:,}: drop the database and run again")
    region = Region.objects.order_by("id").first()
    today = timezone.localdate()
    started = time.monotonic()
    built = bulk_build_reports(
        region=region, count=BASE, seed=SEED, start=today - timedelta(days=730), end=today, mark_demo=False
    )
    print(f"base: {built.reports:,} reports, {built.answers:,} answers in {time.monotonic() - started:.1f} s")
    copies = -(-total // built.reports) - 1
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM signals_report")
        offset = cursor.fetchone()[0] + 1
        cursor.execute(COPY_REPORTS, {"copies": copies, "offset": offset, "limit": total - built.reports})
        cursor.execute(COPY_ANSWERS, {"copies": copies, "offset": offset})
        for table in ("signals_report", "signals_answer"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"copies: {Report.objects.count():,} reports stored, in {time.monotonic() - started:.1f} s")


# Copy k of base report b gets id b.id + k * offset, a reference "<reference>-<k>", a fresh token
# hash, and a point moved by up to ~0.01 degrees (a kilometre) by k.
REPORT_COLUMNS = [
    "region_id", "category_id", "district_id", "body_id", "channel", "status", "description", "address",
    "attributes", "sensitive", "submitted_at", "routed_at", "deadline_at", "answered_at", "closed_at", "overdue",
    "overdue_at", "escalated_at", "rejection_reason", "public_answer", "reporter_id", "entered_by_id", "api_key_id",
    "idempotency_key", "registration", "registration_number", "registered_at", "rating", "assignee_id",
    "answer_result",
]  # fmt: skip
COPY_REPORTS = f"""
INSERT INTO signals_report (id, reference, tracking_token_hash, latitude, longitude, {", ".join(REPORT_COLUMNS)})
SELECT b.id + k * %(offset)s, b.reference || '-' || k, md5(b.tracking_token_hash || k) || md5(k || b.reference),
       b.latitude + ((k * 7919) %% 200 - 100) * 0.0001, b.longitude + ((k * 104729) %% 200 - 100) * 0.0001,
       {", ".join("b." + column for column in REPORT_COLUMNS)}
FROM signals_report b, generate_series(1, %(copies)s) k
ORDER BY k, b.id
LIMIT %(limit)s
"""
ANSWER_COLUMNS = [
    "body_id", "author_id", "at", "result", "measures", "text", "public_text", "on_time", "decision",
    "decided_by_id", "decided_at", "return_reason",
]  # fmt: skip
COPY_ANSWERS = f"""
INSERT INTO signals_answer (report_id, {", ".join(ANSWER_COLUMNS)})
SELECT a.report_id + k * %(offset)s, {", ".join("a." + column for column in ANSWER_COLUMNS)}
FROM signals_answer a, generate_series(1, %(copies)s) k
WHERE EXISTS (SELECT 1 FROM signals_report r WHERE r.id = a.report_id + k * %(offset)s)
"""


def readers():
    """A district prosecutor of the city office (the largest district scope) and the regional
    prosecutor, with the second factor passed, as the tests' personas are."""
    from accounts.models import Organisation, Role

    city_office = (
        Organisation.objects.filter(type=Organisation.Type.CITY_OFFICE).order_by("id").first()
        or Organisation.objects.filter(type=Organisation.Type.DISTRICT_OFFICE).order_by("id").first()
    )
    regional_office = Organisation.objects.filter(type=Organisation.Type.REGIONAL_OFFICE).order_by("id").first()
    clients = {}
    for username, role, office in (
        ("bench-city-prosecutor", Role.DISTRICT_PROSECUTOR, city_office),
        ("bench-regional-prosecutor", Role.REGIONAL_PROSECUTOR, regional_office),
    ):
        clients[f"{role} ({office.code})"] = _server.logged_in_client(username, role, office)
    return clients


def measure(label: str, client, requests: int) -> float:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm-up: per-process caches, PostgreSQL's buffers
        assert client.get("/signals/oversight/").status_code == 200
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get("/signals/oversight/")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get("/signals/oversight/")
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    print(
        f"{label}: p50 {statistics.median(timings):.0f} ms, p95 {p95:.0f} ms, max {timings[-1]:.0f} ms, "
        f"{len(queries)} SQL statements per page ({requests} requests)"
    )
    return p95


def main() -> int:
    args = parse_args()
    prepare(args)
    from signals.models import Report

    print(f"\nreports stored: {Report.objects.count():,}; cores: {os.cpu_count()}; load average {os.getloadavg()}")
    from signals.oversight import refresh_statistics

    started = time.monotonic()
    scopes = refresh_statistics()
    print(f"the worker's statistics job (every 10 minutes): {scopes} scopes in {time.monotonic() - started:.1f} s")
    worst = max(measure(label, client, args.requests) for label, client in readers().items())
    verdict = "met" if worst < TARGET_P95_MS else "NOT met"
    print(f"target p95 < {TARGET_P95_MS} ms: {verdict} (worst p95 {worst:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
