"""Networks benchmark: an indicator's network two steps out with 1,000,000 sightings stored.

    .venv/bin/python bench/networks.py [--sightings 1000000] [--reads 400] [--depth 2]

1. PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/tartip_bench_networks,
   created when missing): migrate, load_reference, then, once and kept between runs, indicators
   and `--sightings` sightings written by INSERT ... SELECT over generate_series, with contexts
   shared as in life: most contexts (a report, a notice row) name 1 to 4 values, one value in six
   is seen again elsewhere; dropper rings (a phone and fifteen cards, each card in a notice row
   with the phone); a few hubs (a hotline quoted in thousands of reports). The links are then
   built by the registry's own bulk builder (registry.services.links_build), timed.
2. `links_add` for a batch of 1,000 new contexts (2,500 new sightings), as reports' tasks and
   `links_build` call it (a notice's batch links its own rows: bench/notices.py), timed.
3. The network of sampled indicators read through the real selector (registry.networks.network_of)
   for a regional prosecutor, and the section of the page drawn from it (layout and template), for
   random linked indicators, ring centres, ring cards and indicators next to a hub: p50, p95, p99
   in ms and the statements a read.
4. The networks' list (/registry/networks/, the largest networks of a period) for the regional
   analyst and a district prosecutor (the city office, the largest district scope), for the year
   of the fill (`--year`, 2025: the fill's sightings are of that year) and its second quarter:
   first through Django's whole request handling in this process (the session, the second factor,
   the template), with the statements a page; then through HTTP, gunicorn with the production
   settings (2 sync workers, started as bench/_server.py does and stopped by its own process
   group), the same logged-in sessions sent as a cookie; and the indicator page with its network
   section two steps out through HTTP too. p50, p95, p99 in ms; the list's target (p95 < 300 ms
   for the region) printed as met or not. Nothing is asserted about time.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import _server  # noqa: E402  (bench/_server.py)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tartip_bench_networks"
TARGET_P95_MS = 200
LIST_TARGET_P95_MS = 300
SEED = 1515
RINGS = 200
RING_CARDS = 15
HUBS = 5
HUB_CONTEXTS = 3000


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--sightings", type=int, default=1_000_000)
    parser.add_argument("--reads", type=int, default=400)
    parser.add_argument("--depth", type=int, default=2)
    parser.add_argument("--rebuild", action="store_true", help="build every link again from none, timed")
    parser.add_argument("--year", type=int, default=2025, help="the year of the list's periods (the fill's)")
    parser.add_argument("--pages", type=int, default=30, help="requests a list page, per reader and period")
    parser.add_argument(
        "--only-pages", action="store_true", help="the list and the pages only (no links_add, no reads)"
    )
    return parser.parse_args()


def fill(total: int) -> None:
    """The bench's indicators and sightings, once (kept between runs), and their links."""
    from django.db import connection

    from accounts.models import Region
    from registry.models import Sighting

    region = Region.objects.order_by("id").first()
    if Sighting.objects.filter(indicator__region=region).exists():
        print(f"stored sightings: {Sighting.objects.count():,} (kept from an earlier run)")
        return
    rings = RINGS * RING_CARDS * 2
    hubs = HUBS * HUB_CONTEXTS
    base = total - rings - hubs  # the sightings of the ordinary contexts
    values = base * 5 // 6  # one value in six is seen again in another context
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SELECT array_agg(id ORDER BY kato) FROM accounts_district WHERE region_id = %s", [region.pk])
        districts = cursor.fetchone()[0]
        # Indicators: the ordinary values (phones, accounts, Telegram names, cards), the rings'
        # phones and cards, the hubs.
        cursor.execute(
            """
            INSERT INTO registry_indicator (region_id, kind, value, secret, value_hash, shown, details,
                status, first_seen_at, last_seen_at, links)
            SELECT %(region)s, kind, value, '', md5('bench:' || kind || ':' || value), value, '{}',
                   'suspected', now(), now(), 0
            FROM (
                SELECT (ARRAY['phone', 'iban', 'telegram', 'card'])[1 + n %% 4] AS kind, 'v' || n AS value
                FROM generate_series(1, %(values)s) n
                UNION ALL SELECT 'phone', 'ring' || r FROM generate_series(1, %(rings)s) r
                UNION ALL SELECT 'card', 'ring' || r || '-' || c
                    FROM generate_series(1, %(rings)s) r, generate_series(1, %(cards)s) c
                UNION ALL SELECT 'phone', 'hub' || h FROM generate_series(1, %(hubs)s) h
            ) made
            """,
            {"region": region.pk, "values": values, "rings": RINGS, "cards": RING_CARDS, "hubs": HUBS},
        )
        ids = "SELECT id FROM registry_indicator WHERE value = %s AND kind = %s"
        cursor.execute(ids, ["v1", "iban"])
        first = cursor.fetchone()[0] - 1  # the values' ids are consecutive from here
        # Ordinary contexts of 2 and 3 values in turn (and 1 now and then: a value seen alone);
        # the first `values` sightings name each value once, the rest one of them again.
        cursor.execute(
            """
            INSERT INTO registry_sighting (indicator_id, source, district_id, at, recorded_at, note, context)
            SELECT CASE WHEN n <= %(values)s THEN %(first)s + n
                        ELSE %(first)s + 1 + ((n::bigint * 7919) %% %(values)s) END,
                   'report', (%(districts)s::bigint[])[1 + (n / 5) %% %(district_count)s],
                   timestamp '2025-01-01' + ((n * 37) %% 365) * interval '1 day',
                   now(), '',
                   CASE WHEN n %% 97 = 0 THEN 'report:single' || n
                        ELSE 'report:' || (n / 5 * 2 + CASE WHEN n %% 5 < 2 THEN 0 ELSE 1 END) END
            FROM generate_series(1, %(base)s) n
            """,
            {
                "values": values,
                "first": first,
                "districts": districts,
                "district_count": len(districts),
                "base": base,
            },
        )
        # The rings: each card in a notice row with its ring's phone, in four districts, with amounts.
        cursor.execute(
            """
            INSERT INTO registry_sighting (indicator_id, source, district_id, at, recorded_at, note, context, amount)
            SELECT i.id, 'bank_notice', (%(districts)s::bigint[])[1 + (s.r + s.c) %% 4],
                   timestamp '2025-02-01' + s.c * interval '9 days', now(), '',
                   'notice:' || s.r || ':' || s.c, CASE WHEN i.kind = 'card' THEN 1000 * (40 + s.c * 13) END
            FROM (
                SELECT r, c, v FROM generate_series(1, %(rings)s) r, generate_series(1, %(cards)s) c,
                LATERAL (VALUES ('ring' || r), ('ring' || r || '-' || c)) x(v)
            ) s
            JOIN registry_indicator i ON i.value = s.v AND i.kind IN ('phone', 'card') AND i.region_id = %(region)s
            """,
            {"districts": districts, "rings": RINGS, "cards": RING_CARDS, "region": region.pk},
        )
        # The hubs: a hotline quoted in thousands of reports beside the values they name.
        cursor.execute(
            """
            INSERT INTO registry_sighting (indicator_id, source, district_id, at, recorded_at, note, context)
            SELECT i.id, 'report', (%(districts)s::bigint[])[1 + s.k %% %(district_count)s],
                   timestamp '2025-01-01' + (s.k %% 365) * interval '1 day', now(), '',
                   'report:' || ((s.h * 104729 + s.k * 61) %% %(contexts)s)
            FROM (SELECT h, k FROM generate_series(1, %(hubs)s) h, generate_series(1, %(per_hub)s) k) s
            JOIN registry_indicator i ON i.value = 'hub' || s.h AND i.kind = 'phone' AND i.region_id = %(region)s
            """,
            {
                "districts": districts,
                "district_count": len(districts),
                "hubs": HUBS,
                "per_hub": HUB_CONTEXTS,
                "contexts": base * 2 // 5,
                "region": region.pk,
            },
        )
        cursor.execute("ANALYZE registry_indicator")
        cursor.execute("ANALYZE registry_sighting")
    print(
        f"bulk fill: {Sighting.objects.count():,} sightings of "
        f"{Sighting.objects.values('indicator').distinct().count():,} indicators in {time.monotonic() - started:.1f} s"
    )


