"""The registry's networks, kept up to date as sightings arrive (never computed per page view).

Two indicators with live sightings in one context (models.Sighting.context: the same report's
text, the same row of a bank's notice) are linked: one `IndicatorLink` row a pair, counting the
contexts they share, each once. An indicator keeps how many indicators it is linked to
(`Indicator.links`) and the label of its connected component (`Indicator.network`), so that the
largest networks of a period are a GROUP BY.

Hubs: an indicator with more than `REGISTRY_HUB_LINKS` links (a bank's hotline, a marketplace's
number quoted in a thousand reports) keeps its links but joins no component (its `network` is
NULL): through it every network of the region would merge into one, and what it says of two
values is nothing. When an indicator becomes a hub, the component it was in is computed again
without it. A component's label is the id of one of its members: the larger side's label is kept
on a merge (the smaller side is relabelled), a component computed again is labelled by its
smallest member's id.

`links_add(contexts=[...])` is set-based (a few statements for a batch of a thousand contexts)
and idempotent: each sighting links once (`Sighting.linked_at`), so running it again for the same
contexts changes nothing. `links_remove(sightings=[...])` takes back what unlinked sightings
gave.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from lib.inserts import array_literal

from ..models import Indicator, IndicatorLink, Sighting

# Contexts read a statement, and rows of a relabelling CASE a statement.
CHUNK = 1000


def _postgres() -> bool:
    """On PostgreSQL a statement's list of values is one array parameter (`= ANY(%s)`, `unnest`):
    psycopg parses a statement of thousands of placeholders slower than PostgreSQL runs it (a
    notice's batch spent a tenth of its time there)."""
    return connection.vendor == "postgresql"


# The pairs of indicators sharing a context of the batch (`%(contexts)s`), counted once per
# context, among which at least one side's sightings in that context were claimed by this run
# (`linked_at` = the run's stamp): the pairs already counted are not counted again. (A sighting not
# yet linked is left out by the CASE, not by a WHERE: PostgreSQL would estimate such a filter from
# statistics taken before the links were built, find one row, and join the batch by a nested loop,
# 1.4 s instead of 40 ms for a thousand contexts.)
_PAIRS = """
WITH seen AS (
    SELECT s.indicator_id AS i, s.context AS c, MIN(s.at) AS at,
           MIN(CASE WHEN s.linked_at IS NULL THEN NULL WHEN s.linked_at = %%s THEN 1 ELSE 0 END) AS fresh
    FROM registry_sighting s
    WHERE s.context %(contexts)s AND s.context <> '' AND s.unlinked_at IS NULL
    GROUP BY s.indicator_id, s.context
)
INSERT INTO registry_indicatorlink (region_id, a_id, b_id, contexts, first_linked_at, last_linked_at)
SELECT r.region_id, x.i, y.i, COUNT(*),
       MIN(CASE WHEN x.at > y.at THEN x.at ELSE y.at END), MAX(CASE WHEN x.at > y.at THEN x.at ELSE y.at END)
FROM seen x
JOIN seen y ON y.c = x.c AND x.i < y.i
JOIN registry_indicator r ON r.id = x.i
WHERE x.fresh IS NOT NULL AND y.fresh IS NOT NULL AND (x.fresh = 1 OR y.fresh = 1)
GROUP BY r.region_id, x.i, y.i
%(upsert)s
"""

# A pair already linked shares more contexts, over a wider time; the rows say which were new.
_UPSERT = """
ON CONFLICT (a_id, b_id) DO UPDATE SET
    contexts = registry_indicatorlink.contexts + excluded.contexts,
    first_linked_at = CASE WHEN excluded.first_linked_at < registry_indicatorlink.first_linked_at
                      THEN excluded.first_linked_at ELSE registry_indicatorlink.first_linked_at END,
    last_linked_at = CASE WHEN excluded.last_linked_at > registry_indicatorlink.last_linked_at
                     THEN excluded.last_linked_at ELSE registry_indicatorlink.last_linked_at END
RETURNING a_id, b_id, %(inserted)s
"""

# The pairs unlinked sightings (`%(sightings)s`) took part in, by context: a pair is taken back
# once per context where one side's only linked sighting is gone (the other side still there, or
# gone in the same run).
_LOST = """
WITH gone AS (
    SELECT DISTINCT s.indicator_id AS i, s.context AS c
    FROM registry_sighting s
    WHERE s.id IN (%(sightings)s) AND s.context <> '' AND s.linked_at IS NOT NULL AND s.unlinked_at IS NOT NULL
      AND NOT EXISTS (
        SELECT 1 FROM registry_sighting o
        WHERE o.indicator_id = s.indicator_id AND o.context = s.context
          AND o.unlinked_at IS NULL AND o.linked_at IS NOT NULL)
),
present AS (
    SELECT o.indicator_id AS i, o.context AS c, 0 AS lost
    FROM registry_sighting o
    WHERE o.context IN (SELECT c FROM gone) AND o.context <> '' AND o.unlinked_at IS NULL AND o.linked_at IS NOT NULL
    GROUP BY o.indicator_id, o.context
    UNION ALL
    SELECT i, c, 1 FROM gone
)
SELECT x.i, y.i, COUNT(*)
FROM present x JOIN present y ON y.c = x.c AND x.i < y.i
WHERE x.lost = 1 OR y.lost = 1
GROUP BY x.i, y.i
"""


def hub_links() -> int:
    """More links than this and an indicator is a hub (settings.REGISTRY_HUB_LINKS)."""
    return settings.REGISTRY_HUB_LINKS


# The networks' labels and sizes are read and written back across many indicators: on PostgreSQL
# one transaction-scoped advisory lock (this number, any constant of Tartip's own) makes concurrent
# linkers (a report's task, a notice's batch, an unlinking) take turns, so no update is lost and no
# two of them lock indicators in different orders. SQLite's writers take turns already.
NETWORKS_LOCK = 0x7461727469700001


def take_turn() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [NETWORKS_LOCK])


