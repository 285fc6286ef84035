"""The summary's documents and press releases benchmark (issue 19, point 7), on the results summary
benchmark's database.

    .venv/bin/python bench/summary_documents.py                 # what make bench runs
    .venv/bin/python bench/summary_documents.py --runs 3 --reports 20000 --base 10000 --regions 2

1. The database of bench/summary.py (SUMMARY_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/tartip_bench_summary), filled by its own steps when they have
   not run yet with these sizes (bench/dashboards.py's fill: 1,000,000 reports of the region in
   each of 2025 and 2024 by default).
2. A published version of the region's summary of 2025 (as of 2025-12-31, base 2024), made once
   through reporting.services (started, approved, published by a bench administrator) and reused.
3. Measured, after one warm-up (the first render loads vl-convert's engine and WeasyPrint's
   fonts): the whole PDF of the version in Russian (reporting.documents.version_document, its
   figures read back, the charts and the map drawn by vl-convert, then WeasyPrint), `--runs`
   times, median and worst; the DOCX and the XLSX once each, beside it.
4. The press releases of every district-level office of the region (counted from the data:
   reporting.press.district_offices) and the region's, written in one action
   (reporting.press_services.press_releases_write), twice: the first writes them, the second
   writes the drafts again.

The targets (PDF < 5 s after warm-up; every office's press release < 30 s) are printed as met or
not, never asserted.
"""

# ruff: noqa: E501  (the printed lines read better whole)
from __future__ import annotations

import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import dashboards as dashboards_bench  # noqa: E402  (bench/dashboards.py: the summary benchmark's fill)

TARGET_PDF_S = 5.0
TARGET_PRESS_S = 30.0
TITLE = "Benchmark: the region in 2025"


def published_version():
    """The region's 2025 summary, published (made once, reused by later runs)."""
    from accounts.models import Organisation, Region, Role, User
    from reporting.models import ResultsSummary, SummaryVersion
    from reporting.services import summary_approve, summary_publish, summary_start

    region = Region.objects.order_by("id").first()
    office = Organisation.objects.filter(region=region, type=Organisation.Type.REGIONAL_OFFICE).order_by("id").first()
    admin, _made = User.objects.get_or_create(
        username="bench-documents-admin", defaults={"role": Role.ADMIN, "organisation": office}
    )
    found = SummaryVersion.objects.filter(
        summary__title=TITLE, summary__region=region, state=SummaryVersion.State.PUBLISHED
    ).first()
    if found is not None:
        return found, admin
    ResultsSummary.objects.filter(title=TITLE, region=region).delete()
    version = summary_start(
        actor=admin, title=TITLE, region=region, katos=[], start=date(2025, 1, 1), end=date(2025, 12, 31)
    )
    version = summary_approve(actor=admin, version=version)
    return summary_publish(actor=admin, version=version), admin


def timed(work) -> tuple[float, object]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def measure_documents(version, runs: int) -> None:
    from reporting.documents import render, version_document

    def pdf():
        return render(version_document(version, "ru"), "pdf")

    warm_up, content = timed(pdf)
    print(f"PDF warm-up (vl-convert's engine, WeasyPrint's fonts): {warm_up:.2f} s, {len(content):,} bytes")
    timings = [timed(pdf)[0] for _ in range(runs)]
    median, worst = statistics.median(timings), max(timings)
    verdict = "met" if median < TARGET_PDF_S else "NOT met"
    print(
        f"PDF of the region-year summary (ru): median {median:.2f} s, worst {worst:.2f} s over {runs} runs (target < {TARGET_PDF_S:.0f} s: {verdict})"
    )
    for format_ in ("docx", "xlsx"):
        seconds, content = timed(lambda format_=format_: render(version_document(version, "ru"), format_))
        print(f"{format_.upper()}: {seconds:.2f} s, {len(content):,} bytes")


def measure_press(version, admin) -> None:
    from reporting.press import district_offices
    from reporting.press_services import press_releases_write

    offices = len(district_offices(version))
    for attempt in ("written", "written again"):
        seconds, done = timed(lambda: press_releases_write(actor=admin, version=version))
        releases = len(done.written) + len(done.refreshed) + len(done.kept)
        verdict = "met" if seconds < TARGET_PRESS_S else "NOT met"
        print(
            f"press releases {attempt}: {releases} (the region's and {offices} district-level offices') in {seconds:.2f} s, kk/ru/en each (target < {TARGET_PRESS_S:.0f} s: {verdict})"
        )


def main() -> None:
    parser = dashboards_bench.argument_parser(__doc__)
    parser.add_argument("--runs", type=int, default=5, help="measured renders of the PDF")
    args = parser.parse_args()
    dashboards_bench.fill(args)
    from signals.models import Report

    version, admin = published_version()
    print(f"\n{Report.objects.count():,} reports stored; the region's summary of 2025 as of {version.as_of}")
    measure_documents(version, args.runs)
    measure_press(version, admin)


if __name__ == "__main__":
    main()