def build(region, rebuild: bool) -> None:
    """The links of every context not yet linked, by the registry's bulk builder, timed; with
    `rebuild`, all of them again from none."""
    from django.db import connection

    from registry import services
    from registry.models import Sighting

    with connection.cursor() as cursor:
        if rebuild:
            cursor.execute("TRUNCATE registry_indicatorlink")
            cursor.execute("UPDATE registry_sighting SET linked_at = NULL WHERE linked_at IS NOT NULL")
            cursor.execute(
                "UPDATE registry_indicator SET links = 0, network = NULL, network_size = 0 "
                "WHERE links > 0 OR network IS NOT NULL"
            )
            cursor.execute("VACUUM ANALYZE registry_sighting")
    waiting = Sighting.objects.filter(linked_at__isnull=True, unlinked_at__isnull=True).exclude(context="")
    contexts = waiting.values("context").distinct().count()
    if not contexts:
        return
    started = time.monotonic()
    linked = services.links_build(region=region)
    seconds = time.monotonic() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_indicatorlink")
        cursor.execute("ANALYZE registry_indicator")
    print(
        f"links built by links_build: {linked:,} links of {contexts:,} contexts in {seconds:.1f} s "
        f"({contexts / seconds:,.0f} contexts/s)"
    )


def batch_of_new_contexts(region) -> None:
    """links_add for 1,000 new contexts of 2 or 3 values (new values and values already linked)."""
    from django.db import connection

    from registry import services

    stamp = int(time.time())
    contexts = [f"notice:bench{stamp}:{row}" for row in range(1000)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM registry_indicator")
        top = cursor.fetchone()[0]
        cursor.execute(
            """
            INSERT INTO registry_sighting (indicator_id, source, district_id, at, recorded_at, note, context, amount)
            SELECT %(top)s - ((row * 31 + k * 7777 + %(stamp)s) %% 500000), 'bank_notice',
                   (SELECT min(id) FROM accounts_district WHERE region_id = %(region)s),
                   now(), now(), '', 'notice:bench' || %(stamp)s || ':' || row, 5000
            FROM generate_series(0, 999) row, generate_series(0, 2) k
            WHERE k < 2 + row %% 2
            """,
            {"top": top, "region": region.pk, "stamp": stamp},
        )
    started = time.perf_counter()
    linked = services.links_add(contexts=contexts)
    took = (time.perf_counter() - started) * 1000
    again = time.perf_counter()
    services.links_add(contexts=contexts)
    print(
        f"links_add, a batch of 1,000 new contexts (2,500 sightings): {took:.0f} ms, {linked:,} links; "
        f"the same batch again (nothing to do): {(time.perf_counter() - again) * 1000:.0f} ms"
    )


def reads(args, region) -> None:
    from django.conf import settings
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from accounts.models import Organisation, User
    from accounts.roles import Role
    from registry import networks
    from registry.models import Indicator, IndicatorLink
    from registry.views.networks import layout

    user, _ = User.objects.get_or_create(
        username="bench_networks_prosecutor",
        defaults={"role": Role.REGIONAL_PROSECUTOR, "organisation": Organisation.objects.get(code="akt-prok-region")},
    )
    rng = random.Random(SEED)
    limit = settings.REGISTRY_HUB_LINKS
    top = Indicator.objects.filter(region=region).order_by("-id").values_list("id", flat=True).first()
    linked = list(
        Indicator.objects.filter(
            region=region, links__gt=0, links__lte=limit, pk__in=rng.sample(range(1, top), 20000)
        ).values_list("pk", flat=True)[: args.reads]
    )
    centres = list(Indicator.objects.filter(value__startswith="ring", kind="phone").values_list("pk", flat=True))
    cards = list(Indicator.objects.filter(value__startswith="ring", kind="card").values_list("pk", flat=True)[:2000])
    hubs = list(Indicator.objects.filter(links__gt=limit).values_list("pk", flat=True))
    beside_hubs = list(IndicatorLink.objects.filter(a_id__in=hubs).values_list("b_id", flat=True)[:2000])
    beside_hubs += list(IndicatorLink.objects.filter(b_id__in=hubs).values_list("a_id", flat=True)[:2000])
    print(
        f"stored: {Indicator.objects.count():,} indicators, {IndicatorLink.objects.count():,} links, "
        f"{len(hubs)} hubs (links: {sorted(Indicator.objects.filter(pk__in=hubs).values_list('links', flat=True))})"
    )
    samples = {
        "random linked indicators": linked,
        "ring centres (a phone, 15 cards)": rng.sample(centres, min(len(centres), args.reads // 4)),
        "ring cards": rng.sample(cards, min(len(cards), args.reads // 4)),
        "next to a hub": rng.sample(beside_hubs, min(len(beside_hubs), args.reads // 4)),
    }
    everything = []
    with translation.override("en"):
        for label, ids in samples.items():
            times, drawn, statements, sizes = [], [], [], []
            for pk in ids:
                indicator = Indicator.objects.get(pk=pk)
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    network = networks.network_of(user, indicator, depth=args.depth)
                    read = time.perf_counter() - started
                render_to_string(
                    "registry/network_partial.html",
                    {"indicator": indicator, "network": network, "drawing": layout(network), "depths": range(1, 5)},
                )
                whole = time.perf_counter() - started
                times.append(read * 1000)
                drawn.append(whole * 1000)
                statements.append(len(queries))
                sizes.append(len(network.nodes))
            everything += drawn
            print(
                f"{label} ({len(ids)}): read p50 {percentile(times, 50):.1f} ms, p95 {percentile(times, 95):.1f}, "
                f"p99 {percentile(times, 99):.1f}; read and drawn p95 {percentile(drawn, 95):.1f} ms; "
                f"{statistics.mean(statements):.1f} statements a read (max {max(statements)}); "
                f"nodes: median {statistics.median(sizes):.0f}, max {max(sizes)}"
            )
    p95 = percentile(everything, 95)
    print(
        f"all reads, {args.depth} steps out, read and drawn: p50 {percentile(everything, 50):.1f} ms, "
        f"p95 {p95:.1f} ms, p99 {percentile(everything, 99):.1f} ms "
        f"(target p95 < {TARGET_P95_MS} ms: {'met' if p95 < TARGET_P95_MS else 'NOT met'})"
    )


def readers():
    """The regional analyst and a district prosecutor of the city office, each a test client
    logged in with the second factor passed, as the tests' personas are."""
    from accounts.models import Organisation
    from accounts.roles import Role

    city_office = (
        Organisation.objects.filter(type=Organisation.Type.CITY_OFFICE).order_by("id").first()
        or Organisation.objects.filter(type=Organisation.Type.DISTRICT_OFFICE).order_by("id").first()
    )
    regional_office = Organisation.objects.filter(type=Organisation.Type.REGIONAL_OFFICE).order_by("id").first()
    clients = {}
    for username, role, office in (
        ("bench_networks_analyst", Role.ANALYST, regional_office),
        ("bench_networks_city_prosecutor", Role.DISTRICT_PROSECUTOR, city_office),
    ):
        clients[f"{role} ({office.code})"] = _server.logged_in_client(
            username, role, office, HTTP_ACCEPT_LANGUAGE="en", HTTP_HOST="127.0.0.1"
        )
    return clients


def list_paths(year: int) -> dict[str, str]:
    from django.urls import reverse

    path = reverse("registry:networks")
    return {
        f"year {year}": f"{path}?start={year}-01-01&end={year}-12-31",
        f"Q2 {year}": f"{path}?start={year}-04-01&end={year}-06-30",
    }


def list_in_process(args, clients) -> None:
    """The list through Django's whole request handling in this process, with its statements."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    print(f"\nthe networks' list in process (Django's whole request handling), {args.pages} pages each:")
    for label, client in clients.items():
        for period, path in list_paths(args.year).items():
            for _ in range(2):  # warm-up: per-process caches, PostgreSQL's buffers
                assert client.get(path).status_code == 200
            times = []
            for _ in range(args.pages):
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            print(
                f"  {label}, {period}: p50 {percentile(times, 50):.0f} ms, p95 {percentile(times, 95):.0f}, "
                f"p99 {percentile(times, 99):.0f}; {len(queries)} statements a page"
            )


def get(connection, path: str, cookie: str) -> tuple[int, float]:
    started = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": cookie, "Accept-Language": "en", "Host": "127.0.0.1"})
    response = connection.getresponse()
    response.read()
    return response.status, (time.perf_counter() - started) * 1000


def through_http(args, database_url: str, clients, region) -> None:
    """The list and the indicator page through gunicorn (production settings), one request at a
    time over a keep-alive connection, the readers' sessions sent as their cookie."""
    import http.client

    from django.conf import settings
    from django.urls import reverse

    from registry.models import Indicator

    env = _server.bench_environment(database_url)
    server = _server.start_gunicorn(env=env, workers=2, label="sync 2 workers")
    worst = 0.0
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        print(f"\nthrough HTTP (gunicorn {server.label}, DEBUG off), {args.pages} pages each:")
        for label, client in clients.items():
            cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
            for period, path in list_paths(args.year).items():
                for _ in range(2):
                    status, _took = get(connection, path, cookie)
                    assert status == 200, f"{path}: {status} (not logged in?)"
                times = [get(connection, path, cookie)[1] for _ in range(args.pages)]
                p95 = percentile(times, 95)
                if "analyst" in label:
                    worst = max(worst, p95)
                print(
                    f"  list, {label}, {period}: p50 {percentile(times, 50):.0f} ms, p95 {p95:.0f}, "
                    f"p99 {percentile(times, 99):.0f}"
                )
        rng = random.Random(SEED)
        hub = settings.REGISTRY_HUB_LINKS
        top = Indicator.objects.filter(region=region).order_by("-id").values_list("id", flat=True).first()
        sample = list(
            Indicator.objects.filter(
                region=region, links__gt=0, links__lte=hub, pk__in=rng.sample(range(1, top), 5000)
            ).values_list("pk", flat=True)[: args.pages * 2]
        )
        analyst = next(client for label, client in clients.items() if "analyst" in label)
        cookie = f"{settings.SESSION_COOKIE_NAME}={analyst.cookies[settings.SESSION_COOKIE_NAME].value}"
        times = []
        for pk in sample:
            status, took = get(connection, reverse("registry:indicator", args=[pk]) + "?depth=2", cookie)
            assert status == 200, f"indicator {pk}: {status}"
            times.append(took)
        print(
            f"  an indicator's page with its network two steps out ({len(times)} random linked indicators): "
            f"p50 {percentile(times, 50):.0f} ms, p95 {percentile(times, 95):.0f}, p99 {percentile(times, 99):.0f}"
        )
        connection.close()
    finally:
        server.stop()
    print(
        f"the list, the region, p95 {worst:.0f} ms through HTTP "
        f"(target p95 < {LIST_TARGET_P95_MS} ms: {'met' if worst < LIST_TARGET_P95_MS else 'NOT met'})"
    )


percentile = _server.percentile


def main() -> int:
    args = parse_args()
    _server.ensure_database(args.database_url)
    env = _server.bench_environment(args.database_url)
    _server.manage("migrate", "--noinput", "-v0", env=env)
    _server.manage("createcachetable", "-v0", env=env)
    _server.manage("load_reference", "-v0", env=env)
    _server.manage("collectstatic", "--noinput", "-v0", env=env)  # the pages name hashed static files
    _server.setup_django(args.database_url)
    from accounts.models import Region

    region = Region.objects.order_by("id").first()
    fill(args.sightings)
    build(region, args.rebuild)
    print(f"cores: {os.cpu_count()}; load average {os.getloadavg()}")
    if not args.only_pages:
        batch_of_new_contexts(region)
        reads(args, region)
    clients = readers()
    list_in_process(args, clients)
    through_http(args, args.database_url, clients, region)
    print(f"load average at the end {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
