"""What the registry's network pages read, within the user's scope: an indicator's network a few
steps out (one query of the link table a step, none of it computed on the fly), and the largest
networks of a period (the period's sightings grouped by the components kept by
registry.services.networks, the largest components first).

Scoping, as for the indicators themselves (registry.policy): a node is shown only when the user
may see its indicator, and is expanded only then, so nothing is learnt through a value the user
may not see; a district prosecutor sees the nodes seen in their districts and only those
sightings (the others counted, "N more outside your districts"); the police see no IIN or BIN
(counted hidden); the others read no network at all.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from accounts.models import District
from accounts.scoping import work_district_ids

from . import policy
from .indicators import Kind
from .models import Indicator, IndicatorLink, Sighting

DEFAULT_DEPTH, MAX_DEPTH = 2, 4
MAX_NODES = 300
REPORTS_PER_NODE = 5
# Kinds counted as the money side of a network: the accounts and cards a dropper hands over.
MONEY_KINDS = frozenset({Kind.IBAN, Kind.CARD})
# A network seen in this many districts or more stands out in the list.
MANY_DISTRICTS = 4
# The largest networks of a period: how many components are read in the first batch (each batch
# twice the last), and how many at most before one GROUP BY over the period is cheaper.
FIRST_CANDIDATES = 60
MAX_CANDIDATES = 4000


def is_hub(indicator) -> bool:
    return indicator.links > settings.REGISTRY_HUB_LINKS


@dataclass
class Node:
    indicator: Indicator
    depth: int
    districts: list[str] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)  # references, the first REPORTS_PER_NODE
    reports_count: int = 0
    amount: Decimal | None = None

    @property
    def hub(self) -> bool:
        return is_hub(self.indicator)


@dataclass
class Network:
    centre: Node
    depth: int
    nodes: list[Node]  # the centre first, then by depth
    edges: list[tuple[int, int, int]]  # (a, b, contexts shared) between shown nodes
    outside: int = 0  # nodes seen only outside the user's districts
    hidden: int = 0  # nodes of kinds the user never sees (an IIN, a BIN for the police)
    capped: bool = False  # more than MAX_NODES: the farthest left out

    @property
    def hubs(self) -> list[Node]:
        return [node for node in self.nodes if node.hub]


def _classified(user, ids: set[int], districts) -> tuple[dict[int, Indicator], int, int]:
    """The indicators `ids` the user may see, and how many they may not: outside their
    districts, of a kind they never see."""
    rows = Indicator.objects.filter(pk__in=ids).only("pk", "kind", "shown", "status", "links", "network", "region_id")
    if districts is not None:
        rows = rows.annotate(seen_there=policy.seen_in(districts))
    hidden_kinds = policy.network_hidden_kinds(user)
    shown, outside, hidden = {}, 0, 0
    for indicator in rows:
        if indicator.kind in hidden_kinds:
            hidden += 1
        elif districts is not None and not indicator.seen_there:
            outside += 1
        else:
            shown[indicator.pk] = indicator
    return shown, outside, hidden


def network_of(user, indicator: Indicator, *, depth: int = DEFAULT_DEPTH) -> Network:
    """The indicator's network to `depth` steps (1 to MAX_DEPTH), breadth first, a hub shown but
    not expanded, at most MAX_NODES nodes; with each node's districts, reports and amounts from
    the sightings the user may see. `indicator` is one the user may see (selectors.indicators_for)."""
    depth = max(1, min(MAX_DEPTH, depth))
    districts = work_district_ids(user)
    centre = Node(indicator, 0)
    nodes = {indicator.pk: centre}
    edges: dict[tuple[int, int], int] = {}
    outside = hidden = 0
    refused: set[int] = set()
    capped = False
    frontier = set() if is_hub(indicator) else {indicator.pk}
    for step in range(1, depth + 1):
        if not frontier:
            break
        ids = sorted(frontier)
        links = (
            IndicatorLink.objects.filter(a_id__in=ids)
            .values_list("a_id", "b_id", "contexts")
            .union(IndicatorLink.objects.filter(b_id__in=ids).values_list("b_id", "a_id", "contexts"), all=True)
        )
        found: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for source, target, contexts in links:
            if target not in refused:
                found[target].append((source, contexts))
        new = {target for target in found if target not in nodes}
        shown, far, kinds = _classified(user, new, districts) if new else ({}, 0, 0)
        outside, hidden = outside + far, hidden + kinds
        refused |= new - set(shown)
        frontier = set()
        # The most linked first, so that a cap leaves out the loosest ties.
        for pk in sorted(shown, key=lambda pk: (-len(found[pk]), pk)):
            if len(nodes) >= MAX_NODES:
                capped = True
                break
            nodes[pk] = Node(shown[pk], step)
            if not is_hub(shown[pk]):
                frontier.add(pk)
        for target, sources in found.items():
            if target in nodes:
                for source, contexts in sources:
                    edges[(min(source, target), max(source, target))] = contexts
    _describe(user, [node for node in nodes.values() if not node.hub], districts)
    ordered = sorted(nodes.values(), key=lambda node: (node.depth, -node.indicator.links, node.indicator.pk))
    return Network(
        centre=centre,
        depth=depth,
        nodes=ordered,
        edges=[(a, b, contexts) for (a, b), contexts in sorted(edges.items())],
        outside=outside,
        hidden=hidden,
        capped=capped,
    )


def _describe(user, nodes: list[Node], districts) -> None:
    """Each node's districts, reports and amounts, from the live sightings the user may see (one
    query for all; a hub's are not read: it is shown collapsed)."""
    by_pk = {node.indicator.pk: node for node in nodes}
    if not by_pk:
        return
    sightings = Sighting.objects.filter(indicator_id__in=by_pk, unlinked_at__isnull=True)
    if districts is not None:
        sightings = sightings.filter(district_id__in=districts)
    district_ids, references = defaultdict(set), defaultdict(set)
    rows = sightings.values_list("indicator_id", "district_id", "report__reference", "amount")
    for pk, district, reference, amount in rows.order_by("-at"):
        node = by_pk[pk]
        if district:
            district_ids[pk].add(district)
        if reference and reference not in references[pk]:
            references[pk].add(reference)
            if len(node.reports) < REPORTS_PER_NODE:
                node.reports.append(reference)
        if amount is not None:
            node.amount = (node.amount or Decimal(0)) + amount
    wanted = set().union(*district_ids.values())
    names = {district.pk: district.name for district in District.objects.filter(pk__in=wanted)} if wanted else {}
    for pk, node in by_pk.items():
        node.districts = sorted(names[district] for district in district_ids[pk])
        node.reports_count = len(references[pk])


