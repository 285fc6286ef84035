"""Monthly submissions benchmark: a district office's figures checked as they are typed (the form's
htmx round trip, nothing saved) and saved, through HTTP (issue 16: a validation round trip
< 200 ms).

    .venv/bin/python bench/submissions.py [--requests 200]

1. PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/tartip_bench_submissions,
   dropped and created anew): migrate (the catalogue's submitted metrics and rules come with it),
   load_reference, collectstatic; then every office's approved submissions of the twelve months
   before (the usual month each figure is compared with).
2. gunicorn with the production settings (2 sync workers, stopped by its own process group); a
   district prosecutor's session sent as a cookie, one request at a time over a keep-alive
   connection: the check (POST .../check/, the figures as typed, one of them breaking a rule) and
   the save (POST of the form, answered by a redirect). p50, p95, p99 in ms. Nothing is asserted
   about time.
"""

from __future__ import annotations

import argparse
import http.client
import os
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import _server  # noqa: E402  (bench/_server.py)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tartip_bench_submissions"
TARGET_P95_MS = 200


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL_SUBMISSIONS", DEFAULT_DATABASE_URL))
    parser.add_argument("--requests", type=int, default=200)
    return parser.parse_args()


def figures(**changed) -> dict:
    values = {
        "prosecution.cases_in_court": "40",
        "prosecution.verdicts": "33",
        "prosecution.convicted": "35",
        "prosecution.imprisoned": "17",
        "public_interests.assessed": "15000000",
        "public_interests.recovered": "4200000",
        "budget.reimbursed": "3000000",
        "budget.to_state_budget": "2500000",
    }
    return {**values, **changed}


def fill(this_month: date) -> None:
    """Every office's approved months of the year before `this_month`."""
    from accounts.models import Organisation, Role, User
    from supervision import services

    analyst, _created = User.objects.get_or_create(
        username="bench-submissions-analyst",
        defaults={"role": Role.ANALYST, "organisation": Organisation.objects.get(code="akt-prok-region")},
    )
    started, count = time.perf_counter(), 0
    for office in services.submissions.submitting_offices(analyst.organisation.region_id):
        clerk, _created = User.objects.get_or_create(
            username=f"bench-submissions-{office.code}",
            defaults={"role": Role.DISTRICT_PROSECUTOR, "organisation": office},
        )
        month = this_month
        for _n in range(12):
            month = date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
            submission, _warnings = services.submission_save(
                actor=clerk, organisation=office, month=month, raw=figures()
            )
            services.submission_approve(
                actor=analyst, submission=services.submission_submit(actor=clerk, submission=submission)
            )
            count += 1
    print(f"{count} approved months of every office written in {time.perf_counter() - started:.1f} s")


def post(connection, path: str, body: dict, cookie: str, csrf: str) -> tuple[int, float]:
    data = urlencode({**body, "csrfmiddlewaretoken": csrf})
    headers = {
        "Cookie": cookie,
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept-Language": "ru",
        "Host": "127.0.0.1",
        "Origin": "http://127.0.0.1",
        "Referer": "http://127.0.0.1/",
        "HX-Request": "true",
    }
    started = time.perf_counter()
    connection.request("POST", path, body=data, headers=headers)
    response = connection.getresponse()
    response.read()
    return response.status, (time.perf_counter() - started) * 1000


def main() -> int:
    args = parse_args()
    _server.ensure_database(args.database_url, fresh=True)
    env = _server.bench_environment(args.database_url)
    _server.manage("migrate", "--noinput", "-v0", env=env)
    _server.manage("createcachetable", "-v0", env=env)
    _server.manage("load_reference", "-v0", env=env)
    _server.manage("collectstatic", "--noinput", "-v0", env=env)
    _server.setup_django(args.database_url)
    from django.conf import settings
    from django.middleware.csrf import _get_new_csrf_string
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import Organisation
    from accounts.roles import Role

    this_month = timezone.localdate().replace(day=1)
    fill(this_month)
    office = Organisation.objects.get(code="akt-prok-alga")
    client = _server.logged_in_client("bench-submissions-prosecutor", Role.DISTRICT_PROSECUTOR, office)
    csrf = _get_new_csrf_string()
    cookie = (
        f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}; "
        f"{settings.CSRF_COOKIE_NAME}={csrf}"
    )
    month_text = f"{this_month:%Y-%m}"
    check = reverse("supervision:submission_check", args=[office.pk, month_text])
    save = reverse("supervision:submission_month", args=[office.pk, month_text])
    server = _server.start_gunicorn(env=env, workers=2, label="sync 2 workers")
    worst = 0.0
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        print(f"through HTTP (gunicorn {server.label}, DEBUG off), {args.requests} requests each:")
        for label, path, body, expected in (
            ("the check as typed (a rule broken)", check, figures(**{"prosecution.verdicts": "45"}), 200),
            ("the save", save, {**figures(), "action": "save"}, 302),
        ):
            fields = {f"value-{code}" if code != "action" else code: value for code, value in body.items()}
            for _ in range(3):
                status, _took = post(connection, path, fields, cookie, csrf)
                assert status == expected, f"{path}: {status}"
            times = [post(connection, path, fields, cookie, csrf)[1] for _ in range(args.requests)]
            p95 = _server.percentile(times, 95)
            worst = max(worst, p95)
            print(
                f"  {label}: p50 {_server.percentile(times, 50):.0f} ms, p95 {p95:.0f}, "
                f"p99 {_server.percentile(times, 99):.0f}"
            )
    finally:
        server.stop()
    met = "met" if worst < TARGET_P95_MS else "NOT met"
    print(f"a submission's validation round trip: p95 {worst:.0f} ms (target < {TARGET_P95_MS} ms: {met})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
