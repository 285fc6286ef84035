"""The registry's networks: an indicator's network drawn on its page (an inline SVG laid out here,
on the server, so no script is needed and the page's CSP holds), with a table of the same nodes;
the largest networks of a period."""

import math
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import networks, policy
from ..forms import PeriodForm
from ..indicators import Kind

PER_PAGE = 30
RING = 110  # the distance between two rings, in the drawing's units
NODE_GAP = 26  # the least distance between two nodes of one ring
LABEL_GAP = 64  # the same when the nodes are labelled
MARGIN = 40
LABELLED = 24  # up to this many nodes, each is labelled by its value; beyond, by tooltip only

# A shape a kind, so that the drawing reads without colour too (the legend names them).
SHAPES = {
    Kind.PHONE: "circle",
    Kind.CARD: "square",
    Kind.IBAN: "diamond",
    Kind.IIN: "triangle",
    Kind.BIN: "triangle",
}


def _path(shape: str, x: float, y: float, r: float) -> str:
    """An SVG path's `d` for a shape of radius `r` centred on x, y."""
    if shape == "square":
        s = r * 0.85
        return f"M{x - s:.1f} {y - s:.1f}h{2 * s:.1f}v{2 * s:.1f}h{-2 * s:.1f}Z"
    if shape == "diamond":
        return f"M{x:.1f} {y - r:.1f}L{x + r:.1f} {y:.1f}L{x:.1f} {y + r:.1f}L{x - r:.1f} {y:.1f}Z"
    if shape == "triangle":
        return f"M{x:.1f} {y - r:.1f}L{x + r:.1f} {y + r * 0.8:.1f}L{x - r:.1f} {y + r * 0.8:.1f}Z"
    if shape == "hexagon":
        points = [(x + r * math.cos(math.pi / 3 * i), y + r * math.sin(math.pi / 3 * i)) for i in range(6)]
        return "M" + "L".join(f"{px:.1f} {py:.1f}" for px, py in points) + "Z"
    return f"M{x - r:.1f} {y:.1f}a{r:.1f} {r:.1f} 0 1 0 {2 * r:.1f} 0a{r:.1f} {r:.1f} 0 1 0 {-2 * r:.1f} 0Z"


def _number(value: float) -> str:
    """A coordinate as SVG reads it (never localised: "12,5" is no number to SVG)."""
    return f"{value:.1f}"


@dataclass
class Placed:
    node: networks.Node
    x: str
    y: str
    d: str
    href: str
    label: str


@dataclass
class Drawing:
    box: tuple[float, float, float, float]  # the viewBox: left, top, width, height
    nodes: list[Placed]
    lines: list[tuple[str, str, str, str, int]]  # x1, y1, x2, y2, contexts shared
    legend: list[tuple[str, str, str]]  # kind, label, path
    labelled: bool

    @property
    def view_box(self) -> str:
        return " ".join(_number(value) for value in self.box)


def _mean_angle(angles: list[float]) -> float:
    if not angles:
        return 0.0
    return math.atan2(sum(map(math.sin, angles)), sum(map(math.cos, angles))) % (2 * math.pi)


def _spread(wanted: dict[int, float], least: float) -> dict[int, float]:
    """Angles as near the wanted ones as a least gap between neighbours allows: in the wanted
    order, each pushed on past the one before; evenly spaced when the ring is too full for that."""
    order = sorted(wanted, key=lambda pk: (wanted[pk], pk))
    if least * len(order) >= 2 * math.pi:
        return {pk: 2 * math.pi * index / len(order) for index, pk in enumerate(order)}
    placed, last = {}, None
    for pk in order:
        theta = wanted[pk] if last is None else max(wanted[pk], last + least)
        placed[pk] = last = theta
    overflow = last - (2 * math.pi + placed[order[0]] - least)
    if overflow > 0:  # the last ones ran into the first: all turned back by the excess
        placed = {pk: theta - overflow for pk, theta in placed.items()}
    return placed


def _box(points, labelled: bool) -> tuple[float, float, float, float]:
    """The drawing's viewBox: its nodes with a margin, and room for the labels under them."""
    xs, ys = [x for x, _ in points], [y for _, y in points]
    side, below = MARGIN + (70 if labelled else 0), MARGIN + (20 if labelled else 0)
    left, top = min(xs) - side, min(ys) - MARGIN
    return left, top, max(xs) + side - left, max(ys) + below - top


