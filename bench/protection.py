"""Protection benchmark (issue 10): what encryption at rest, key rotation and the audit chain cost.

    .venv/bin/python bench/protection.py [--reports 50000] [--audit-rows 5000]

1. PostgreSQL (PROTECTION_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/tartip_bench_protection,
   created when missing): migrate, load_reference, then `--reports` reports by the demo's bulk
   builder (about a fifth of them with a reporter's contact, encrypted as the application writes
   them). The fill happens once; later runs find the reports.
2. Field encryption: microseconds to encrypt and to decrypt one contact value, and to take its
   keyed hash (in this process, 20,000 times each).
3. Key rotation: a new encryption key and a new hash key are put first, and `rotate_field_key`'s
   batches move every contact to them (rows per second); a second run finds nothing to do.
4. Audit log: `--audit-rows` appends through `audit_record` (each one transaction with the chain's
   lock, as in the application), then `verify_audit_chain` over the whole log and one checkpoint.

Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import base64
import os
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import _server  # noqa: E402  (bench/_server.py)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tartip_bench_protection"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=50_000, help="reports stored (default 50,000)")
    parser.add_argument("--audit-rows", type=int, default=5_000, help="audit rows appended per run (default 5,000)")
    return parser.parse_args()


def prepare(database_url: str, reports: int) -> None:
    _server.ensure_database(database_url)
    env = _server.bench_environment(database_url)
    for command in (("migrate", "--noinput", "-v0"), ("createcachetable", "-v0"), ("load_reference", "-v0")):
        _server.manage(*command, env=env)
    _server.setup_django(database_url)
    from accounts.models import Region
    from signals.demo import DEMO_SEED, bulk_build_reports
    from signals.models import Report

    present = Report.objects.count()
    if present < reports:
        started = time.monotonic()
        region = Region.objects.order_by("id").first()
        bulk_build_reports(region=region, count=reports - present, seed=DEMO_SEED + present, mark_demo=False)
        print(f"bulk fill: {reports - present:,} reports in {time.monotonic() - started:.1f} s")


def per_call_microseconds(function, argument, repeat: int = 20_000) -> float:
    started = time.perf_counter()
    for _ in range(repeat):
        function(argument)
    return (time.perf_counter() - started) / repeat * 1e6


def field_costs() -> None:
    from lib import crypto
    from lib.identifiers import normalize_phone

    token = crypto.encrypt("+7 701 234 56 78")
    print(
        "one value: encrypt {:.1f} µs, decrypt {:.1f} µs, keyed hash of a phone {:.1f} µs".format(
            per_call_microseconds(crypto.encrypt, "+7 701 234 56 78"),
            per_call_microseconds(crypto.decrypt, token),
            per_call_microseconds(lambda value: crypto.keyed_hash(normalize_phone(value)), "+7 701 234 56 78"),
        )
    )


def rotation() -> None:
    from django.conf import settings
    from django.test.utils import override_settings

    from lib.key_rotation import protected_models, rotate_model
    from signals.models import ReporterContact

    new_key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    new_hash_key = secrets.token_urlsafe(48)
    contacts = next(p for p in protected_models() if p.model is ReporterContact)
    with override_settings(
        FIELD_ENCRYPTION_KEYS=[new_key, *settings.FIELD_ENCRYPTION_KEYS],
        FIELD_HASH_KEYS=[new_hash_key, *settings.FIELD_HASH_KEYS],
    ):
        started = time.monotonic()
        result = rotate_model(contacts, batch_size=500)
        seconds = time.monotonic() - started
        print(
            f"rotate_field_key: {result.rewritten:,} contacts in {seconds:.1f} s "
            f"({result.rewritten / seconds:,.0f} rows/s, batches of 500)"
        )
        started = time.monotonic()
        again = rotate_model(contacts, batch_size=500)
        print(f"  second run: {again.rewritten} rows in {time.monotonic() - started:.2f} s")
    # Back under the configured keys (the new ones still readable), so the next run starts alike.
    with override_settings(
        FIELD_ENCRYPTION_KEYS=[*settings.FIELD_ENCRYPTION_KEYS, new_key],
        FIELD_HASH_KEYS=[*settings.FIELD_HASH_KEYS, new_hash_key],
    ):
        rotate_model(contacts, batch_size=500)


def audit(rows: int) -> None:
    from accounts.audit import audit_record, verify_audit_chain, write_checkpoint
    from accounts.models import AuditEvent

    started = time.monotonic()
    for n in range(rows):
        audit_record(action=AuditEvent.Action.PERSONAL_DATA_VIEW, target=f"report:bench-{n}", details={"n": n})
    seconds = time.monotonic() - started
    print(f"audit_record: {rows:,} appends in {seconds:.1f} s ({rows / seconds:,.0f} per second, one at a time)")
    started = time.monotonic()
    checkpoint = write_checkpoint()
    head = checkpoint.seq if checkpoint else "-"
    print(f"write_checkpoint: {(time.monotonic() - started) * 1000:.0f} ms (head {head})")
    started = time.monotonic()
    result = verify_audit_chain()
    seconds = time.monotonic() - started
    state = "intact" if result.intact else f"{len(result.findings)} finding(s)"
    print(f"verify_audit: {result.count:,} rows in {seconds:.1f} s ({result.count / seconds:,.0f} rows/s), {state}")


def main() -> None:
    args = parse_args()
    database_url = os.environ.get("PROTECTION_DATABASE_URL", DEFAULT_URL)
    checkpoints = Path(_server.ROOT) / "var" / "bench-audit-checkpoints"
    os.environ["AUDIT_CHECKPOINT_DIR"] = str(checkpoints)
    prepare(database_url, args.reports)
    field_costs()
    rotation()
    audit(args.audit_rows)


if __name__ == "__main__":
    main()
