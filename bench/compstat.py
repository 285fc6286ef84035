"""CompStat benchmark: the crime statistics' CompStat page (the last 7 and 28 days, the year to
date and 365 days against a year before, by district and gravity) for the region, with five years
of registered offences stored, and a stress run with 1,000,000 (issue 16: p95 < 300 ms).

    .venv/bin/python bench/compstat.py [--rows 150000,1000000] [--pages 100]

1. PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/tartip_bench_compstat,
   dropped and created anew): migrate, load_reference.
2. For each size, the region's registered offences written by INSERT ... SELECT over
   generate_series (one import), spread over the five years up to yesterday, every district
   (those without city districts), every gravity and unknown ones, each imported the next morning;
   one row in twenty replaced by a later import (kept, counted until then). ANALYZE.
3. The page through HTTP, gunicorn with the production settings (2 sync workers, stopped by its
   own process group), one request at a time over a keep-alive connection, for the regional
   analyst (the region, every district) and a district prosecutor of the city office, their
   sessions sent as a cookie; then the selector alone in this process. p50, p95, p99 in ms.
   Nothing is asserted about time.
"""

from __future__ import annotations

import argparse
import http.client
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import _server  # noqa: E402  (bench/_server.py)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tartip_bench_compstat"
TARGET_P95_MS = 300
YEARS = 5
FILL = """
WITH leaves AS (
    SELECT array_agg(d.id ORDER BY d.kato) AS ids FROM accounts_district d
    WHERE d.region_id = %(region)s AND NOT EXISTS (SELECT 1 FROM accounts_district c WHERE c.parent_id = d.id)
), rows AS (
    SELECT n, (%(last)s::date - (random() * %(days)s)::int) AS day, random() AS r FROM generate_series(1, %(rows)s) n
)
INSERT INTO supervision_crimerecord (region_id, crime_import_id, row, district_id, registered_on, article, part,
    gravity, solved, by_minor, against_minor, number, recorded_at, replaced_at)
SELECT %(region)s, %(import)s, n, leaves.ids[1 + (n::bigint * 7919) %% array_length(leaves.ids, 1)], day,
    (100 + n %% 300)::text, (1 + n %% 4)::text,
    CASE WHEN r < 0.30 THEN 'misdemeanour' WHEN r < 0.60 THEN 'minor' WHEN r < 0.82 THEN 'medium'
         WHEN r < 0.97 THEN 'grave' WHEN r < 0.99 THEN 'particularly_grave' END,
    r < 0.6, n %% 33 = 0, n %% 25 = 0, '',
    (day + 1)::timestamp AT TIME ZONE %(zone)s + interval '6 hours',
    CASE WHEN n %% 20 = 0 THEN (day + 40)::timestamp AT TIME ZONE %(zone)s END
FROM rows, leaves
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL_COMPSTAT", DEFAULT_DATABASE_URL))
    parser.add_argument("--rows", default="150000,1000000")
    parser.add_argument("--pages", type=int, default=100)
    return parser.parse_args()


def fill(count: int) -> None:
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from accounts.models import Region
    from accounts.zones import local_today, region_zone
    from supervision.models import CrimeImport, CrimeRecord

    region = Region.objects.filter(districts__isnull=False).order_by("id").first()
    CrimeRecord.objects.all().delete()
    last = local_today(region) - timedelta(days=1)
    crime_import = CrimeImport.objects.create(
        region=region,
        period_start=last - timedelta(days=365 * YEARS),
        period_end=last,
        file_name="",
        original_name="bench.csv",
        file_type="csv",
        status=CrimeImport.Status.DONE,
        uploaded_at=timezone.now(),
        done_at=timezone.now(),
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            FILL,
            {
                "region": region.pk,
                "import": crime_import.pk,
                "last": last,
                "days": 365 * YEARS,
                "rows": count,
                "zone": region_zone(region).key,  # the region's local days
            },
        )
        cursor.execute("ANALYZE supervision_crimerecord")
    print(f"{count:,} offences over {YEARS} years written in {time.perf_counter() - started:.1f} s")


def readers() -> dict:
    from accounts.models import Organisation
    from accounts.roles import Role

    offices = Organisation.objects.order_by("id")
    regional = offices.filter(type=Organisation.Type.REGIONAL_OFFICE).first()
    city = (
        offices.filter(type=Organisation.Type.CITY_OFFICE).first()
        or offices.filter(type=Organisation.Type.DISTRICT_OFFICE).first()
    )
    return {
        "the region (analyst)": _server.logged_in_client("bench-compstat-analyst", Role.ANALYST, regional),
        f"a district prosecutor ({city.code})": _server.logged_in_client(
            "bench-compstat-city", Role.DISTRICT_PROSECUTOR, city
        ),
    }


def get(connection, path: str, cookie: str) -> tuple[int, float]:
    started = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": cookie, "Accept-Language": "ru", "Host": "127.0.0.1"})
    response = connection.getresponse()
    response.read()
    return response.status, (time.perf_counter() - started) * 1000


def through_http(database_url: str, clients: dict, pages: int) -> float:
    from django.conf import settings
    from django.urls import reverse

    path = reverse("supervision:compstat")
    server = _server.start_gunicorn(env=_server.bench_environment(database_url), workers=2, label="sync 2 workers")
    worst = 0.0
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        for label, client in clients.items():
            cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
            for _ in range(3):  # warm-up: both workers, PostgreSQL's buffers
                status, _took = get(connection, path, cookie)
                assert status == 200, f"{path}: {status}"
            times = [get(connection, path, cookie)[1] for _ in range(pages)]
            p95 = _server.percentile(times, 95)
            if "region" in label:
                worst = max(worst, p95)
            print(
                f"  the page through HTTP, {label}: p50 {_server.percentile(times, 50):.0f} ms, p95 {p95:.0f}, "
                f"p99 {_server.percentile(times, 99):.0f}"
            )
    finally:
        server.stop()
    return worst


def selector_alone(pages: int) -> None:
    from accounts.models import Region
    from supervision.compstat import crime_compstat

    region = Region.objects.filter(districts__isnull=False).order_by("id").first()
    crime_compstat(region)
    times = []
    for _ in range(pages):
        started = time.perf_counter()
        crime_compstat(region)
        times.append((time.perf_counter() - started) * 1000)
    print(
        f"  the selector alone, the region: p50 {_server.percentile(times, 50):.0f} ms, "
        f"p95 {_server.percentile(times, 95):.0f}"
    )


def main() -> int:
    args = parse_args()
    _server.ensure_database(args.database_url, fresh=True)
    env = _server.bench_environment(args.database_url)
    _server.manage("migrate", "--noinput", "-v0", env=env)
    _server.manage("createcachetable", "-v0", env=env)
    _server.manage("load_reference", "-v0", env=env)
    _server.manage("collectstatic", "--noinput", "-v0", env=env)  # the page names hashed static files
    _server.setup_django(args.database_url)
    clients = readers()
    for count in [int(value) for value in args.rows.split(",")]:
        fill(count)
        worst = through_http(args.database_url, clients, args.pages)
        selector_alone(args.pages)
        met = "met" if worst < TARGET_P95_MS else "NOT met"
        print(f"{count:,} offences: the region's page p95 {worst:.0f} ms (target < {TARGET_P95_MS} ms: {met})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
