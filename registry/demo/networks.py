"""Demo networks, a step of the `demo` command (after the demo indicators): the links of the demo
sightings built in bulk, as the services keep them when sightings arrive one by one; and one
dropper ring, the kind the networks are for: one phone tied to fifteen cards across four
districts, each card reported with the phone in a row of a bank's notice with the amount
transferred to it, in 2025.

Nothing here is real: the phone is a made-up number, the cards are on the test BIN of the demo
indicators (registry.demo.indicators.TEST_BIN) with a Luhn digit.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone
from stdnum import luhn

from accounts.models import District, Region

from .. import services
from ..indicators import Kind, normalize
from ..models import Indicator, Sighting
from .indicators import TEST_BIN

RING_SEED = 20250415
RING_PHONE = "+77059914273"
RING_CARDS = 15
RING_DISTRICTS = 4
# The notice the ring's rows are read from ("notice:<id>:<row>"): a number of the demo's own,
# not one of a bank's real notices.
RING_NOTICE = 2025_0415


def create_demo_networks(command) -> None:
    for region in Region.objects.filter(districts__isnull=False).distinct():
        linked = services.links_build(region=region)
        ring = build_demo_ring(region=region)
        command.stdout.write(
            f"Demo registry networks of {region.short_code}: {linked} links"
            + (f", a dropper ring of {ring} cards." if ring else ".")
        )


def refresh_demo_networks(command) -> None:
    """The links of the sightings added since (the refreshed demo indicators)."""
    for region in Region.objects.filter(districts__isnull=False).distinct():
        services.links_build(region=region)


def build_demo_ring(*, region: Region) -> int:
    """One phone and fifteen cards, each card in a bank's notice row with the phone and the amount
    sent to it, spread over four of the region's districts from February to October 2025. Made
    once: nothing when the phone is already the region's. The number of cards."""
    phone = normalize(Kind.PHONE, RING_PHONE)
    if Indicator.objects.filter(region=region, kind=Kind.PHONE, value_hash__in=phone.hashes).exists():
        return 0
    districts = list(region.districts.filter(kind=District.Kind.DISTRICT).order_by("kato")[:RING_DISTRICTS])
    if len(districts) < RING_DISTRICTS:
        districts = list(region.districts.order_by("kato")[:RING_DISTRICTS])
    rng = random.Random(RING_SEED + region.pk)
    start = timezone.make_aware(datetime(2025, 2, 3, 10, 0))
    for row in range(1, RING_CARDS + 1):
        digits = TEST_BIN + f"{rng.randrange(10**9):09d}"
        card = normalize(Kind.CARD, digits + luhn.calc_check_digit(digits))
        district = districts[row % len(districts)]
        at = start + timedelta(days=16 * row, minutes=rng.randrange(600))
        context = f"notice:{RING_NOTICE}:{row}"
        for found, amount in ((phone, None), (card, Decimal(rng.randrange(40, 480) * 1000))):
            sighting = services.indicator_take(
                actor=None,
                found=found,
                source=Sighting.Source.BANK_NOTICE,
                region=region,
                at=at,
                district=district,
                note="demo",
                context=context,
            )
            if sighting is not None and amount is not None:
                Sighting.objects.filter(pk=sighting.pk).update(amount=amount)
    return RING_CARDS
