"""Demo indicators, a step of the `demo` command (after the demo reports): read from the demo
reports' own texts by the registry's extraction, as the task does for a real report, and written
in bulk; the banks' and the antifraud centre's notices of dropper accounts and cards beside them
(the demo reports name phones, channels and sites, not accounts); a share confirmed by the
district prosecutors; the unconfirmed ones past their time forgotten, as the hourly job would.

Nothing here is real: the accounts are generated with valid check digits on banks' codes from the
registry of banks (schwifty), the cards on a test BIN.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from schwifty import IBAN
from stdnum import luhn

from accounts.models import Organisation, Region, User
from accounts.roles import Role
from signals.models import Report

from .. import services
from ..extraction import extract
from ..indicators import Kind, normalize
from ..models import Indicator, IndicatorEvent, Sighting, Status

DEMO_SEED = 20250214
CONFIRMED_SHARE = 0.45
NOTICES_PER_MONTH = 40
# A card's test BIN (not any real issuer's), completed with a Luhn digit.
TEST_BIN = "400000"
CHUNK = 2000


@dataclass
class _Seen:
    found: object
    sightings: list = field(default_factory=list)  # (source, report_id, at, district_id)


def create_demo_indicators(command) -> None:
    for region in Region.objects.filter(districts__isnull=False).distinct():
        if Indicator.objects.filter(region=region).exists():
            command.stdout.write(f"Registry indicators of {region.short_code} exist: skipped.")
            continue
        count = build_demo_indicators(region=region)
        command.stdout.write(f"Demo registry indicators of {region.short_code}: {count}.")


def refresh_demo_indicators(command) -> None:
    """The demo reports added since the registry's latest demo sighting of a report, read the same
    way, and the notices since the latest notice."""
    for region in Region.objects.filter(districts__isnull=False).distinct():
        sightings = Sighting.objects.filter(indicator__region=region)
        reports = sightings.filter(source=Sighting.Source.REPORT).aggregate(last=Max("at"))["last"]
        notices = sightings.exclude(source=Sighting.Source.REPORT).aggregate(last=Max("at"))["last"]
        if reports is not None:
            build_demo_indicators(region=region, reports_after=reports, notices_after=notices or reports)


def _from_reports(region: Region, after: datetime | None, seen: dict) -> None:
    reports = Report.objects.filter(region=region).order_by("pk")
    if after is not None:
        reports = reports.filter(submitted_at__gt=after)
    rows = reports.values_list("pk", "description", "address", "attributes", "submitted_at", "district_id")
    for pk, description, address, attributes, at, district_id in rows.iterator(chunk_size=CHUNK):
        for found in extract(services.report_text(description, address, attributes)):
            if not services.is_ignored(found):
                seen.setdefault((found.kind, found.value), _Seen(found)).sightings.append(
                    (Sighting.Source.REPORT, pk, at, district_id)
                )


def _notices(region: Region, rng: random.Random, start: datetime, end: datetime, seen: dict) -> None:
    """The banks' and the antifraud centre's notices of dropper accounts and cards, month by month."""
    bank_codes = list(
        Organisation.objects.filter(type=Organisation.Type.BANK)
        .exclude(bank_code="")
        .values_list("bank_code", flat=True)
    )
    districts = list(region.districts.values_list("pk", flat=True))
    if not bank_codes or not districts:
        return
    month = start
    while month < end:
        for _ in range(NOTICES_PER_MONTH):
            at = month + timedelta(minutes=rng.randrange(30 * 24 * 60))
            if at >= end:
                continue
            if rng.random() < 0.6:
                account = IBAN.generate(
                    "KZ", bank_code=rng.choice(bank_codes), account_code=f"{rng.randrange(10**12):013d}"
                )
                found, source = normalize(Kind.IBAN, account.compact), Sighting.Source.BANK_NOTICE
            else:
                digits = TEST_BIN + f"{rng.randrange(10**9):09d}"
                found, source = (
                    normalize(Kind.CARD, digits + luhn.calc_check_digit(digits)),
                    Sighting.Source.ANTIFRAUD_NOTICE,
                )
            seen.setdefault((found.kind, found.value), _Seen(found)).sightings.append(
                (source, None, at, rng.choice(districts))
            )
        month += timedelta(days=30)


def build_demo_indicators(
    *, region: Region, reports_after: datetime | None = None, notices_after: datetime | None = None, now=None
) -> int:
    """The region's demo indicators: from its reports (after `reports_after` only, when given), and
    the notices from `notices_after` (default: its first report) up to `now`. The count of
    indicators written."""
    now = now or timezone.now()
    rng = random.Random(DEMO_SEED + region.pk + (int(notices_after.timestamp()) if notices_after else 0))
    seen: dict = {}
    _from_reports(region, reports_after, seen)
    first_report = Report.objects.filter(region=region).order_by("submitted_at").values_list("submitted_at", flat=True)
    start = notices_after or first_report.first()
    if start is not None:
        _notices(region, rng, start, now, seen)
    existing = {
        (kind, value_hash): pk
        for kind, value_hash, pk in Indicator.objects.filter(region=region).values_list("kind", "value_hash", "pk")
    }
    confirmers = list(
        User.objects.filter(role=Role.DISTRICT_PROSECUTOR, organisation__region=region).values_list("pk", flat=True)
    )
    new, sightings, events = [], [], []
    banks = {org.bic: org for org in Organisation.objects.filter(type=Organisation.Type.BANK).exclude(bic="")}
    for item in seen.values():
        item.sightings.sort(key=lambda sighting: sighting[2])
        if (item.found.kind, item.found.hash) not in existing:
            first_at, last_at = item.sightings[0][2], item.sightings[-1][2]
            indicator = Indicator(
                region=region,
                bank=banks.get(item.found.details.get("bic", "")),
                district_id=item.sightings[0][3],
                first_seen_at=first_at,
                last_seen_at=last_at,
                expires_at=last_at + timedelta(days=settings.REGISTRY_UNCONFIRMED_DAYS),
            )
            indicator.hold(item.found)
            new.append(indicator)
    Indicator.objects.bulk_create(new, batch_size=CHUNK)
    ids = {(i.kind, i.value_hash): i.pk for i in Indicator.objects.filter(region=region).only("kind", "value_hash")}
    confirmed = []
    for item in seen.values():
        pk = ids[(item.found.kind, item.found.hash)]
        for source, report_id, at, district_id in item.sightings:
            sightings.append(
                Sighting(
                    indicator_id=pk,
                    source=source,
                    report_id=report_id,
                    context=f"report:{report_id}" if report_id else "",
                    district_id=district_id,
                    at=at,
                    recorded_at=at + timedelta(minutes=rng.randrange(1, 30)),
                )
            )
        if (item.found.kind, item.found.hash) in existing:
            continue
        first_at = item.sightings[0][2]
        events.append(
            IndicatorEvent(indicator_id=pk, kind=IndicatorEvent.Kind.FOUND, status=Status.SUSPECTED, at=first_at)
        )
        confirm_at = first_at + timedelta(days=rng.randint(1, 20))
        if confirmers and rng.random() < CONFIRMED_SHARE and confirm_at < now:
            events.append(
                IndicatorEvent(
                    indicator_id=pk,
                    kind=IndicatorEvent.Kind.CONFIRMED,
                    status=Status.CONFIRMED,
                    at=confirm_at,
                    actor_id=rng.choice(confirmers),
                )
            )
            confirmed.append(pk)
    Sighting.objects.bulk_create(sightings, batch_size=CHUNK, ignore_conflicts=True)
    IndicatorEvent.objects.bulk_create(events, batch_size=CHUNK)
    Indicator.objects.filter(pk__in=confirmed).update(status=Status.CONFIRMED, expires_at=None)
    services.indicators_expire(now=now)
    return len(new)
