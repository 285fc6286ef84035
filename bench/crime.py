"""Crime statistics benchmark: a file of 1,000,000 registered offences imported into PostgreSQL
through the real upload and the worker's task (issue 16: < 60 s, memory that does not grow with
the file), then imported again over the same period (the earlier rows replaced).

    .venv/bin/python bench/crime.py [--rows 100000,1000000]

1. PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/tartip_bench_crime,
   dropped and created anew): migrate, load_reference.
2. For each size, a CSV generated in a temporary folder (not kept): rows of every district of
   the reference data's region (their KATO codes read from the database), the year 2025,
   articles and parts, every gravity category written as the statistics write it (one row in
   fifty leaves it to the gravity table, empty here: "gravity unknown"), solved, by and against
   a minor; one row in a thousand with a KATO code of no district (refused).
3. Each file read in a child process of its own (a fresh interpreter): the upload's checks,
   then the task's body (`supervision.tasks.read_crime_import`) as a worker runs it. The child
   reports the seconds of each, the CPU of the reader (itself) and of its PostgreSQL backend,
   and its peak memory before and after the reading (VmHWM).

Printed: rows/s, seconds, peak memory. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import _server  # noqa: E402  (bench/_server.py)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tartip_bench_crime"
TARGET_SECONDS = 60
SEED = 1616
HEADER = [
    "Дата регистрации",
    "КАТО",
    "Статья",
    "Часть",
    "Категория тяжести",
    "Раскрыто",
    "Несовершеннолетним",
    "В отношении несовершеннолетнего",
    "Номер ЕРДР",
]
GRAVITIES = ("уголовный проступок", "небольшой тяжести", "средней тяжести", "тяжкое", "особо тяжкое")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL_CRIME", DEFAULT_DATABASE_URL))
    parser.add_argument("--rows", default="100000,1000000")
    parser.add_argument("--child", metavar="FILE", help=argparse.SUPPRESS)
    return parser.parse_args()


def district_katos(database_url: str) -> list[str]:
    """The districts offences are registered in: those with no city districts of their own."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT kato FROM accounts_district d WHERE NOT EXISTS "
            "(SELECT 1 FROM accounts_district c WHERE c.parent_id = d.id) ORDER BY kato"
        ).fetchall()
    return [kato for (kato,) in rows]


def write_csv(path: Path, count: int, seed: int, katos: list[str]) -> None:
    rng = random.Random(seed)
    start = date(2025, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        for number in range(1, count + 1):
            writer.writerow(
                [
                    (start + timedelta(days=rng.randrange(365))).strftime("%d.%m.%Y"),
                    "999999999" if number % 1000 == 0 else rng.choice(katos),
                    str(rng.randrange(99, 450)),
                    str(rng.randrange(1, 5)),
                    "" if number % 50 == 0 else rng.choice(GRAVITIES),
                    "да" if rng.random() < 0.6 else "нет",
                    "да" if rng.random() < 0.03 else "нет",
                    "да" if rng.random() < 0.04 else "нет",
                    f"25{number:013d}",
                ]
            )


def child(path: str) -> None:
    from django.core.files import File
    from django.db import connection

    from accounts.models import Organisation, Role, User
    from supervision.models import CrimeImport
    from supervision.tasks import crime_import_start, read_crime_import

    analyst, _created = User.objects.get_or_create(
        username="bench-crime-analyst",
        defaults={"role": Role.ANALYST, "organisation": Organisation.objects.get(code="akt-prok-region")},
    )
    started = time.perf_counter()
    with open(path, "rb") as handle:
        crime_import = crime_import_start(
            actor=analyst,
            upload=File(handle, name=Path(path).name),
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
        )
    uploaded = time.perf_counter() - started
    before = _server.peak_memory_mb()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
    backend_started = _server.cpu_seconds([backend])
    cpu = lambda: sum(os.times()[:2])  # noqa: E731  (this process's user + system seconds)
    cpu_started, started = cpu(), time.perf_counter()
    read_crime_import.call(crime_import.pk)
    seconds, cpu_seconds = time.perf_counter() - started, cpu() - cpu_started
    crime_import = CrimeImport.objects.get(pk=crime_import.pk)
    print(
        json.dumps(
            {
                "upload_seconds": uploaded,
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "backend_seconds": _server.cpu_seconds([backend]) - backend_started,
                "rows": crime_import.rows_read,
                "ok": crime_import.rows_ok,
                "failed": crime_import.rows_failed,
                "unknown": crime_import.gravity_unknown,
                "replaced": crime_import.replaced,
                "status": crime_import.status,
                "peak_before_mb": before,
                "peak_after_mb": _server.peak_memory_mb(),
            }
        )
    )


def main() -> int:
    args = parse_args()
    if args.child:
        _server.setup_django(args.database_url)
        child(args.child)
        return 0
    _server.ensure_database(args.database_url, fresh=True)
    env = _server.bench_environment(args.database_url)
    _server.manage("migrate", "--noinput", "-v0", env=env)
    _server.manage("createcachetable", "-v0", env=env)
    _server.manage("load_reference", "-v0", env=env)
    katos = district_katos(args.database_url)
    folder = Path(tempfile.mkdtemp(prefix="tartip-bench-crime-"))
    env["SUPERVISION_CRIME_DIR"] = str(folder / "stored")
    for count in [int(value) for value in args.rows.split(",")]:
        for again in (False, True):
            path = folder / f"crime-{count}.csv"
            started = time.perf_counter()
            write_csv(path, count, SEED + count + again, katos)
            made = time.perf_counter() - started
            run = subprocess.run(
                [sys.executable, __file__, "--database-url", args.database_url, "--child", str(path)],
                env=env,
                check=False,
                capture_output=True,
                text=True,
            )
            if run.returncode:
                print(f"{count:,} rows: the reading process failed\n{run.stderr[-3000:]}")
                return 1
            result = json.loads(run.stdout.strip().splitlines()[-1])
            size = path.stat().st_size / 1024 / 1024
            path.unlink()
            projected = result["seconds"] * 1_000_000 / max(result["rows"], 1)
            met = "met" if projected < TARGET_SECONDS else "NOT met"
            print(
                f"{count:,} rows{' again, replacing the period' if again else ''} ({size:.0f} MB, generated in "
                f"{made:.1f} s): upload checks {result['upload_seconds']:.1f} s, read {result['seconds']:.1f} s "
                f"({result['rows'] / result['seconds']:,.0f} rows/s; CPU: the reader's {result['cpu_seconds']:.1f} s, "
                f"its PostgreSQL backend's {result['backend_seconds']:.1f} s; 1,000,000 rows at this rate: "
                f"{projected:.0f} s, target < {TARGET_SECONDS} s: {met}); {result['ok']:,} imported, "
                f"{result['failed']:,} refused, {result['unknown']:,} of unknown gravity, {result['replaced']:,} "
                f"earlier rows replaced, {result['status']}; peak memory {result['peak_before_mb']:.0f} MB before "
                f"the reading, {result['peak_after_mb']:.0f} MB after"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