def _placeholders(values) -> str:
    return ", ".join(["%s"] * len(values))


def links_add(*, contexts) -> int:
    """Link every pair of indicators with live sightings in each of `contexts` (report:<id>,
    notice:<id>:<row>), counting a shared context once; then the indicators' link counts and
    components. Idempotent. The number of links made or strengthened."""
    contexts = sorted({context for context in contexts if context})
    linked = 0
    for start in range(0, len(contexts), CHUNK):
        with transaction.atomic():
            linked += _links_add(contexts[start : start + CHUNK])
    return linked


def _links_add(contexts: list[str]) -> int:
    take_turn()
    stamp = timezone.now()
    # Claimed first, by one UPDATE: a concurrent run of the same contexts waits on these rows and
    # then finds them claimed, so no pair is counted twice.
    # (`context <> ''` repeated so that PostgreSQL uses the partial index of contexts with a long
    # IN list, which it cannot prove non-empty by itself.)
    if _postgres():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE registry_sighting SET linked_at = %s WHERE context = ANY(%s::text[]) AND context <> '' "
                "AND linked_at IS NULL AND unlinked_at IS NULL",
                [stamp, array_literal(contexts)],
            )
            claimed = cursor.rowcount
    else:
        claimed = (
            Sighting.objects.filter(context__in=contexts, linked_at__isnull=True, unlinked_at__isnull=True)
            .exclude(context="")
            .update(linked_at=stamp)
        )
    if not claimed:
        return 0
    within, params = (
        ("= ANY(%s::text[])", [array_literal(contexts)])
        if _postgres()
        else (f"IN ({_placeholders(contexts)})", contexts)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            _PAIRS % {"contexts": within, "upsert": _UPSERT % {"inserted": _INSERTED[_postgres()]}},
            [connection.ops.adapt_datetimefield_value(stamp), *params],
        )
        rows = cursor.fetchall()
    if rows:
        _networks_update([(a, b) for a, b, _ in rows], new=[(a, b) for a, b, inserted in rows if inserted])
    return len(rows)


