"""Where the demo reports are put: one Place per district, weighted by its population, with a
point near its centre (inside its boundary when it has one) and its streets.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from decimal import Decimal

from accounts.models import District, Region

STREETS_KK = (
    "Абай көшесі",
    "Тәуелсіздік көшесі",
    "Бейбітшілік көшесі",
    "Достық көшесі",
    "Жеңіс көшесі",
    "Әйтеке би көшесі",
    "Жамбыл көшесі",
)
STREETS_RU = (
    "ул. Абая",
    "ул. Тауелсиздик",
    "ул. Мира",
    "ул. Достык",
    "ул. Победы",
    "ул. Айтеке би",
    "ул. Жамбыла",
)
CITY_STREETS_KK = (
    "Әбілқайыр хан даңғылы",
    "Санкибай батыр даңғылы",
    "Маресьев көшесі",
    "Бөкенбай батыр көшесі",
    "Алтынсарин көшесі",
    "Есет батыр көшесі",
    "Ағайынды Жұбановтар көшесі",
    "Сәтпаев көшесі",
)
CITY_STREETS_RU = (
    "пр. Абулхаир хана",
    "пр. Санкибай батыра",
    "ул. Маресьева",
    "ул. Бокенбай батыра",
    "ул. Алтынсарина",
    "ул. Есет батыра",
    "ул. Братьев Жубановых",
    "ул. Сатпаева",
)

# Population stands for the volume of reports; a unit whose population is unknown counts as a
# small district. The city's reports are mostly placed in its two city districts.
UNKNOWN_POPULATION = 20000
CITY_SHARE_IN_CITY_DISTRICTS = 0.85
# Jitter around a district's centre, in degrees.
JITTER_CITY = 0.035
JITTER_DISTRICT = 0.02
# Offences gather at a few places of every town (a market, a station): a share of a district's
# reports falls within about 50 m of one of its HOT_SPOTS (offsets from its centre, in degrees),
# so the oversight's repeat places (3 reports in 90 days within about 200 m) exist in every
# district, not only in the city.
HOT_SHARE = 0.3
HOT_SPOTS = ((0.0021, -0.0034), (-0.0016, 0.0029))
HOT_JITTER = 0.0004


def _rings(geometry: dict | None) -> list[list[list[float]]]:
    """The outer rings of a GeoJSON Polygon or MultiPolygon."""
    if not geometry:
        return []
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry.get("type") == "MultiPolygon":
        return [polygon[0] for polygon in geometry["coordinates"]]
    return []


def _inside(lon: float, lat: float, rings: list) -> bool:
    """Ray casting: is the point inside any of the rings?"""
    for ring in rings:
        inside = False
        for (x1, y1), (x2, y2) in itertools.pairwise(ring):
            if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
        if inside:
            return True
    return False


@dataclass
class Place:
    """Where reports of one district are put."""

    district: District
    weight: float
    centre: tuple[float, float] | None  # (lat, lon)
    rings: list
    jitter: float
    town_kk: str
    town_ru: str
    streets_kk: tuple[str, ...]
    streets_ru: tuple[str, ...]
    prosecutor_id: int | None = None

    def point(self, rng: random.Random) -> tuple[Decimal, Decimal] | None:
        if self.centre is None:
            return None
        lat0, lon0 = self.centre
        if rng.random() < HOT_SHARE:
            d_lat, d_lon = HOT_SPOTS[rng.randrange(len(HOT_SPOTS))]
            lat = lat0 + d_lat + rng.uniform(-HOT_JITTER, HOT_JITTER)
            lon = lon0 + d_lon + rng.uniform(-HOT_JITTER, HOT_JITTER) * 1.5
            if not self.rings or _inside(lon, lat, self.rings):
                return Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")
        for _attempt in range(12):
            lat = lat0 + rng.uniform(-self.jitter, self.jitter)
            lon = lon0 + rng.uniform(-self.jitter, self.jitter) * 1.5
            if not self.rings or _inside(lon, lat, self.rings):
                break
        else:
            lat, lon = lat0, lon0
        return Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")


def _places(region: Region) -> list[Place]:
    districts = list(District.objects.filter(region=region).select_related("parent"))
    by_id = {d.id: d for d in districts}
    children = {}
    for d in districts:
        if d.parent_id:
            children.setdefault(d.parent_id, []).append(d)
    places = []
    for d in districts:
        city = by_id.get(d.parent_id) if d.parent_id else None
        shape_owner = d if d.boundary or d.centre_lat is not None else (city or d)
        population = d.population or (city.population if city else None) or UNKNOWN_POPULATION
        if d.kind == District.Kind.CITY and children.get(d.id):
            weight = population * (1 - CITY_SHARE_IN_CITY_DISTRICTS)
        elif city is not None:
            weight = (city.population or UNKNOWN_POPULATION) * CITY_SHARE_IN_CITY_DISTRICTS / len(children[city.id])
        else:
            weight = population
        is_city = d.kind != District.Kind.DISTRICT
        centre = (
            (float(shape_owner.centre_lat), float(shape_owner.centre_lon))
            if shape_owner.centre_lat is not None and shape_owner.centre_lon is not None
            else None
        )
        town = city or d
        places.append(
            Place(
                district=d,
                weight=weight,
                centre=centre,
                rings=_rings(shape_owner.boundary),
                jitter=JITTER_CITY if is_city else JITTER_DISTRICT,
                town_kk=town.centre_kk or town.centre_ru or town.name_kk or town.name_ru,
                town_ru=town.centre_ru or town.name_ru or town.name_en,
                streets_kk=CITY_STREETS_KK if is_city else STREETS_KK,
                streets_ru=CITY_STREETS_RU if is_city else STREETS_RU,
            )
        )
    return places
