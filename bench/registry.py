"""Registry benchmark: reading indicators from citizens' texts, and partners' lookups over HTTP.

    .venv/bin/python bench/registry.py [--texts 100000] [--indicators 1000000] [--clients 8]
        [--seconds 20] [--skip-lookup]

1. Extraction (in this process, one core): `--texts` realistic texts in Russian, Kazakh and
   English (the demo reports' templates and English ones; about a third name a phone, a channel,
   a site, an account or a card), read by registry.extraction.extract; beside it, the prefilter
   alone (the one regular expression's pass) as the floor. Then the precision and recall of the
   extraction on the test corpus (registry/tests/corpus.py).
2. Lookup: PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/tartip_bench_registry,
   created when missing): migrate, load_reference, then `--indicators` indicators in bulk (phones,
   IBANs, Telegram names; half of them confirmed), kept between runs. The production web server
   (gunicorn, 4 sync workers), an API key with a high limit, `--clients` threads POSTing
   /api/v1/registry/lookup over keep-alive connections for `--seconds` after a warm-up: half the
   values known (written another way than stored), half unknown.
3. Printed: texts/s; lookups/s, p50/p95/p99, CPU ms per lookup of the web server's processes and
   of PostgreSQL. Nothing is asserted about time. The server is stopped at the end, whatever
   happens; only the loopback interface is used.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import _server  # noqa: E402  (bench/_server.py)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tartip_bench_registry"
TARGET_TEXTS_PER_SECOND = 5_000
TARGET_P99_MS = 50
TARGET_CPU_MS = 3
SEED = 1414
ENGLISH = (
    "They called from {phone} pretending to be the bank's security service and asked for the SMS code.",
    "A Telegram channel {handle} sells drugs in the city, the link is {url}. Please block it.",
    "I was offered money to open a bank account in my name and hand over the card, contact {phone}.",
    "The seller on OLX took a {amount} tenge advance and disappeared, his phone was {phone}.",
    "Someone painted an advertisement with {handle} on the wall of the school on {street}.",
    "Loud music every night at the flat above mine on {street}, the neighbours do not react.",
    "The street lights on {street} have not worked for two weeks, it is dangerous for children.",
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--texts", type=int, default=100_000)
    parser.add_argument("--indicators", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--skip-lookup", action="store_true", help="the extraction only (no database)")
    parser.add_argument("--profile", action="store_true", help="also profile one sync worker's lookups")
    return parser.parse_args()


# --- 1. Extraction -------------------------------------------------------------------------------


def texts(count: int) -> list[str]:
    from signals.demo.texts import THEMES, _fill

    rng = random.Random(SEED)
    templates = [template for theme in THEMES for template in (*theme.kk, *theme.ru)] + list(ENGLISH)
    streets = ("Абая", "Айтеке би", "Маресьева", "Санкибай батыра", "Тургенева")
    return [
        _fill(rng, rng.choice(templates).replace("{amount}", "{amount}"), rng.choice(streets)) for _ in range(count)
    ]


def extraction(count: int) -> None:
    from registry.extraction import CANDIDATES, extract

    corpus = texts(count)
    started = time.perf_counter()
    found = sum(len(extract(text)) for text in corpus)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    candidates = sum(1 for text in corpus for _ in CANDIDATES.finditer(text))
    floor = time.perf_counter() - started
    rate, floor_rate = count / seconds, count / floor
    print(
        f"extraction: {count:,} texts in {seconds:.2f} s: {rate:,.0f} texts/s on one core "
        f"(target {TARGET_TEXTS_PER_SECOND:,}: {'met' if rate >= TARGET_TEXTS_PER_SECOND else 'NOT met'}), "
        f"{found:,} indicators"
    )
    print(f"prefilter alone (the floor): {floor_rate:,.0f} texts/s, {candidates:,} candidates")
    precision_recall()


def precision_recall() -> None:
    from registry.extraction import extract

    try:
        from registry.tests.corpus import CORPUS
    except ImportError:
        from registry.tests.test_extraction import CORPUS
    true_positive = false_positive = false_negative = 0
    for text, expected in CORPUS:
        got = {(indicator.kind, indicator.value) for indicator in extract(text)}
        true_positive += len(got & expected)
        false_positive += len(got - expected)
        false_negative += len(expected - got)
    precision = true_positive / (true_positive + false_positive) if true_positive + false_positive else 1.0
    recall = true_positive / (true_positive + false_negative) if true_positive + false_negative else 1.0
    print(f"on the test corpus ({len(CORPUS)} messages): precision {precision:.3f}, recall {recall:.3f}")


# --- 2. Lookup -----------------------------------------------------------------------------------


def fill(total: int) -> list[str]:
    """`total` indicators in the first region, half confirmed; returns known values written another
    way than stored (a phone with 8 and spaces, an IBAN in groups, a channel as a t.me link)."""
    from django.db import connection
    from django.utils import timezone
    from schwifty import IBAN

    from accounts.models import Region
    from lib.crypto import keyed_hash
    from registry.indicators import Kind
    from registry.models import Indicator, Status

    region = Region.objects.order_by("id").first()
    rng = random.Random(SEED)
    present = Indicator.objects.filter(region=region).count()
    started = time.monotonic()
    batch, made = [], present
    now = timezone.now()
    while made < total:
        number = made
        kind = (Kind.PHONE, Kind.IBAN, Kind.TELEGRAM, Kind.PHONE)[number % 4]
        if kind == Kind.PHONE:
            value = f"+7701{number:07d}"
            shown = value
        elif kind == Kind.IBAN:
            iban = IBAN.generate("KZ", bank_code="601", account_code=f"{number:013d}")
            value, shown = iban.compact, iban.formatted
        else:
            value = shown = f"@bench_{number:08d}"
        batch.append(
            Indicator(
                region=region,
                kind=kind,
                value=value,
                value_hash=keyed_hash(f"{kind}:{value}"),
                shown=shown,
                status=Status.CONFIRMED if number % 2 == 0 else Status.SUSPECTED,
                first_seen_at=now,
                last_seen_at=now,
            )
        )
        made += 1
        if len(batch) == 10_000:
            Indicator.objects.bulk_create(batch)
            batch = []
    if batch:
        Indicator.objects.bulk_create(batch)
    if made > present:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE registry_indicator")
        print(f"bulk fill: {made - present:,} indicators in {time.monotonic() - started:.1f} s")
    print(f"stored indicators: {Indicator.objects.count():,}")
    known = []
    for number in rng.sample(range(total), 2000):
        kind = number % 4
        digits = f"{number:07d}"
        if kind in (0, 3):
            known.append(f"8 701 {digits[:3]} {digits[3:5]} {digits[5:]}")
        elif kind == 1:
            known.append(IBAN.generate("KZ", bank_code="601", account_code=f"{number:013d}").formatted.lower())
        else:
            known.append(f"https://t.me/Bench_{number:08d}")
    return known


def lookup(args) -> None:
    _server.ensure_database(args.database_url)
    env = _server.bench_environment(args.database_url)
    _server.manage("migrate", "--noinput", "-v0", env=env)
    _server.manage("createcachetable", "-v0", env=env)
    _server.manage("load_reference", "-v0", env=env)
    _server.setup_django(args.database_url)
    from accounts.api_keys import api_key_create
    from accounts.models import Organisation

    known = fill(args.indicators)
    rng = random.Random(SEED + 1)
    unknown = [f"+7 702 {rng.randrange(10**7):07d}" for _ in range(2000)]
    values = [value for pair in zip(known, unknown, strict=True) for value in pair]
    payloads = [json.dumps({"value": value}).encode() for value in values]
    _key, raw = api_key_create(
        name="bench registry lookup",
        organisation=Organisation.objects.get(code="bank-halyk"),
        rate_limit_per_minute=10_000_000,
    )
    headers = {"Content-Type": "application/json", "Authorization": f"Api-Key {raw}"}
    if args.profile:
        profile(env, payloads, headers)
    server = _server.start_gunicorn(env=env, workers=4, label="sync 4 workers")
    try:
        result = _server.drive(
            server,
            path="/api/v1/registry/lookup",
            bodies=payloads,
            headers=headers,
            clients=args.clients,
            seconds=args.seconds,
            warmup=args.warmup,
        )
    finally:
        server.stop()
    per_lookup = lambda seconds: seconds * 1000 / result.ok if result.ok else float("nan")  # noqa: E731
    failures = {code: n for code, n in result.statuses.items() if code != 200}
    p99 = result.percentile(99) * 1000
    print(
        f"lookup, {args.clients} clients: {result.rate():,.0f} lookups/s, p50 {result.percentile(50) * 1000:.1f} ms, "
        f"p95 {result.percentile(95) * 1000:.1f} ms, p99 {p99:.1f} ms "
        f"(target < {TARGET_P99_MS} ms: {'met' if p99 < TARGET_P99_MS else 'NOT met'}); "
        f"CPU/lookup: web {per_lookup(result.web_cpu):.2f} ms (target <= {TARGET_CPU_MS} ms: "
        f"{'met' if per_lookup(result.web_cpu) <= TARGET_CPU_MS else 'NOT met'}), "
        f"PostgreSQL {per_lookup(result.db_cpu):.2f} ms"
        + (f"  FAILED: {failures} {sorted(set(result.errors))[:3]}" if failures or result.errors else "")
    )


def profile(env, payloads, headers) -> None:
    """One sync worker under cProfile (bench/_profile_hooks.py) while two clients look values up."""
    import pstats
    import tempfile

    directory = Path(tempfile.mkdtemp(prefix="tartip-bench-profile-"))
    config = str(Path(__file__).resolve().parent / "_profile_hooks.py")
    server = _server.start_gunicorn(env=dict(env, BENCH_PROFILE_DIR=str(directory)), workers=1, config=config)
    try:
        _server.drive(
            server, path="/api/v1/registry/lookup", bodies=payloads, headers=headers, clients=2, seconds=8, warmup=2
        )
    finally:
        server.stop()
    files = sorted(directory.glob("*.prof"))
    if files:
        stats = pstats.Stats(*map(str, files))
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(20)


def main() -> int:
    args = parse_args()
    if args.skip_lookup:
        _server.setup_django("sqlite:///:memory:")
    else:
        os.environ.setdefault("DATABASE_URL", args.database_url)
    if args.skip_lookup:
        extraction(args.texts)
        return 0
    lookup(args)
    extraction(args.texts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
