"""Notices benchmark: a bank's notice of 20,000 and of 200,000 rows, CSV and XLSX, read through the
registry's real upload and reading task on PostgreSQL; the time, the rate and the peak memory of the
reading process, so that memory can be seen not to grow with the file.

    .venv/bin/python bench/notices.py [--rows 20000,200000] [--formats csv,xlsx,xlsx-inline] [--again]

1. PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/tartip_bench_notices,
   dropped and created anew: every run starts from an empty registry): migrate, load_reference.
2. For each size and format, a file generated in a temporary folder (not kept): IBANs on real
   Kazakh bank codes with valid check digits (schwifty), Visa-range cards with their Luhn digit,
   a quarter of the rows with the holder's IIN, phones, amounts written as banks do ("59 500,00"),
   dates, districts; one row in fifty with a wrong IBAN check digit (a row error); one row in ten
   another transfer to an earlier row's account and card (in its batch or a known indicator seen
   again). Every file has values of its own, so no row is one already taken. An XLSX is written
   as Excel saves one (XlsxWriter: shared strings, the amount a number, the date a date, its
   <dimension>); `xlsx-inline` as streaming writers do (openpyxl's write-only mode: every cell an
   inline string, no <dimension>).
3. Each file is read in a child process of its own (a fresh interpreter): the upload (the file's
   checks: type, encoding, line count; an XLSX's zip directory and sheet scan), the mapping, and
   the task's body (`registry.tasks.read_notice`), as a worker runs it. Before each, the registry's
   tables are ANALYZEd, as autovacuum keeps them (this machine's PostgreSQL runs without it). The
   child reports the seconds of each step, the CPU of the writer (itself), of its PostgreSQL
   backend and of the process the reading forks to read and check the rows, and the peak resident
   memory of the writer before the reading and after it (VmHWM: the difference is what reading the
   file cost) and of the reading process (`ru_maxrss` of the writer's children: from the fork, the
   pages it shares with the writer included).
4. `--again`: each size read once more, a file of new values, into the registry the first
   readings filled (its indexes larger than PostgreSQL's shared buffers, 128 MB here).

Printed: rows/s, seconds, peak memory. The target (issue 15): 200,000 rows in < 60 s with memory
that does not grow with the file. Nothing is asserted.
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
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import _server  # noqa: E402  (bench/_server.py)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tartip_bench_notices"
TARGET_SECONDS = 60
SEED = 1515
HEADER = ["№", "ИИК получателя", "Номер карты", "ИИН держателя", "Телефон", "Сумма", "Дата операции", "Район"]
MOBILE_CODES = ("700", "701", "702", "705", "707", "708", "747", "771", "775", "776", "777", "778")
BANK_CODES = ("601", "722", "998", "551", "949", "914", "886", "826")
DISTRICTS = ("Алга", "Темирский район", "Хромтау", "Шалкар", "Мугалжарский район", "153200000")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--rows", default="20000,200000")
    parser.add_argument("--formats", default="csv,xlsx", help="among csv, xlsx (as Excel saves it), xlsx-inline")
    parser.add_argument(
        "--again",
        action="store_true",
        help="then each file's size read once more, into the registry the first readings filled",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile each reading: its top functions (cProfile) and its SQL statements by total time",
    )
    parser.add_argument("--child", nargs=2, metavar=("FILE", "FORMAT"), help=argparse.SUPPRESS)
    return parser.parse_args()


def _iin(rng: random.Random) -> str:
    from registry.indicators import _check_digit

    while True:
        born = f"{rng.randrange(60, 99):02d}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}"
        digits = f"{born}3{rng.randrange(10**4):04d}"
        check = _check_digit(digits + "0")
        if check is not None and check < 10:
            return digits + str(check)


def rows(count: int, seed: int):
    """`count` rows of values of their own (the seed's), one in fifty with a wrong IBAN; one in ten
    a further transfer to an account of an earlier row (a dropper's account receives many), with
    that row's card: within a batch one value, in a later batch a known indicator seen again."""
    from schwifty import IBAN
    from stdnum import luhn

    rng = random.Random(seed)
    start = date(2025, 1, 1)
    prefix = seed % 10**7  # the file's own: no other file (of this run or another) has its values
    for number in range(1, count + 1):
        owner = rng.randrange(1, number) if number > 10 and number % 10 == 0 else number
        iban = IBAN.generate(
            "KZ", bank_code=BANK_CODES[owner % len(BANK_CODES)], account_code=f"{prefix:07d}{owner:06d}"
        )
        iban = iban.compact
        if number % 50 == 0:
            iban = iban[:-1] + str((int(iban[-1]) + 1) % 10)
        digits = f"4{prefix:08d}{owner:06d}"
        card = digits + luhn.calc_check_digit(digits)
        yield [
            str(number),
            iban,
            card,
            _iin(rng) if number % 4 == 0 else "",
            f"8 {rng.choice(MOBILE_CODES)} {rng.randrange(10**7):07d}",
            f"{rng.randrange(1_000, 2_000_000):,}".replace(",", " ") + ",00",
            (start + timedelta(days=rng.randrange(300))).strftime("%d.%m.%Y"),
            rng.choice(DISTRICTS),
        ]


def write_csv(path: Path, count: int, seed: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(rows(count, seed))


def write_xlsx(path: Path, count: int, seed: int) -> None:
    """As Excel saves a workbook: text in the shared strings, the amount a number and the date a
    date (each with its format), the sheet's size declared in <dimension>. XlsxWriter writes it."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    money, day = workbook.add_format({"num_format": "# ##0.00"}), workbook.add_format({"num_format": "dd.mm.yyyy"})
    sheet.write_row(0, 0, HEADER)
    for number, row in enumerate(rows(count, seed), start=1):
        sheet.write_row(number, 0, row[:5])
        sheet.write_number(number, 5, float(row[5].replace(" ", "").replace(",", ".")), money)
        sheet.write_datetime(number, 6, datetime.strptime(row[6], "%d.%m.%Y"), day)
        sheet.write_string(number, 7, row[7])
    workbook.close()


def write_xlsx_inline(path: Path, count: int, seed: int) -> None:
    """As streaming writers save one (openpyxl's write-only mode, Apache POI's SXSSF): every cell
    an inline string, no <dimension> (openpyxl then reads the sheet twice to size it)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for row in rows(count, seed):
        sheet.append(row)
    workbook.save(path)


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "xlsx-inline": write_xlsx_inline}


class _Statements:
    """Django's execute wrapper: each statement's time and its PostgreSQL backend's CPU (from
    /proc, in ticks of 10 ms), summed by its text (its values left out)."""

    def __init__(self, backend: int):
        self.backend = backend
        self.by_sql: dict[str, list[float]] = {}

    def __call__(self, execute, sql, params, many, context):
        started, cpu = time.perf_counter(), _server.cpu_seconds([self.backend])
        try:
            return execute(sql, params, many, context)
        finally:
            key = " ".join(str(sql).split())
            key = key[:140] + (f" … ({len(key)} chars)" if len(key) > 140 else "")
            figures = self.by_sql.setdefault(key, [0, 0.0, 0.0])
            figures[0] += 1
            figures[1] += time.perf_counter() - started
            figures[2] += _server.cpu_seconds([self.backend]) - cpu

    def report(self, stream, backend_seconds: float) -> None:
        total = sum(seconds for _count, seconds, _cpu in self.by_sql.values())
        cpu = sum(cpu for _count, _seconds, cpu in self.by_sql.values())
        print(
            f"SQL statements through Django: {total:.2f} s, the backend's CPU {cpu:.2f} s of its "
            f"{backend_seconds:.2f} s (the rest: the COPYs' rows, the commits' deferred foreign-key checks)",
            file=stream,
        )
        for sql, (count, seconds, cpu) in sorted(self.by_sql.items(), key=lambda item: -item[1][2])[:15]:
            print(f"{seconds:7.2f} s {cpu:6.2f} s CPU {count:5d}×  {sql}", file=stream)


def child(path: str, file_format: str, profile: bool = False) -> None:
    """In a fresh interpreter: the notice uploaded, mapped and read; its figures as one JSON line."""
    import resource

    from django.core.files import File

    from accounts.models import Organisation, Role, User
    from registry import services
    from registry.models import Notice
    from registry.tasks import notice_read_start, read_notice

    analyst, _created = User.objects.get_or_create(
        username="bench-notices-analyst",
        defaults={"role": Role.ANALYST, "organisation": Organisation.objects.get(code="akt-prok-region")},
    )
    peak = _server.peak_memory_mb
    bank = Organisation.objects.get(code="bank-halyk")
    started = time.perf_counter()
    with open(path, "rb") as handle:  # streamed, as Django hands over an upload kept in a temporary file
        notice = services.notice_upload(actor=analyst, upload=File(handle, name=Path(path).name), organisation=bank)
    uploaded = time.perf_counter() - started
    notice = notice_read_start(actor=analyst, notice=notice, mapping=notice.mapping)
    before = peak()
    cpu = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])  # noqa: E731  (user + system seconds)
    from django.db import connection

    with connection.cursor() as cursor:  # the backend serving this reading: its CPU is PostgreSQL's share
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
    backend_started = _server.cpu_seconds([backend])
    cpu_started, started = cpu(), time.perf_counter()
    if profile:
        import cProfile
        import pstats

        statements, profiler = _Statements(backend), cProfile.Profile()
        with connection.execute_wrapper(statements):
            profiler.runcall(read_notice.call, notice.pk)
    else:
        read_notice.call(notice.pk)
    seconds, cpu_seconds = time.perf_counter() - started, cpu() - cpu_started
    # The process that reads and checks the rows (services.notices._read_ahead), ended by now.
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    backend_seconds = _server.cpu_seconds([backend]) - backend_started
    if profile:  # on stderr, which the parent prints
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(25)
        statements.report(sys.stderr, backend_seconds)
    notice = Notice.objects.get(pk=notice.pk)
    print(
        json.dumps(
            {
                "upload_seconds": uploaded,
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "reading_cpu_seconds": children.ru_utime + children.ru_stime,
                "reading_peak_mb": children.ru_maxrss / 1024,
                "backend_seconds": backend_seconds,
                "rows": notice.rows_read,
                "ok": notice.rows_ok,
                "failed": notice.rows_failed,
                "sightings": notice.sightings_count,
                "status": notice.status,
                "peak_before_mb": before,
                "peak_after_mb": peak(),
            }
        )
    )