def links_of_new_contexts(
    region_id: int, seen, *, unwritten: set[int] = frozenset(), insert_unwritten=None
) -> dict[int, tuple]:
    """The links of sightings being written in contexts of their own (a notice's rows: no other
    sighting shares them, and they are written linked), `seen`: (indicator id, context, when seen)
    triples. The pairs are found here rather than read back (`_PAIRS`), and made, as links_add
    makes them; then the link counts and components. Run in the caller's transaction, after
    `take_turn()`.

    `unwritten`: ids of the batch's new indicators, not inserted yet (PostgreSQL): they are taken
    as having no link and no network, and their counts and labels are returned, {id: (links,
    network, network_size)}, for their INSERT, so that each is written once. When the batch makes
    a hub (rare), a component is found again from the table: `insert_unwritten()` is called to
    insert them as they are first, and they are updated like the others ({} is returned)."""
    pairs = _pairs_of(seen)
    if not pairs:
        return {}
    items = sorted(pairs.items())
    upsert = _UPSERT % {"inserted": _INSERTED[_postgres()]}
    insert = "INSERT INTO registry_indicatorlink (region_id, a_id, b_id, contexts, first_linked_at, last_linked_at) "
    with connection.cursor() as cursor:
        if _postgres():
            arrays = [array_literal([pair[index] for pair, _ in items]) for index in range(2)]
            arrays += [array_literal([value[index] for _, value in items]) for index in range(3)]
            cursor.execute(
                insert  # noqa: S608 (constants and placeholders only)
                + "SELECT %s, a, b, n, f, l FROM unnest(%s::bigint[], %s::bigint[], %s::int[], "
                "%s::timestamptz[], %s::timestamptz[]) AS d(a, b, n, f, l)" + upsert,
                [region_id, *arrays],
            )
            rows = cursor.fetchall()
        else:
            rows, adapt = [], connection.ops.adapt_datetimefield_value
            for start in range(0, len(items), CHUNK):
                chunk = items[start : start + CHUNK]
                values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(chunk))
                params = [(region_id, a, b, n, adapt(first), adapt(last)) for (a, b), (n, first, last) in chunk]
                cursor.execute(insert + f"VALUES {values}" + upsert, [value for row in params for value in row])  # noqa: S608 (placeholders)
                rows += cursor.fetchall()
    pairs, new = [(a, b) for a, b, _ in rows], [(a, b) for a, b, made in rows if made]
    values = _networks_update(pairs, new, unwritten=unwritten)
    if values is None:
        insert_unwritten()
        values = _networks_update(pairs, new)
    return values


def _pairs_of(seen) -> dict[tuple[int, int], list]:
    """{(a, b): [contexts shared, first linked, last linked]} of (indicator, context, at) triples,
    as `_PAIRS` counts them: a pair once per context, linked when its later side was seen there."""
    first_in: dict[str, dict[int, datetime]] = defaultdict(dict)
    for indicator, context, at in seen:
        if context:
            known = first_in[context].get(indicator)
            first_in[context][indicator] = at if known is None or at < known else known
    pairs: dict[tuple[int, int], list] = {}
    for present in first_in.values():
        ids = sorted(present)
        for index, a in enumerate(ids):
            for b in ids[index + 1 :]:
                at = max(present[a], present[b])
                pair = pairs.get((a, b))
                if pair is None:
                    pairs[(a, b)] = [1, at, at]
                else:
                    pair[0] += 1
                    pair[1], pair[2] = min(pair[1], at), max(pair[2], at)
    return pairs


