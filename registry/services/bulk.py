"""Many values taken at once (a bank's notice, a batch of a thousand rows): gathered without a
query (`gather`, in a notice's reading process), then their indicators found, made or seen again
and their sightings written in a few statements (`indicators_take_many`), as `indicator_take`
does for one value (services.indicators)."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from accounts.models import Organisation
from lib.inserts import array_literal, copy_line, insert_lines, insert_rows, one_of

from ..indicators import SECRET_KINDS
from ..indicators import Indicator as Found
from ..models import IgnoredValue, Indicator, IndicatorEvent, Sighting, Status
from .indicators import Event, expires_from, seen_again, widened_seen
from .networks import links_of_new_contexts, take_turn


@dataclass(frozen=True)
class Seen:
    """A value read, seen in a source (indicators_take_many): when, where, in which piece of the
    source (Sighting.context), with the amount the source gives for it."""

    found: Found
    source: str
    at: datetime
    district_id: int | None = None
    context: str = ""
    amount: Decimal | None = None
    note: str = ""


INDICATOR_COLUMNS = (
    "region_id",
    "kind",
    "value",
    "secret",
    "value_hash",
    "shown",
    "details",
    "bank_id",
    "district_id",
    "status",
    "first_seen_at",
    "last_seen_at",
    "expires_at",
    # Named though they start empty: the table has no defaults of its own (Django keeps them), and
    # COPY inserts NULL for a column left out.
    "links",
    "network",
    "network_size",
)
# A sighting's COPY line: what the gathering formats (source to amount), then the writer's.
SIGHTING_LINE = (
    "source",
    "district_id",
    "at",
    "note",
    "context",
    "amount",
    "indicator_id",
    "recorded_at",
    "actor_id",
    "linked_at",
)
SIGHTING_COLUMNS = (
    "indicator_id",
    "source",
    "district_id",
    "at",
    "recorded_at",
    "actor_id",
    "note",
    "context",
    "amount",
    "linked_at",
)


@dataclass
class Gathered:
    """Values seen in a source, gathered for indicators_take_many before any query: each distinct
    value once, with what its new indicator would hold, and each sighting as a row naming its
    value by its index. Plain tuples, cheap to send between processes: a notice's reading process
    gathers each batch (services.notices), and the writing one only queries and writes."""

    # (kind, hash, hashes, value, shown, details, stored or None, first seen, last seen, district of the first)
    values: list[tuple]
    # (value's index, source, district, at, note, context, amount[, the values from source on as a
    # COPY line, on PostgreSQL])
    sightings: list[tuple]

    def without(self, contexts: set[str]) -> "Gathered":
        """The same but for the sightings in `contexts` (a notice's rows taken before): a value
        seen only there is left out, the others' first and last sightings counted again."""
        if not contexts:
            return self
        kept = [sighting for sighting in self.sightings if sighting[5] not in contexts]
        seen_at: dict[int, list[tuple]] = {}
        for sighting in kept:
            seen_at.setdefault(sighting[0], []).append(sighting)
        index_of, values, sightings = {}, [], []
        for index, value in enumerate(self.values):
            if index in seen_at:
                index_of[index] = len(values)
                values.append(_gathered_value(value[:7], seen_at[index]))
        for sighting in kept:
            sightings.append((index_of[sighting[0]], *sighting[1:]))
        return Gathered(values, sightings)


def _gathered_value(value: tuple, sightings: list[tuple]) -> tuple:
    """A value's tuple (its first seven items) with its first and last sighting and the first's district."""
    first = min(sightings, key=lambda sighting: sighting[3])
    return (*value, first[3], max(sighting[3] for sighting in sightings), first[2])


def gather(seen: list[Seen], *, lines: bool = True) -> Gathered:
    """Values seen, gathered (no query): the keyed hashes computed, and on PostgreSQL the stored
    form of each value (encrypted, its details as JSON) for its COPY, and with `lines` each
    sighting's COPY line (else the writer formats it: for the process that has the time)."""
    postgres = connection.vendor == "postgresql"
    index_of: dict[tuple[str, str], int] = {}
    values, by_value, sightings = [], [], []
    for item in seen:
        found = item.found
        key = (found.kind, found.hash)
        index = index_of.get(key)
        if index is None:
            index = index_of[key] = len(values)
            stored = found.stored if postgres else None
            values.append(
                (found.kind, found.hash, tuple(found.hashes), found.value, found.shown, found.details, stored)
            )
            by_value.append([])
        sighting = (index, item.source, item.district_id, item.at, item.note, item.context, item.amount)
        if postgres and lines:  # its COPY line but for the indicator and the writer's columns (SIGHTING_LINE)
            sighting += (copy_line(sighting[1:]),)
        by_value[index].append(sighting)
        sightings.append(sighting)
    return Gathered([_gathered_value(value, by_value[index]) for index, value in enumerate(values)], sightings)


def indicators_take_many(
    *, actor, region, seen: "list[Seen] | Gathered", now: datetime | None = None, linked_at: datetime | None = None
) -> int:
    """`indicator_take` for many values at once (`seen`, or those values `gather`ed), in a few
    queries whatever their number (a notice's batch of rows): the allow-listed values left out, the
    region's indicators of the rest found in one query (and locked), the new ones inserted with
    their "found" events, the known ones seen again (an expired one suspected anew, as
    `_indicator` does), and every sighting inserted. Run inside a transaction. The number of
    sightings written.

    `linked_at`: the sightings' contexts are their own (a notice's rows: no other sighting shares
    one): they are written linked at that time, and their links made here
    (networks.links_of_new_contexts), the new indicators written once with their counts and
    networks (not inserted, then updated)."""
    gathered = seen if isinstance(seen, Gathered) else gather(seen)
    if not gathered.values:
        return 0
    now = now or timezone.now()
    actor_id = actor.pk if actor is not None else None
    # Whoever makes indicators takes this turn first (indicator_take too), so that the ones found
    # missing here are still missing when they are inserted: no conflict to resolve.
    take_turn()
    wanted = sorted({value_hash for value in gathered.values for value_hash in value[2]})
    ignored = set(
        IgnoredValue.objects.filter(value_hash__in=one_of(IgnoredValue, wanted, "text")).values_list(
            "kind", "value_hash"
        )
    )
    # Plain rows, not instances: a notice repeats thousands of known values (an instance decrypts its secret).
    known = {
        (kind, value_hash): row
        for *row, kind, value_hash in Indicator.objects.select_for_update()
        .filter(region=region, value_hash__in=one_of(Indicator, wanted, "text"))
        .order_by("pk")
        .values_list("pk", "status", "first_seen_at", "last_seen_at", "expires_at", "kind", "value_hash")
    }
    banks = {org.bic: org for org in Organisation.objects.filter(type=Organisation.Type.BANK).exclude(bic="")}
    expired_ids = [row[0] for row in known.values() if row[1] == Status.EXPIRED]
    # Revived (rare) by the instance's own rule, read in one query.
    expired = Indicator.objects.in_bulk(expired_ids) if expired_ids else {}
    ids: dict[int, int] = {}  # a value's index -> its indicator
    new, widened, revived, events = {}, {}, [], []
    expires_at = expires_from(now)
    for index, value in enumerate(gathered.values):
        kind, value_hash, hashes, normal, shown, details, _stored, first_at, last_at, district_id = value
        if any((kind, h) in ignored for h in hashes):
            continue
        row = next((known[(kind, h)] for h in hashes if (kind, h) in known), None)
        bank = banks.get(details.get("bic", ""))
        if row is None:
            # A row of INDICATOR_COLUMNS, not an instance: a notice's batch makes thousands.
            secret = kind in SECRET_KINDS
            new[index] = [
                region.pk,
                kind,
                "" if secret else normal,
                normal if secret else "",
                value_hash,
                shown,
                details,
                bank.pk if bank is not None else None,
                district_id,
                Status.SUSPECTED,
                first_at,
                last_at,
                expires_at,
                0,
                None,
                0,
            ]
            continue
        pk, status = row[0], row[1]
        ids[index] = pk
        if status == Status.EXPIRED:
            indicator = expired[pk]
            seen_again(indicator, Found(kind, normal, shown, details), first_at, last_at, now)
            indicator.bank = bank
            revived.append(indicator)
            events.append((pk, Event.FOUND, Status.SUSPECTED, now, actor_id, {}))
        else:
            widened[pk] = widened_seen(*row[1:], first_at, last_at, now)
    ids |= _new_ids(new)
    _indicators_widen(widened)
    fields = ["status", "value", "secret", "shown", "details", "bank", "first_seen_at", "last_seen_at", "expires_at"]
    Indicator.objects.bulk_update(revived, fields)
    written = [sighting for sighting in gathered.sightings if sighting[0] in ids]
    unwritten = {ids[index] for index in new} if connection.vendor == "postgresql" else set()
    if linked_at is not None:
        inserted = []

        def insert_now() -> None:  # the batch made a hub: its indicators go in as they are, then are updated
            _indicators_insert(new, ids, gathered)
            inserted.append(True)

        seen_in = [(ids[sighting[0]], sighting[5], sighting[3]) for sighting in written]  # indicator, context, at
        networks = links_of_new_contexts(region.pk, seen_in, unwritten=unwritten, insert_unwritten=insert_now)
        unwritten = set() if inserted else unwritten
        for index, row in new.items():
            row[-3:] = networks.get(ids[index], (0, None, 0))
    if unwritten:
        _indicators_insert(new, ids, gathered)
    _sightings_insert(written, ids, now, actor_id, linked_at)
    _events_found([ids[index] for index in new], now, actor_id)
    insert_rows(IndicatorEvent, ("indicator_id", "kind", "status", "at", "actor_id", "data"), events)
    return len(written)


def _sightings_insert(written: list[tuple], ids: dict[int, int], now, actor_id, linked_at) -> None:
    """The sightings of the gathered values taken, never read back here: on PostgreSQL by COPY of
    the lines the gathering formatted (or formatted here), each ended with its indicator and the
    writer's columns; elsewhere as rows."""
    if written and connection.vendor == "postgresql":
        end = "\t" + copy_line((now, actor_id, linked_at))
        insert_lines(
            Sighting,
            SIGHTING_LINE,
            [
                f"{sighting[7] if len(sighting) > 7 else copy_line(sighting[1:7])}\t{ids[sighting[0]]}{end}"
                for sighting in written
            ],
        )
        return
    rows = [
        (ids[index], source, district_id, at, now, actor_id, note, context, amount, linked_at)
        for index, source, district_id, at, note, context, amount, *_line in written
    ]
    insert_rows(Sighting, SIGHTING_COLUMNS, rows)


def _events_found(indicators: list[int], at: datetime, actor_id: int | None) -> None:
    """The "found" events of new indicators: alike but for their indicator, so on PostgreSQL one
    INSERT … SELECT of an array of ids (a notice's batch makes thousands); elsewhere rows."""
    if not indicators:
        return
    if connection.vendor != "postgresql":
        rows = [(pk, Event.FOUND, Status.SUSPECTED, at, actor_id, {}) for pk in indicators]
        insert_rows(IndicatorEvent, ("indicator_id", "kind", "status", "at", "actor_id", "data"), rows)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO registry_indicatorevent (indicator_id, kind, status, at, actor_id, data) "
            "SELECT pk, %s, %s, %s, %s, '{}' FROM unnest(%s::bigint[]) AS pk",
            [Event.FOUND, Status.SUSPECTED, at, actor_id, array_literal(indicators)],
        )


