"""The audit log: append-only, chained by a keyed MAC, with signed checkpoints kept elsewhere.

Each row carries its place in the chain (`seq`, 1, 2, 3… with no gap), the MAC of the row before
and its own MAC: HMAC-SHA256 under `settings.AUDIT_KEYS` (newest first; each row names its key)
of its content, its place and the MAC before. The key is not in the database, so somebody who can
write to the table can neither edit a row, nor insert one, nor recompute the chain after a cut.

What the chain alone cannot show is rows cut from its end: what is left is still a valid chain.
So the head of the chain (its length and last MAC) is written, signed, as a checkpoint to a place
apart from the table (`settings.STORAGES["audit_checkpoints"]`: files under var/ by default, an
object store in production; and the log), on a schedule (`AUDIT_CHECKPOINT_MINUTES`). Rows
written after the last checkpoint could still be cut unseen: the interval bounds that window,
and `verify_audit` says how many rows are in it.

Only staff addresses are recorded: nothing here may tie a citizen or a reporter to an address.
"""

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import AuditEvent
from lib.crypto import key_id

logger = logging.getLogger("tartip.audit")

GENESIS_MAC = "0" * 64
# Any constant shared by every process: PostgreSQL serialises appends on this advisory lock.
ADVISORY_LOCK_KEY = 0x7A_7274_6970  # "tartip"
CHECKPOINT_STORAGE = "audit_checkpoints"


def _audit_keys() -> dict[str, bytes]:
    return {key_id(key): key.encode() for key in settings.AUDIT_KEYS}


def _newest_key() -> tuple[str, bytes]:
    newest = settings.AUDIT_KEYS[0]
    return key_id(newest), newest.encode()


def compute_mac(secret: bytes, content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(secret, canonical.encode(), hashlib.sha256).hexdigest()


def canonical_details(details: dict | None) -> dict:
    """Details as they come back from the JSON column, so the MAC is the same before and after storage."""
    return json.loads(json.dumps(details or {}, cls=DjangoJSONEncoder))


def event_content(event: AuditEvent) -> dict:
    """Everything a row's MAC covers: its place in the chain, the MAC before, and what it records."""
    return {
        "seq": event.seq,
        "previous_mac": event.previous_mac,
        "key": event.key_id,
        "at": event.at.astimezone(UTC).isoformat(),
        "action": event.action,
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "target": event.target,
        "details": event.details,
        "address": event.address,
    }


def staff_address(request, actor) -> str | None:
    """The client address, for staff accounts only."""
    if request is None or actor is None or not getattr(actor, "is_staff_role", False):
        return None
    raw = get_client_ip_address(request)
    # Stored as the column normalises it (IPv6 compressed), so the MAC matches after reading back.
    return AuditEvent._meta.get_field("address").to_python(raw) if raw else None


def _lock_the_chain() -> None:
    # SQLite needs nothing: the project's IMMEDIATE transactions take the write lock at BEGIN.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])


def chain_head() -> tuple[int, str]:
    """The last row's place and MAC; (0, GENESIS_MAC) for an empty log."""
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "mac").first()
    return last or (0, GENESIS_MAC)


def audit_record(*, action, actor=None, target="", details=None, request=None) -> AuditEvent:
    """Append one event to the chain. Pass `request` to record the address of a staff actor."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    return audit_records([{"action": action, "actor": actor, "target": target, "details": details}], request=request)[0]


def audit_records(entries: list[dict], *, request=None) -> list[AuditEvent]:
    """Append several events (each {action, actor, target, details}) to the chain under one lock:
    a worker folding many writers' records in, instead of a lock per request."""
    if not entries:
        return []
    key, secret = _newest_key()
    with transaction.atomic():
        _lock_the_chain()
        # The place is counted from the last committed row, under the lock: a rolled-back append
        # leaves no gap (an auto-increment id would), so a gap always means a deleted row.
        last_seq, last_mac = chain_head()
        events = []
        for entry in entries:
            actor = entry.get("actor")
            event = AuditEvent(
                seq=last_seq + 1,
                previous_mac=last_mac,
                key_id=key,
                at=timezone.now(),
                action=entry["action"],
                actor_id=actor.pk if actor else None,
                actor_label=actor.get_username() if actor else "",
                target=str(entry.get("target", ""))[:300],
                details=canonical_details(entry.get("details")),
                address=staff_address(request, actor),
            )
            event.mac = compute_mac(secret, event_content(event))
            event.save()
            events.append(event)
            last_seq, last_mac = event.seq, event.mac
        return events