def links_remove(*, sightings) -> int:
    """Take back the links unlinked sightings (`sightings`: their ids) gave: each shared context
    they were the only sighting of their indicator in counts once less, a pair sharing none is
    removed, and the components it held together are computed again. The number of links
    weakened or removed."""
    ids = sorted(set(sightings))
    if not ids:
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        take_turn()
        cursor.execute(_LOST % {"sightings": _placeholders(ids)}, ids)
        lost = cursor.fetchall()
        # Taken back once: a second run finds these sightings no longer linked.
        Sighting.objects.filter(pk__in=ids, unlinked_at__isnull=False).update(linked_at=None)
        if not lost:
            return 0
        for a, b, count in lost:
            IndicatorLink.objects.filter(a_id=a, b_id=b).update(contexts=F("contexts") - count)
        touched = {a for a, _, _ in lost} | {b for _, b, _ in lost}
        IndicatorLink.objects.filter(a_id__in=touched, contexts=0).delete()
        _links_count(touched)
        labels = set(Indicator.objects.filter(pk__in=touched, network__isnull=False).values_list("network", flat=True))
        _components_recompute(labels, also=touched)
    return len(lost)


# Whether the upsert inserted the row: PostgreSQL tells (a row just inserted has no xmax), so the
# link counts are incremented; elsewhere (SQLite, development) they are counted again.
_INSERTED = {True: "(xmax = 0)", False: "NULL"}


def _links_increment(added: dict[int, int]) -> None:
    """PostgreSQL: link counts incremented (one UPDATE ... FROM unnest(arrays)), not counted
    again (a hub's count is tens of thousands)."""
    items = sorted(added.items())
    if not items:  # (SQLite counts its links again instead)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registry_indicator SET links = links + d.n "
            "FROM unnest(%s::bigint[], %s::bigint[]) AS d(id, n) WHERE registry_indicator.id = d.id",
            [array_literal([pk for pk, _n in items]), array_literal([n for _pk, n in items])],
        )


def _links_count(indicators: set[int]) -> None:
    """The touched indicators' link counts, counted again (an index-only count of each side)."""
    ids = sorted(indicators)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE registry_indicator SET links = "  # noqa: S608 (placeholders only)
                "(SELECT COUNT(*) FROM registry_indicatorlink l WHERE l.a_id = registry_indicator.id) + "
                "(SELECT COUNT(*) FROM registry_indicatorlink l WHERE l.b_id = registry_indicator.id) "
                f"WHERE id IN ({_placeholders(chunk)})",
                chunk,
            )