def analyze(database_url: str) -> None:
    """The registry's tables' statistics brought up to date, as autovacuum keeps them in production.
    Without them (a server with autovacuum off, as this machine's) PostgreSQL takes the million
    indicators of earlier runs for an empty table and scans it whole for every batch."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        for table in ("registry_indicator", "registry_sighting", "registry_indicatorevent", "registry_noticerow"):
            connection.execute(f"ANALYZE {table}")


def main() -> int:
    args = parse_args()
    if args.child:
        _server.setup_django(args.database_url)
        child(*args.child, profile=args.profile)
        return 0
    _server.ensure_database(args.database_url, fresh=True)
    env = _server.bench_environment(args.database_url)
    _server.manage("migrate", "--noinput", "-v0", env=env)
    _server.manage("createcachetable", "-v0", env=env)
    _server.manage("load_reference", "-v0", env=env)
    folder = Path(tempfile.mkdtemp(prefix="tartip-bench-notices-"))
    env["REGISTRY_NOTICE_DIR"] = str(folder / "stored")
    env["REGISTRY_NOTICE_MAX_BYTES"] = str(500 * 1024 * 1024)
    run = int(time.time())  # values of this run's own: no row is one an earlier run took
    try:
        sizes = [int(value) for value in args.rows.split(",")]
        for count, again in [(count, False) for count in sizes] + [(count, True) for count in sizes if args.again]:
            for file_format in args.formats.split(","):
                path = folder / f"notice-{count}-{file_format}.{file_format.split('-')[0]}"
                started = time.perf_counter()
                seed = SEED + run + count + len(file_format) + (7 if again else 0)
                WRITERS[file_format](path, count, seed)
                made = time.perf_counter() - started
                analyze(args.database_url)
                child_run = subprocess.run(
                    [sys.executable, __file__, "--database-url", args.database_url, "--child", str(path), file_format]
                    + (["--profile"] if args.profile else []),
                    env=env,
                    check=False,
                    capture_output=True,
                    text=True,
                )
                if child_run.returncode:
                    print(f"{file_format} {count:,} rows: the reading process failed\n{child_run.stderr[-3000:]}")
                    return 1
                if args.profile:
                    print(child_run.stderr)
                result = json.loads(child_run.stdout.strip().splitlines()[-1])
                size = path.stat().st_size / 1024 / 1024
                path.unlink()
                projected = result["seconds"] * 200_000 / result["rows"]
                met = "met" if projected < TARGET_SECONDS else "NOT met"
                print(
                    f"{file_format} {count:,} rows{' again' if again else ''} "
                    f"({size:.1f} MB, generated in {made:.1f} s): "
                    f"upload checks {result['upload_seconds']:.1f} s, read {result['seconds']:.1f} s "
                    f"({result['rows'] / result['seconds']:,.0f} rows/s, "
                    f"CPU: the writer's {result['cpu_seconds']:.1f} s, "
                    f"its PostgreSQL backend's {result['backend_seconds']:.1f} s, "
                    f"the reading process's {result['reading_cpu_seconds']:.1f} s; "
                    f"200,000 rows at this rate: {projected:.0f} s, target < {TARGET_SECONDS} s: {met}); "
                    f"{result['ok']:,} rows kept, {result['failed']:,} with errors, {result['sightings']:,} sightings, "
                    f"{result['status']}; the writer's peak memory {result['peak_before_mb']:.0f} MB before the "
                    f"reading, {result['peak_after_mb']:.0f} MB after; the reading process's "
                    f"{result['reading_peak_mb']:.0f} MB"
                )
    finally:
        for leftover in folder.rglob("*"):
            if leftover.is_file():
                leftover.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
