"""The demo's monthly submissions: the demo prosecutors' offices submit every month from January
2025, each month approved by the demo analyst; of last month, one office waits for the analyst,
one has a draft, and the others are late (the analyst's page lists them). The figures are
invented and hold the catalogue's rules (verdicts <= cases in court...)."""

import random
from datetime import date, timedelta

from accounts.models import Organisation, Region, User
from accounts.roles import Role
from accounts.zones import local_today

from . import services
from .models import Submission

FIRST_MONTH = date(2025, 1, 1)
DEMO_SEED = 20250201
# Each office's size: the city's figures several times a district's.
OFFICES = {"akt-prok-city": 4.0, "akt-prok-alga": 1.0, "akt-prok-temir": 0.8, "akt-prok-mugalzhar": 1.2}


def _figures(rng: random.Random, size: float) -> dict:
    cases = max(1, round(rng.uniform(20, 45) * size))
    verdicts = round(cases * rng.uniform(0.78, 0.95))
    convicted = round(verdicts * rng.uniform(1.0, 1.12))
    assessed = round(rng.uniform(4, 25) * size * 1_000_000)
    reimbursed = round(rng.uniform(1, 7) * size * 1_000_000)
    return {
        "prosecution.cases_in_court": cases,
        "prosecution.verdicts": verdicts,
        "prosecution.convicted": convicted,
        "prosecution.imprisoned": round(convicted * rng.uniform(0.38, 0.55)),
        "public_interests.assessed": assessed,
        "public_interests.recovered": round(assessed * rng.uniform(0.2, 0.6)),
        "budget.reimbursed": reimbursed,
        "budget.to_state_budget": round(reimbursed * rng.uniform(0.7, 0.9)),
    }


def _months(last: date):
    month = FIRST_MONTH
    while month <= last:
        yield month
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def build_demo_submissions(*, region: Region) -> int:
    """The months not submitted yet of the demo offices, up to last month; the versions made."""
    analyst = User.objects.filter(role=Role.ANALYST, organisation__region=region).order_by("pk").first()
    last_month = (local_today(region).replace(day=1) - timedelta(days=1)).replace(day=1)
    made = 0
    for position, (code, size) in enumerate(sorted(OFFICES.items())):
        office = Organisation.objects.filter(code=code, region=region).first()
        prosecutor = User.objects.filter(organisation=office, role=Role.DISTRICT_PROSECUTOR).order_by("pk").first()
        if office is None or prosecutor is None or analyst is None:
            continue
        for month in _months(last_month):
            if Submission.objects.filter(organisation=office, month=month).exists():
                continue
            rng = random.Random(f"{DEMO_SEED}-{code}-{month:%Y-%m}")
            # Last month: one office waits for the analyst, one has a draft, the others are late.
            if month == last_month and position > 1:
                continue
            submission, _warnings = services.submission_save(
                actor=prosecutor, organisation=office, month=month, raw=_figures(rng, size)
            )
            made += 1
            if month == last_month and position == 1:
                continue  # a draft
            submission = services.submission_submit(actor=prosecutor, submission=submission)
            if month < last_month:
                services.submission_approve(actor=analyst, submission=submission)
    return made


def create_demo_submissions(command) -> None:
    for region in Region.objects.filter(districts__isnull=False).distinct():
        if Submission.objects.filter(region=region).exists():
            command.stdout.write(f"Submissions of {region.short_code} exist: skipped.")
            continue
        count = build_demo_submissions(region=region)
        command.stdout.write(f"Demo monthly submissions of {region.short_code}: {count}.")


def refresh_demo_submissions(command) -> None:
    """The months since the demo was built, up to last month."""
    for region in Region.objects.filter(districts__isnull=False).distinct():
        build_demo_submissions(region=region)