def _relabel(column: str, mapping: dict[int, int], *, field: str = "network") -> None:
    """SET network (or `field`) = the mapped value, for rows whose `column` (id or network) is a key of `mapping`:
    one statement, not one a row (PostgreSQL joins the arrays of keys and labels, SQLite a CASE a
    thousand rows)."""
    items = sorted(mapping.items())
    if _postgres():
        if items:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE registry_indicator SET {field} = d.label "  # noqa: S608 (id or network)
                    "FROM unnest(%s::bigint[], %s::bigint[]) AS d(key, label) "
                    f"WHERE registry_indicator.{column} = d.key",
                    [array_literal([key for key, _label in items]), array_literal([label for _key, label in items])],
                )
        return
    for start in range(0, len(items), CHUNK):
        chunk = items[start : start + CHUNK]
        params = [value for pair in chunk for value in pair] + [key for key, _ in chunk]
        cases = " ".join("WHEN %s THEN %s" for _ in chunk)
        sql = (
            f"UPDATE registry_indicator SET {field} = CASE {column} {cases} END "  # noqa: S608 (id or network)
            f"WHERE {column} IN ({_placeholders(chunk)})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def _networks_update(
    pairs: list[tuple[int, int]], new: list[tuple[int, int]], unwritten: set[int] = frozenset()
) -> dict[int, tuple] | None:
    """After links were made (`new`: those inserted, on PostgreSQL): the link counts of their
    indicators, a new hub taken out of its component, and the components the links join merged
    (the larger one's label kept). On PostgreSQL an indicator of the batch is written once, its
    count and its label together; elsewhere its count is counted again.

    `unwritten` (PostgreSQL): indicators not inserted yet, with no link and no network so far:
    their values are returned, {id: (links, network, network_size)}, not written. None, and
    nothing written, when the links make a hub (see links_of_new_contexts)."""
    touched = {a for a, _ in pairs} | {b for _, b in pairs}
    postgres = connection.vendor == "postgresql"
    added: dict[int, int] = defaultdict(int)
    for a, b in new if postgres else ():
        added[a] += 1
        added[b] += 1
    if not postgres:
        _links_count(touched)
    limit = hub_links()

    def read() -> dict[int, tuple[int, int | None]]:
        rows = _indicators_of(touched - unwritten, "links", "network")
        rows += [(pk, 0, None) for pk in touched & unwritten]
        return {pk: (links + added.get(pk, 0), network) for pk, links, network in rows}

    rows = read()
    new_hubs = {pk: network for pk, (links, network) in rows.items() if links > limit and network is not None}
    if touched & unwritten and (new_hubs or any(rows[pk][0] > limit for pk in touched & unwritten)):
        return None  # a hub's component is found again from the table: the caller's rows go in first
    if new_hubs:  # written first, so that their components are found again without them
        _links_increment(added)
        added.clear()
        Indicator.objects.filter(pk__in=new_hubs).update(network=None, network_size=0)
        _components_recompute(set(new_hubs.values()))
        rows = read()
    label = {pk: network for pk, (links, network) in rows.items() if links <= limit}
    parent = {pk: pk for pk in label}

    def find(pk: int) -> int:
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    for a, b in pairs:
        if a in parent and b in parent:
            parent[find(a)] = find(b)
    # Indicators of the batch already in one component are one group too, though no pair of the
    # batch joins them: else two groups would each merge the same component somewhere else.
    first_of: dict[int, int] = {}
    for pk, network in label.items():
        if network is not None:
            parent[find(pk)] = find(first_of.setdefault(network, pk))
    groups: dict[int, list[int]] = defaultdict(list)
    for pk in label:
        groups[find(pk)].append(pk)
    owned = [{label[pk] for pk in members if label[pk] is not None} for members in groups.values()]
    # A component's size is kept on the row its label names (the label is a member's id).
    labels = set().union(*owned)
    sizes = dict(_indicators_of(labels, "network_size")) if labels else {}
    by_label: dict[int, int] = {}  # an old label -> the label it joins
    final: dict[int, int] = {}  # an indicator of the batch -> its label
    resized: dict[int, int] = {}  # a label -> its component's new size (0: no longer a label)
    for members, own in zip(groups.values(), owned, strict=True):
        target = max(own, key=lambda network: (sizes.get(network, 0), -network)) if own else min(members)
        joining = [pk for pk in members if label[pk] is None]
        if len(own) > 1 or joining:
            resized.update(dict.fromkeys(own, 0))
            resized[target] = sum(sizes.get(network, 0) for network in own) + len(joining)
        by_label.update({network: target for network in own if network != target})
        final.update(dict.fromkeys(members, target))
    if postgres:
        # (The batch's own indicators among them are written again by _batch_write: leaving them out
        # here, by `id <> ALL(array)`, cost a comparison with each of the batch per row relabelled.)
        _relabel("network", by_label)
        changed = {pk for pk in touched if added.get(pk) or (pk in final and final[pk] != rows[pk][1])}
        # A component's new size written with its label row's other columns when that row is one
        # of the batch's (most are: a new component is labelled by its smallest member): one
        # version of the row, not two.
        _relabel("id", {pk: size for pk, size in resized.items() if pk not in changed}, field="network_size")
        values = {pk: (added.get(pk, 0), final.get(pk, rows[pk][1]), resized.get(pk)) for pk in changed}
        _batch_write({pk: value for pk, value in values.items() if pk not in unwritten})
        return {pk: (links, label, size or 0) for pk, (links, label, size) in values.items() if pk in unwritten}
    _relabel("id", resized, field="network_size")
    _relabel("network", by_label)
    _relabel("id", {pk: target for pk, target in final.items() if rows[pk][1] is None})
    return {}