# --- checkpoints ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    mac: str
    at: datetime
    key: str
    signature: str

    def signed_content(self) -> dict:
        return {
            "kind": "audit-checkpoint",
            "seq": self.seq,
            "mac": self.mac,
            "at": self.at.isoformat(),
            "key": self.key,
        }

    def as_json(self) -> str:
        return json.dumps({**self.signed_content(), "signature": self.signature}, sort_keys=True)

    @property
    def file_name(self) -> str:
        # The place first: the latest checkpoint is the greatest name.
        return f"checkpoint-{self.seq:012d}-{self.at:%Y%m%dT%H%M%S%fZ}.json"


def write_checkpoint(now: datetime | None = None, *, after_a_break: bool = False) -> Checkpoint | None:
    """Write the signed head of the chain; nothing when it has not moved since the last checkpoint.

    Nothing either when the chain no longer holds what the last checkpoint signed (rows cut, or cut
    and written again): signing the new head would hide the cut for good. That is logged as an
    error until somebody has looked (`verify_audit`) and signs again `after_a_break`."""
    seq, mac = chain_head()
    latest = latest_checkpoint()
    if latest is None and seq == 0:
        return None
    if latest is not None and (latest.seq, latest.mac) == (seq, mac):
        return None
    if latest is not None and not after_a_break and not _still_holds(latest):
        logger.error(
            "audit log: the chain no longer holds what checkpoint %s signed (rows cut or rewritten): "
            "no new checkpoint is signed; run `manage.py verify_audit`",
            latest.file_name,
        )
        return None
    key, secret = _newest_key()
    at = (now or timezone.now()).astimezone(UTC)
    unsigned = Checkpoint(seq=seq, mac=mac, at=at, key=key, signature="")
    checkpoint = Checkpoint(seq=seq, mac=mac, at=at, key=key, signature=compute_mac(secret, unsigned.signed_content()))
    storages[CHECKPOINT_STORAGE].save(checkpoint.file_name, ContentFile(checkpoint.as_json().encode()))
    logger.info("audit checkpoint %s", checkpoint.as_json())
    return checkpoint


def _still_holds(checkpoint: Checkpoint) -> bool:
    """The row the checkpoint signed is still there, unchanged, and every row after it links on to
    it without a gap (a cheap walk over the rows since the checkpoint; verify checks their MACs)."""
    rows = AuditEvent.objects.filter(seq__gte=checkpoint.seq).order_by("seq").values_list("seq", "previous_mac", "mac")
    expected = None
    for seq, previous_mac, mac in rows.iterator(chunk_size=2000):
        if expected is None:
            if (seq, mac) != (checkpoint.seq, checkpoint.mac):
                return False
        elif (seq, previous_mac) != expected:
            return False
        expected = (seq + 1, mac)
    return expected is not None


def _checkpoint_names() -> list[str]:
    storage = storages[CHECKPOINT_STORAGE]
    try:
        _folders, files = storage.listdir("")
    except FileNotFoundError:
        return []
    return sorted(name for name in files if name.startswith("checkpoint-") and name.endswith(".json"))


