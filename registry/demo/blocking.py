"""Demo blocking requests, a step of the `demo` command (after the demo indicators): month by month
from January 2024 to today, the dropper accounts and cards the banks and the antifraud centre
reported and the drug shops' sites and Telegram names the police found, confirmed, requested from
their addressees (each bank by its bank code, the antifraud centre, the Ministry of Culture and
Information, Telegram's representative) early in the month, and answered in it: blocked with the
amount frozen, a few refused or not found, some blocks lifted later. Written in bulk (the services
would take minutes for the thousands of rows), the same rows and events the services write, the
outgoing numbers taken from the office's register as sending takes them.

The nine months of 2025 are calibrated to the reference document: "more than 1,000 'dropper'
accounts totaling 59.5 million tenge and 1,400 links to drug stores have been blocked" (1,043
accounts and cards, 59,487,350 tenge, 1,400 links, all answered by 30 September and recorded by
15 October 2025). Nothing here is real: the accounts are generated with valid check digits on the
partner banks' codes, the cards on a test BIN, the sites on the reserved top-level domain .example.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from schwifty import IBAN
from stdnum import luhn

from accounts.models import Organisation, Region, User
from accounts.roles import Role
from accounts.zones import region_zone
from supervision.numbering import next_outgoing_number

from ..indicators import Kind, normalize
from ..models import BlockingEvent, BlockingItem, BlockingRequest, Indicator, IndicatorEvent, Sighting, Status
from ..services.blocking import addressees
from .indicators import CHUNK, DEMO_SEED, TEST_BIN

NINE_MONTHS_2025 = {"accounts": 1_043, "links": 1_400}
AMOUNT_NINE_MONTHS_2025 = Decimal("59487350")
CALIBRATED = (date(2025, 1, 1), date(2025, 9, 30))
# Of the items of a request, the share answered otherwise than blocked, and of the blocks, the
# share lifted later (both on top of the blocked counts above).
REFUSED_SHARE, NOT_FOUND_SHARE, UNBLOCKED_SHARE = 0.04, 0.05, 0.08
BANK_CODES = ("601", "722", "856", "826", "948", "849", "551", "914")  # Halyk, Kaspi, CenterCredit...
Item, Event = BlockingItem.State, BlockingEvent.Kind
# Where the office's own legal basis goes: the demo cites no article of any law.
DEMO_LEGAL_BASIS = {
    "ru": "(Демонстрационные данные) Здесь аналитик указывает правовое основание запроса.",
    "kk": "(Демонстрациялық деректер) Мұнда талдаушы сұраудың құқықтық негізін көрсетеді.",
}


@dataclass
class _Planned:
    found: object
    month: date
    fate: str  # an item's answer: blocked, refused, not found
    answer_day: date
    amount: Decimal | None = None
    ended_on: date | None = None


def _months(start: date, end: date):
    month = date(start.year, start.month, 1)
    while month <= end:
        yield month
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    cuts = sorted(rng.randint(0, total) for _ in range(parts - 1))
    return [high - low for low, high in zip([0, *cuts], [*cuts, total], strict=True)]


def _calibrated(month: date) -> bool:
    return CALIBRATED[0] <= month <= CALIBRATED[1]


def _value(kind: str, rng: random.Random, serial: int):
    if kind == Kind.IBAN:
        account = IBAN.generate("KZ", bank_code=rng.choice(BANK_CODES), account_code=f"{rng.randrange(10**12):013d}")
        return normalize(Kind.IBAN, account.compact)
    if kind == Kind.CARD:
        digits = TEST_BIN + f"{rng.randrange(10**9):09d}"
        return normalize(Kind.CARD, digits + luhn.calc_check_digit(digits))
    if kind == Kind.WEBSITE:
        return normalize(Kind.WEBSITE, f"kristall-shop-{serial:05d}.example")
    return normalize(Kind.TELEGRAM, f"@demo_shop_{serial:05d}")


def _plan(region: Region, start: date, today: date, rng: random.Random) -> list[_Planned]:
    monthly = {
        group: _split(total, 9, random.Random(DEMO_SEED + 11 + index))
        for index, (group, total) in enumerate(NINE_MONTHS_2025.items())
    }
    planned, serial = [], region.pk * 1_000_000 + start.year * 100 + start.month
    for month in _months(start, today):
        last = min(today, date(month.year + (month.month == 12), month.month % 12 + 1, 1) - timedelta(days=1))
        for group, kinds in (("accounts", (Kind.IBAN, Kind.CARD)), ("links", (Kind.WEBSITE, Kind.TELEGRAM))):
            if _calibrated(month):
                blocked = monthly[group][month.month - 1]
            else:
                blocked = round(
                    NINE_MONTHS_2025[group] / 9 * (0.8 if month.year == 2024 else 1.0) * rng.uniform(0.85, 1.15)
                )
            others = round(blocked * (REFUSED_SHARE + NOT_FOUND_SHARE))
            fates = [Item.BLOCKED] * blocked + [
                Item.REFUSED if rng.random() < REFUSED_SHARE / (REFUSED_SHARE + NOT_FOUND_SHARE) else Item.NOT_FOUND
                for _ in range(others)
            ]
            for fate in fates:
                serial += 1
                kind = kinds[0] if rng.random() < (0.7 if group == "accounts" else 0.55) else kinds[1]
                answer_day = month + timedelta(days=rng.randint(5, 27))
                if _calibrated(month):
                    answer_day = min(answer_day, last)
                planned.append(_Planned(_value(kind, rng, serial), month, fate, answer_day))
    return planned


def _amounts(planned: list[_Planned], rng: random.Random) -> None:
    """The amounts frozen on the accounts and cards blocked: the calibrated months' adding up to the
    reference document's 59.5 million tenge exactly as planned, the others' alike."""
    accounts = [p for p in planned if p.fate == Item.BLOCKED and p.found.kind in (Kind.IBAN, Kind.CARD)]
    weights = {id(p): rng.lognormvariate(10.4, 0.9) for p in accounts}
    calibrated = [p for p in accounts if _calibrated(p.month)]
    if calibrated:
        scale = AMOUNT_NINE_MONTHS_2025 / Decimal(str(sum(weights[id(p)] for p in calibrated)))
        for p in calibrated:
            p.amount = (Decimal(str(weights[id(p)])) * scale).quantize(Decimal("1"))
        calibrated[-1].amount += AMOUNT_NINE_MONTHS_2025 - sum(p.amount for p in calibrated)
    mean = AMOUNT_NINE_MONTHS_2025 / NINE_MONTHS_2025["accounts"]
    typical = Decimal(str(sum(weights.values()) / max(1, len(weights))))
    for p in accounts:
        if p.amount is None:
            p.amount = (Decimal(str(weights[id(p)])) * mean / typical).quantize(Decimal("1"))


def _addressee(found, by_kind: dict, banks: dict):
    if found.kind == Kind.IBAN:
        return banks.get(found.details.get("bic", ""))
    return by_kind.get(found.kind)


def _local(day: date, hour: int, zone) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)), zone)


def build_demo_blocking(*, region: Region, now: datetime | None = None, after: date | None = None) -> int:
    """The region's demo blocking from January 2024 (or the month after `after`) up to today: the
    indicators, their requests by addressee and the answers. The count of items written."""
    now = now or timezone.now()
    zone = region_zone(region)
    today = timezone.localtime(now, zone).date()
    start = date(2024, 1, 1) if after is None else date(after.year + (after.month == 12), after.month % 12 + 1, 1)
    office = Organisation.objects.filter(region=region, type=Organisation.Type.REGIONAL_OFFICE).first()
    if office is None or start > today:
        return 0
    rng = random.Random(DEMO_SEED + 13 + start.toordinal())
    planned = _plan(region, start, today, rng)
    _amounts(planned, rng)
    analyst = User.objects.filter(role=Role.ANALYST, organisation__region=region).first()
    by_kind = addressees()
    banks = {org.bic: org for org in Organisation.objects.filter(type=Organisation.Type.BANK).exclude(bic="")}
    districts = list(region.districts.values_list("pk", flat=True))
    planned = [p for p in planned if _addressee(p.found, by_kind, banks) is not None]
    with transaction.atomic():
        return _write(region, planned, now, today, zone, office, analyst, by_kind, banks, districts, rng)


def _write(region, planned, now, today, zone, office, analyst, by_kind, banks, districts, rng) -> int:
    existing = set(
        Indicator.objects.filter(region=region, value_hash__in=[p.found.hash for p in planned]).values_list(
            "value_hash", flat=True
        )
    )
    unique: dict = {}
    for p in planned:
        if p.found.hash not in existing:
            unique.setdefault(p.found.hash, p)
    planned = list(unique.values())
    indicators = []
    for p in planned:
        seen = _local(p.month, 9, zone) - timedelta(days=rng.randint(3, 40))
        indicator = Indicator(
            region=region,
            bank=banks.get(p.found.details.get("bic", "")) if p.found.kind == Kind.IBAN else None,
            district_id=rng.choice(districts) if districts else None,
            status=Status.CONFIRMED,
            first_seen_at=seen,
            last_seen_at=seen,
        )
        indicator.hold(p.found)
        indicators.append(indicator)
    Indicator.objects.bulk_create(indicators, batch_size=CHUNK)
    ids = dict(
        Indicator.objects.filter(region=region, value_hash__in=[p.found.hash for p in planned]).values_list(
            "value_hash", "pk"
        )
    )
    sources = {
        Kind.IBAN: Sighting.Source.BANK_NOTICE,
        Kind.CARD: Sighting.Source.ANTIFRAUD_NOTICE,
        Kind.WEBSITE: Sighting.Source.POLICE,
        Kind.TELEGRAM: Sighting.Source.POLICE,
    }
    sightings, indicator_events = [], []
    for p, indicator in zip(planned, indicators, strict=True):
        pk = ids[p.found.hash]
        at = indicator.first_seen_at
        sightings.append(
            Sighting(
                indicator_id=pk,
                source=sources[p.found.kind],
                district_id=indicator.district_id,
                at=at,
                recorded_at=at + timedelta(minutes=20),
            )
        )
        indicator_events += [
            IndicatorEvent(indicator_id=pk, kind=IndicatorEvent.Kind.FOUND, status=Status.SUSPECTED, at=at),
            IndicatorEvent(
                indicator_id=pk,
                kind=IndicatorEvent.Kind.CONFIRMED,
                status=Status.CONFIRMED,
                at=at + timedelta(days=2),
                actor=analyst,
            ),
        ]
    Sighting.objects.bulk_create(sightings, batch_size=CHUNK)
    # One request a month per addressee, sent on one of the month's first working days.
    groups: dict = {}
    for p in planned:
        groups.setdefault((p.month, _addressee(p.found, by_kind, banks).pk), []).append(p)
    written, final_status = 0, {}
    events, items_rows = [], []
    for (month, addressee_id), members in sorted(groups.items(), key=lambda pair: (pair[0][0], pair[0][1])):
        sent_day = month + timedelta(days=rng.randint(1, 4))
        if sent_day > today:
            continue
        sent_at = _local(sent_day, 11, zone)
        language = BlockingRequest.Language.RUSSIAN if rng.random() < 0.7 else BlockingRequest.Language.KAZAKH
        request = BlockingRequest.objects.create(
            region=region,
            addressee_id=addressee_id,
            office=office,
            language=language,
            legal_basis=DEMO_LEGAL_BASIS[language],
            status=BlockingRequest.State.SENT,
            outgoing_number=next_outgoing_number(office, sent_day.year),
            sent_at=sent_at,
            created_by=analyst,
            created_at=sent_at - timedelta(hours=2),
        )
        events += [
            BlockingEvent(request=request, kind=Event.DRAFTED, day=sent_day, at=request.created_at, actor=analyst),
            BlockingEvent(request=request, kind=Event.SENT, day=sent_day, at=sent_at, actor=analyst),
        ]
        pending = 0
        for p in members:
            answer_day = max(p.answer_day, sent_day + timedelta(days=1))
            recorded = min(now, _local(answer_day + timedelta(days=rng.randint(0, 2)), 17, zone))
            if _calibrated(month):
                recorded = min(recorded, _local(date(2025, 10, 15), 17, zone))
            answered = answer_day <= today and recorded <= now
            item = BlockingItem(request=request, indicator_id=ids[p.found.hash])
            pk = item.indicator_id
            indicator_events.append(
                IndicatorEvent(
                    indicator_id=pk,
                    kind=IndicatorEvent.Kind.BLOCKING_REQUESTED,
                    status=Status.BLOCKING_REQUESTED,
                    at=sent_at,
                    actor=analyst,
                )
            )
            if not answered:
                pending += 1
                final_status[pk] = Status.BLOCKING_REQUESTED
                items_rows.append((item, []))
                continue
            item.status, item.answered_at, item.answered_on = p.fate, recorded, answer_day
            item.amount = p.amount if p.fate == Item.BLOCKED else None
            steps = [
                BlockingEvent(
                    request=request,
                    kind=p.fate,
                    day=answer_day,
                    at=recorded,
                    amount=item.amount,
                    answer_days=(answer_day - sent_day).days,
                )
            ]
            status = Status(p.fate)
            indicator_events.append(IndicatorEvent(indicator_id=pk, kind=p.fate, status=status, at=recorded))
            ended = answer_day + timedelta(days=rng.randint(20, 120))
            if p.fate == Item.BLOCKED and rng.random() < UNBLOCKED_SHARE and ended <= today:
                item.status, item.ended_on = Item.UNBLOCKED, ended
                ended_at = _local(ended, 16, zone)
                steps.append(BlockingEvent(request=request, kind=Event.UNBLOCKED, day=ended, at=ended_at))
                status = Status.UNBLOCKED
                indicator_events.append(IndicatorEvent(indicator_id=pk, kind=status, status=status, at=ended_at))
            final_status[pk] = status
            items_rows.append((item, steps))
        if pending == 0:
            request.status = BlockingRequest.State.ANSWERED
            request.answered_at = max(item.answered_at for item, _steps in items_rows[-len(members) :])
        elif pending < len(members):
            request.status = BlockingRequest.State.PARTLY_ANSWERED
        request.save(update_fields=["status", "answered_at"])
        written += len(members)
    BlockingItem.objects.bulk_create([item for item, _steps in items_rows], batch_size=CHUNK)
    for item, steps in items_rows:
        for step in steps:
            step.item_id = item.pk
            step.actor = analyst
            step.data = {"indicator": item.indicator_id}
        events += steps
    BlockingEvent.objects.bulk_create(events, batch_size=CHUNK)
    IndicatorEvent.objects.bulk_create(indicator_events, batch_size=CHUNK)
    for status in set(final_status.values()):
        Indicator.objects.filter(pk__in=[pk for pk, s in final_status.items() if s == status]).update(status=status)
    return written


def create_demo_blocking(command) -> None:
    for region in Region.objects.filter(districts__isnull=False).distinct():
        if BlockingRequest.objects.filter(region=region).exists():
            command.stdout.write(f"Blocking requests of {region.short_code} exist: skipped.")
            continue
        items = build_demo_blocking(region=region)
        requests = BlockingRequest.objects.filter(region=region).count()
        command.stdout.write(f"Demo blocking requests of {region.short_code}: {requests}, with {items} items.")


def refresh_demo_blocking(command) -> None:
    """The months since the latest demo request was sent, up to today."""
    for region in Region.objects.filter(districts__isnull=False).distinct():
        last = BlockingRequest.objects.filter(region=region).aggregate(last=Max("sent_at"))["last"]
        if last is not None:
            build_demo_blocking(region=region, after=timezone.localtime(last, region_zone(region)).date())