def _batch_write(values: dict[int, tuple[int, int | None, int | None]]) -> None:
    """PostgreSQL: the indicators of a batch, each written once: links incremented, label set, and
    a label row's component size (None: left as it is)."""
    items = sorted(values.items())
    if not items:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registry_indicator SET links = registry_indicator.links + d.n, network = d.label, "
            "network_size = COALESCE(d.size, registry_indicator.network_size) "
            "FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[]) AS d(id, n, label, size) "
            "WHERE registry_indicator.id = d.id",
            [array_literal([pk for pk, _ in items])]
            + [array_literal([value[index] for _pk, value in items]) for index in range(3)],
        )


def _indicators_of(ids, *columns: str) -> list[tuple]:
    """(id, *columns) of the indicators `ids` (one array parameter on PostgreSQL)."""
    if not _postgres():
        return list(Indicator.objects.filter(pk__in=ids).values_list("pk", *columns))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, {', '.join(columns)} FROM registry_indicator WHERE id = ANY(%s::bigint[])",  # noqa: S608
            [array_literal(sorted(ids))],
        )
        return cursor.fetchall()


def _components_recompute(labels: set[int], also: set[int] = frozenset()) -> None:
    """The components labelled `labels` (and of the indicators `also`) found again over their
    non-hub links, each labelled by its smallest member; a member left without a link has none."""
    members = set(Indicator.objects.filter(network__in=labels).values_list("pk", flat=True)) if labels else set()
    limit = hub_links()
    members |= set(Indicator.objects.filter(pk__in=also, links__lte=limit).values_list("pk", flat=True))
    if not members:
        return
    ids = sorted(members)
    neighbours: dict[int, set[int]] = {pk: set() for pk in ids}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        links = IndicatorLink.objects.filter(Q(a_id__in=chunk) | Q(b_id__in=chunk)).values_list("a_id", "b_id")
        for a, b in links:
            if a in neighbours and b in neighbours:
                neighbours[a].add(b)
                neighbours[b].add(a)
    links_of = dict(Indicator.objects.filter(pk__in=ids).values_list("pk", "links"))
    mapping, unlinked, sizes = {}, [], {}
    seen: set[int] = set()
    for start in ids:
        if start in seen:
            continue
        component, stack = [], [start]
        seen.add(start)
        while stack:
            pk = stack.pop()
            component.append(pk)
            for other in neighbours[pk] - seen:
                seen.add(other)
                stack.append(other)
        smallest = min(component)
        for pk in component:
            if len(component) == 1 and not links_of.get(pk):
                unlinked.append(pk)
            else:
                mapping[pk] = smallest
        if smallest in mapping:
            sizes[smallest] = len(component)
    _relabel("id", mapping)
    Indicator.objects.filter(pk__in=unlinked).update(network=None)
    Indicator.objects.filter(pk__in=ids).update(network_size=0)
    _relabel("id", sizes, field="network_size")


def links_build(*, region=None) -> int:
    """Every context's links at once (the demo, a first run over sightings made before networks):
    the contexts with a sighting not yet linked, a thousand a statement. The links made."""
    contexts = Sighting.objects.filter(linked_at__isnull=True, unlinked_at__isnull=True).exclude(context="")
    if region is not None:
        contexts = contexts.filter(indicator__region=region)
    names = sorted(set(contexts.values_list("context", flat=True)))
    return links_add(contexts=names)