def layout(network: networks.Network) -> Drawing:
    """A radial layout: the indicator in the centre, each step out a ring, a ring's nodes in the
    order of the mean angle of the nodes they link to on the ring within, so that a node's links
    stay near it."""
    neighbours: dict[int, set[int]] = {node.indicator.pk: set() for node in network.nodes}
    for a, b, _contexts in network.edges:
        neighbours[a].add(b)
        neighbours[b].add(a)
    rings: dict[int, list[networks.Node]] = {}
    for node in network.nodes:
        rings.setdefault(node.depth, []).append(node)
    labelled = len(network.nodes) <= LABELLED
    gap = LABEL_GAP if labelled else NODE_GAP
    angle: dict[int, float] = {network.centre.indicator.pk: 0.0}
    position: dict[int, tuple[float, float]] = {network.centre.indicator.pk: (0.0, 0.0)}
    radius = 0.0
    for depth in sorted(rings)[1:]:
        ring = rings[depth]
        radius = max(radius + RING, len(ring) * gap / (2 * math.pi))
        if depth == 1:  # evenly round the indicator, from the top
            wanted = {node.indicator.pk: 2 * math.pi * index / len(ring) for index, node in enumerate(ring)}
        else:  # beside the nodes they link to on the ring within
            wanted = {
                node.indicator.pk: _mean_angle([angle[pk] for pk in neighbours[node.indicator.pk] if pk in angle])
                for node in ring
            }
        for pk, theta in _spread(wanted, gap / radius).items():
            angle[pk] = theta
            position[pk] = (radius * math.cos(theta - math.pi / 2), radius * math.sin(theta - math.pi / 2))
    placed = []
    for node in network.nodes:
        x, y = position[node.indicator.pk]
        size = 14 if node.depth == 0 else 11 if node.hub else 8
        shape = SHAPES.get(node.indicator.kind, "hexagon")
        placed.append(
            Placed(
                node=node,
                x=_number(x),
                y=_number(y + size + 12),
                d=_path(shape, x, y, size),
                href=reverse("registry:indicator", args=[node.indicator.pk]),
                label=node.indicator.shown,
            )
        )
    lines = [(*position[a], *position[b], contexts) for a, b, contexts in network.edges]
    kinds = sorted({node.indicator.kind for node in network.nodes})
    legend = [(kind, str(Kind(kind).label), _path(SHAPES.get(kind, "hexagon"), 10, 10, 7)) for kind in kinds]
    return Drawing(
        box=_box(position.values(), labelled),
        nodes=placed,
        lines=[(*(_number(value) for value in line[:4]), line[4]) for line in lines],
        legend=legend,
        labelled=labelled,
    )


def network_depth(request) -> tuple[int, str]:
    """The depth asked by `?depth=` (1 to 4), or the default with the reason it was not taken."""
    raw = request.GET.get("depth", "")
    if raw == "":
        return networks.DEFAULT_DEPTH, ""
    try:
        depth = int(raw)
    except ValueError:
        depth = 0
    if 1 <= depth <= networks.MAX_DEPTH:
        return depth, ""
    message = _("The depth of a network is from 1 to %(max)d steps: it is shown %(depth)d steps out.") % {
        "max": networks.MAX_DEPTH,
        "depth": networks.DEFAULT_DEPTH,
    }
    return networks.DEFAULT_DEPTH, message


def network_context(request, indicator) -> dict:
    """What the indicator page's network section shows (the page and its htmx partial)."""
    depth, depth_error = network_depth(request)
    network = networks.network_of(request.user, indicator, depth=depth)
    return {
        "network": network,
        "drawing": layout(network),
        "depth_error": depth_error,
        "depths": range(1, networks.MAX_DEPTH + 1),
        "max_nodes": networks.MAX_NODES,
        "hub_links": settings.REGISTRY_HUB_LINKS,
    }


def _page_number(raw) -> int:
    try:
        return max(1, int(raw))
    except (TypeError, ValueError):
        return 1


@dataclass
class NextPage:
    """A page of a list whose length is never counted (includes/pagination.html reads it as a
    Paginator's page): counting the networks of a period is the whole GROUP BY again."""

    number: int
    has_next: bool
    paginator = None

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


@login_required
def network_list(request):
    """GET /registry/networks/: the largest networks of a period (the current year by default),
    by the number of indicators seen in it, within the user's scope."""
    user = request.user
    if not policy.may_read_registry(user):
        raise PermissionDenied
    today = timezone.localdate()
    data = request.GET if {"start", "end"} & set(request.GET) else None
    form = PeriodForm(data, initial={"start": today.replace(month=1, day=1), "end": today.replace(month=12, day=31)})
    if data is None:
        start, end = form.initial["start"], form.initial["end"]
    elif form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    else:
        start = end = None
    page = rows = None
    if start is not None:
        number = _page_number(request.GET.get("page"))
        found = networks.networks_ranked(user, start, end, first=(number - 1) * PER_PAGE, count=PER_PAGE + 1)
        page = NextPage(number, has_next=len(found) > PER_PAGE)
        rows = networks.ranked_rows(user, found[:PER_PAGE])
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "many_districts": networks.MANY_DISTRICTS,
    }
    return render(request, "registry/networks.html", context, status=400 if form.errors else 200)
