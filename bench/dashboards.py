"""Dashboards benchmark (issue 19, point 7): each role's dashboard page (reporting.dashboard_views)
on the results summary benchmark's database, p50 and p95 over `--requests` requests.

    .venv/bin/python bench/dashboards.py                        # what make bench runs
    .venv/bin/python bench/dashboards.py --requests 50 --reports 20000 --base 10000 --regions 2

1. The database of bench/summary.py (SUMMARY_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/tartip_bench_summary), filled by its own steps when they have
   not run yet with these sizes (1,000,000 reports of the region in each of 2025 and 2024 by
   default; bench/README.md, summary.py): migrate, load_reference, the fill, VACUUM.
2. Measured in this process through Django's test client (the whole request: middleware, session,
   the view, the template), for the region's dashboard (the regional prosecutor), a district
   prosecutor's (the office of the region's first district) and the analyst's, the year 2025 as of
   its last day (?period=custom&from=2025-01-01&to=2025-12-31), after two warm-up requests each; the
   statements of one request beside them.

The target (p95 < 300 ms) is printed as met or not, never asserted.
"""

# ruff: noqa: E501  (the printed lines read better whole)
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import _server  # noqa: E402  (bench/_server.py)
import summary as summary_bench  # noqa: E402  (bench/summary.py: its database and its fill)

TARGET_P95_MS = 300
PERIOD = {"period": "custom", "from": "2025-01-01", "to": "2025-12-31"}


def argument_parser(description: str) -> argparse.ArgumentParser:
    """The summary benchmark database's options (bench/summary_documents.py asks the same)."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url", default=os.environ.get("SUMMARY_DATABASE_URL", summary_bench.DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--reports", type=int, default=1_000_000, help="reports of the region in each year")
    parser.add_argument("--base", type=int, default=10_000, help="reports of each year made by the builder")
    parser.add_argument("--regions", type=int, default=20, help="regions stored (the region and copies)")
    return parser


def parse_args():
    parser = argument_parser(__doc__)
    parser.add_argument("--requests", type=int, default=30, help="measured requests of each dashboard")
    return parser.parse_args()


def fill(args) -> None:
    """bench/summary.py's database, filled by its own steps (each skipped when done with these sizes)."""
    _server.ensure_database(args.database_url)
    env = _server.bench_environment(args.database_url)
    _server.manage("migrate", "--noinput", "-v0", env=env)
    _server.manage("load_reference", "-v0", env=env)
    _server.setup_django(args.database_url)
    from django.db import connection

    from accounts.models import Region

    region = Region.objects.order_by("id").first()
    filled = False
    for year in (summary_bench.YEAR, summary_bench.BASE_YEAR):
        with connection.cursor() as cursor:
            filled |= summary_bench.marker(cursor, f"year-{year}") is None
        summary_bench.fill_year(region, year, args.reports, args.base)
    with connection.cursor() as cursor:
        filled |= summary_bench.marker(cursor, "regions") is None
    summary_bench.fill_regions(region, args.regions)
    if filled:
        summary_bench.vacuum()


def clients() -> dict:
    """A logged-in client for each dashboard: the regional prosecutor, the prosecutor of the region's
    first district's office, the analyst."""
    from accounts.models import District, Organisation, Region, Role
    from accounts.selectors import LOCAL_OFFICE_TYPES

    region = Region.objects.order_by("id").first()
    regional = Organisation.objects.filter(region=region, type=Organisation.Type.REGIONAL_OFFICE).order_by("id").first()
    first = District.objects.filter(region=region, parent__isnull=True).order_by("kato").first()
    local = (
        Organisation.objects.filter(region=region, type__in=LOCAL_OFFICE_TYPES, districts=first).order_by("id").first()
    )
    options = {"HTTP_ACCEPT_LANGUAGE": "ru", "HTTP_HOST": "127.0.0.1"}
    return {
        "the region's (regional prosecutor)": _server.logged_in_client(
            "bench-dashboard-regional", Role.REGIONAL_PROSECUTOR, regional, **options
        ),
        f"a district prosecutor's ({local.code})": _server.logged_in_client(
            "bench-dashboard-district", Role.DISTRICT_PROSECUTOR, local, **options
        ),
        "the analyst's": _server.logged_in_client("bench-dashboard-analyst", Role.ANALYST, regional, **options),
    }


def measure(client, requests: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    url = reverse("reporting:dashboard")
    for _ in range(2):
        response = client.get(url, PERIOD)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as context:
        client.get(url, PERIOD)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url, PERIOD)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return timings, len(context.captured_queries)


def main() -> None:
    args = parse_args()
    fill(args)
    from signals.models import Report

    print(f"\n{Report.objects.count():,} reports stored; the year 2025 as of 2025-12-31; {args.requests} requests each")
    for name, client in clients().items():
        timings, statements = measure(client, args.requests)
        p50, p95 = _server.percentile(timings, 50), _server.percentile(timings, 95)
        verdict = "met" if p95 < TARGET_P95_MS else "NOT met"
        print(
            f"{name}: p50 {p50:.0f} ms, p95 {p95:.0f} ms, {statements} statements a request (p95 < {TARGET_P95_MS} ms: {verdict})"
        )


if __name__ == "__main__":
    main()