def _read_checkpoint(name: str) -> Checkpoint | None:
    """The checkpoint in file `name` when it reads and AUDIT_KEY signed it; None otherwise."""
    try:
        with storages[CHECKPOINT_STORAGE].open(name) as handle:
            data = json.loads(handle.read())
        checkpoint = Checkpoint(
            seq=int(data["seq"]),
            mac=str(data["mac"]),
            at=datetime.fromisoformat(data["at"]),
            key=str(data["key"]),
            signature=str(data["signature"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    secret = _audit_keys().get(checkpoint.key)
    if secret is None or not hmac.compare_digest(
        checkpoint.signature, compute_mac(secret, checkpoint.signed_content())
    ):
        return None
    return checkpoint


def latest_checkpoint(findings: list | None = None) -> Checkpoint | None:
    """The newest checkpoint that reads and is signed by AUDIT_KEY. Newer files that do not are
    reported into `findings` and passed over: a forged or damaged file must not hide a cut."""
    for name in reversed(_checkpoint_names()):
        checkpoint = _read_checkpoint(name)
        if checkpoint is not None:
            return checkpoint
        if findings is not None:
            findings.append(Finding("checkpoint", f"the checkpoint {name} is damaged or not signed by AUDIT_KEY"))
    return None


# --- verification --------------------------------------------------------------------------------


@dataclass
class Finding:
    # "edited", "inserted", "deleted", "duplicated", "broken_link", "unknown_key", "truncated",
    # "rewritten", "checkpoint"
    kind: str
    text: str


@dataclass
class Verification:
    count: int = 0
    head: tuple[int, str] = (0, GENESIS_MAC)
    checkpoint: Checkpoint | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.findings

    @property
    def uncovered(self) -> int:
        """Rows written after the last checkpoint: the ones that could be cut unseen."""
        return self.head[0] - (self.checkpoint.seq if self.checkpoint else 0)


class _ChainWalk:
    """Walks the rows in chain order and says, of each row that does not fit, what was done to it.

    A row whose MAC does not match its content (or whose key is unknown) was edited, or forged
    without the key; the row after it tells which: that one still chains to the row's MAC (edited
    in place) or to the row before it (inserted between the two). Each row taken into the chain
    must come right after the one before (a gap: rows deleted) and name its MAC."""

    def __init__(self, keys: dict[str, bytes], findings: list[Finding]):
        self.keys = keys
        self.findings = findings
        self.previous = (0, GENESIS_MAC)  # (seq, mac) of the last row taken into the chain
        self.previous_flagged = False  # that row was reported already: its successor's link is moot
        self.suspect: AuditEvent | None = None  # a row with a bad MAC, judged by the next row

    def visit(self, event: AuditEvent) -> None:
        self._judge_suspect(next_event=event)
        secret = self.keys.get(event.key_id)
        if secret is None or not hmac.compare_digest(event.mac, compute_mac(secret, event_content(event))):
            self.suspect = event
            return
        self._take(event, flagged=False)

    def finish(self) -> None:
        self._judge_suspect(next_event=None)

    def _take(self, event: AuditEvent, *, flagged: bool) -> None:
        expected = self.previous[0] + 1
        if event.seq > expected:
            missing = f"row {expected}" if event.seq == expected + 1 else f"rows {expected} to {event.seq - 1}"
            self._report("deleted", f"{missing} deleted (the chain goes on at row {event.seq})")
        elif event.seq < expected:
            self._report("duplicated", f"row {event.seq} appears again (id {event.id})")
        elif not flagged and not self.previous_flagged and event.previous_mac != self.previous[1]:
            self._report("broken_link", f"row {event.seq} (id {event.id}) does not name the MAC of row {expected - 1}")
        self.previous = (max(event.seq, self.previous[0]), event.mac)
        self.previous_flagged = flagged

    def _judge_suspect(self, next_event: AuditEvent | None) -> None:
        suspect, self.suspect = self.suspect, None
        if suspect is None:
            return
        skipped = next_event is not None and next_event.previous_mac == self.previous[1]
        if skipped and next_event.previous_mac != suspect.mac:
            self._report(
                "inserted", f"row id {suspect.id} was inserted: it is not part of the chain (its MAC is wrong)"
            )
            return
        if suspect.key_id not in self.keys:
            kind, text = (
                "unknown_key",
                f"row {suspect.seq} (id {suspect.id}) is under key {suspect.key_id}, which is not configured: "
                "forged, or written under a key since removed from AUDIT_KEY",
            )
        elif next_event is None:
            kind, text = (
                "edited",
                f"row {suspect.seq} (id {suspect.id}) does not match its MAC: edited, or added without the key",
            )
        else:
            kind, text = (
                "edited",
                f"row {suspect.seq} (id {suspect.id}) was edited: its MAC no longer matches its content",
            )
        self._take(suspect, flagged=True)  # the rows missing before it are reported first
        self._report(kind, text)

    def _report(self, kind: str, text: str) -> None:
        self.findings.append(Finding(kind, text))


def verify_audit_chain() -> Verification:
    """Walk the whole chain and compare it with the last good checkpoint."""
    result = Verification()
    result.checkpoint = latest_checkpoint(result.findings)
    walk = _ChainWalk(_audit_keys(), result.findings)
    mac_at_checkpoint = None
    for event in AuditEvent.objects.order_by("seq", "id").iterator(chunk_size=2000):
        walk.visit(event)
        result.count += 1
        result.head = (event.seq, event.mac)
        if result.checkpoint and event.seq == result.checkpoint.seq:
            mac_at_checkpoint = event.mac
    walk.finish()
    _compare_with_checkpoint(result, mac_at_checkpoint)
    return result


def _compare_with_checkpoint(result: Verification, mac_at_checkpoint: str | None) -> None:
    checkpoint = result.checkpoint
    if checkpoint is None:
        return
    signed = f"the checkpoint of {checkpoint.at:%Y-%m-%d %H:%M:%S} UTC"
    if result.head[0] < checkpoint.seq:
        result.findings.append(
            Finding(
                "truncated",
                f"rows {result.head[0] + 1} to {checkpoint.seq} were cut from the end: "
                f"{signed} counted {checkpoint.seq} rows",
            )
        )
    elif mac_at_checkpoint != checkpoint.mac:
        result.findings.append(
            Finding(
                "rewritten",
                f"row {checkpoint.seq} is not the one {signed} signed: rows were cut and the log written on again",
            )
        )