def _indicators_widen(widened: dict[int, tuple]) -> None:
    """Known indicators seen again: their first and last sightings and expiry ({id: (first, last,
    expires)}), on PostgreSQL in one UPDATE of arrays (Django's bulk_update writes a CASE of every
    row, slow for a notice's thousands), elsewhere by bulk_update."""
    if not widened:
        return
    items = sorted(widened.items())
    if connection.vendor != "postgresql":
        rows = [
            Indicator(pk=pk, first_seen_at=first, last_seen_at=last, expires_at=ends)
            for pk, (first, last, ends) in items
        ]
        Indicator.objects.bulk_update(rows, ["first_seen_at", "last_seen_at", "expires_at"])
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registry_indicator SET first_seen_at = d.f, last_seen_at = d.l, expires_at = d.e "
            "FROM unnest(%s::bigint[], %s::timestamptz[], %s::timestamptz[], %s::timestamptz[]) AS d(id, f, l, e) "
            "WHERE registry_indicator.id = d.id",
            [array_literal([pk for pk, _ in items])] + [array_literal([v[i] for _, v in items]) for i in range(3)],
        )


def _new_ids(new: dict[int, list]) -> dict[int, int]:
    """The ids of new indicators (rows of INDICATOR_COLUMNS by their value's index): on PostgreSQL
    taken from the table's sequence, the rows inserted later with them (written once, with their
    networks); elsewhere the rows inserted here and their ids read back."""
    if not new:
        return {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence('registry_indicator', 'id')) FROM generate_series(1, %s)",
                [len(new)],
            )
            return dict(zip(new, (pk for (pk,) in cursor.fetchall()), strict=True))
    Indicator.objects.bulk_create([Indicator(**dict(zip(INDICATOR_COLUMNS, row, strict=True))) for row in new.values()])
    kind, value_hash = INDICATOR_COLUMNS.index("kind"), INDICATOR_COLUMNS.index("value_hash")
    index_of = {(row[kind], row[value_hash]): index for index, row in new.items()}
    rows = Indicator.objects.filter(region_id=next(iter(new.values()))[0], value_hash__in=[h for _k, h in index_of])
    return {index_of[(k, h)]: pk for pk, k, h in rows.values_list("pk", "kind", "value_hash") if (k, h) in index_of}


def _indicators_insert(new: dict[int, list], ids: dict[int, int], gathered: Gathered) -> None:
    """PostgreSQL: the new indicators written with the ids `_new_ids` took; their value, secret and
    details as the database holds them (`Found.stored`, encrypted and dumped by the gathering:
    a notice's reading process)."""
    value, secret, details = (INDICATOR_COLUMNS.index(name) for name in ("value", "secret", "details"))
    rows = []
    for index, row in new.items():
        row = [ids[index], *row]
        row[1 + value], row[1 + secret], row[1 + details] = gathered.values[index][6]
        rows.append(row)
    insert_rows(Indicator, ("id", *INDICATOR_COLUMNS), rows, ready=("secret", "details"))