# --- The largest networks of a period ------------------------------------------------------------


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The local days `start` to `end`, both included, as aware times."""
    zone = timezone.get_current_timezone()
    return datetime.combine(start, time.min, zone), datetime.combine(end, time.max, zone)


@dataclass
class Ranked:
    network: int
    indicators: int
    money: int  # accounts and cards
    districts: int
    reports: int
    amount: Decimal | None
    central: Indicator | None = None

    @property
    def stands_out(self) -> bool:
        return self.districts >= MANY_DISTRICTS


def _counted(user, since, until):
    """The period's sightings the user may see, grouped by network (networks of two indicators
    seen or more), unordered: a queryset of dicts."""
    sightings = Sighting.objects.filter(
        at__range=(since, until), unlinked_at__isnull=True, indicator__network__isnull=False
    )
    sightings = policy.counted_sightings(user, sightings)
    return (
        sightings.values("indicator__network")
        .annotate(
            indicators=Count("indicator", distinct=True),
            money=Count("indicator", filter=Q(indicator__kind__in=MONEY_KINDS), distinct=True),
            district_count=Count("district", distinct=True),
            reports=Count("report", distinct=True),
            amount=Sum("amount"),
        )
        .filter(indicators__gt=1)
        .order_by()
    )


def _rank(row) -> tuple:
    """The ranking's order: the most indicators, then districts, then the largest amount (none
    last), then the oldest label; the same order as the GROUP BY's ORDER BY below."""
    amount = row["amount"]
    return (-row["indicators"], -row["district_count"], amount is None, -(amount or 0), row["indicator__network"])


def networks_ranked(user, start: date, end: date, *, first: int = 0, count: int = 30) -> list[dict]:
    """The networks of the user's scope by the number of indicators seen in the period (of at
    least two), with their accounts and cards, districts, reports and amounts, counted from the
    sightings the user may see: the `count` from place `first` on (0 the largest), as dicts;
    `ranked_rows` completes them.

    A GROUP BY over a year's sightings reads them all (3.8 s with 1,000,000 of them). Instead the
    components are read from the largest down, a growing batch at a time, each batch's sightings
    grouped alone: a component's size (kept on its label's row) bounds how many of its indicators
    a period and a scope can count, so once the last wanted place counts more than the next
    component holds, no later one can enter and the rest is never read. When the scope's counts
    run far below the sizes (a district's share of each network) and too many components would be
    read that way, the one GROUP BY over the period is done instead, ordered by PostgreSQL."""
    since, until = period_bounds(start, end)
    counted = _counted(user, since, until)
    wanted = first + count
    labels = Indicator.objects.filter(network_size__gt=1).order_by("-network_size", "pk")
    found: list[dict] = []
    read, batch = 0, FIRST_CANDIDATES
    while read < MAX_CANDIDATES:
        # A batch of components and the next one's size, the bound of every component left.
        candidates = list(labels.values_list("pk", "network_size")[read : read + batch + 1])
        taken, rest = candidates[:batch], candidates[batch:]
        if taken:
            found += counted.filter(indicator__network__in=[pk for pk, _size in taken])
            found.sort(key=_rank)
        if not rest:  # every component read
            return found[first:wanted]
        if len(found) >= wanted and found[wanted - 1]["indicators"] > rest[0][1]:
            return found[first:wanted]
        read, batch = read + batch, batch * 2
    ordered = counted.order_by(
        "-indicators", "-district_count", F("amount").desc(nulls_last=True), "indicator__network"
    )
    return list(ordered[first:wanted])


def ranked_rows(user, rows) -> list[Ranked]:
    """A page of `networks_ranked`, each with its central indicator: the most linked one the user
    may see that is no hub."""
    ranked = [
        Ranked(
            network=row["indicator__network"],
            indicators=row["indicators"],
            money=row["money"],
            districts=row["district_count"],
            reports=row["reports"],
            amount=row["amount"],
        )
        for row in rows
    ]
    hub = settings.REGISTRY_HUB_LINKS
    for row in ranked:  # one short read a row, by the (network, links) index: a network may be large
        candidates = Indicator.objects.filter(network=row.network, links__lte=hub).order_by("-links", "pk")
        row.central = policy.visible_indicators(user, candidates).only("pk", "kind", "shown", "links").first()
    return ranked


def hubs_for(user):
    """The hubs of the user's scope, the most linked first: proposed for the allow-list."""
    return policy.visible_indicators(
        user, Indicator.objects.filter(links__gt=settings.REGISTRY_HUB_LINKS).order_by("-links", "pk")
    )
