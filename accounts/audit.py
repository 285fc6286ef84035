"""The audit log: append-only, each row carrying the SHA-256 of its content and of the row before.

Editing or removing a row (by raw SQL, bypassing the model's guards) breaks the chain, and
`verify_audit_chain()` / `manage.py verify_audit` names the first row that no longer matches.
Only staff addresses are recorded: nothing here may tie a citizen or a reporter to an address.
"""

import hashlib
import json
from datetime import UTC

from axes.helpers import get_client_ip_address
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import AuditEvent

GENESIS_HASH = "0" * 64
# Any constant shared by every process: PostgreSQL serialises appends on this advisory lock.
ADVISORY_LOCK_KEY = 0x7A_7274_6970  # "tartip"


def canonical_details(details: dict | None) -> dict:
    """Details as they come back from the JSON column, so the hash is the same before and after storage."""
    return json.loads(json.dumps(details or {}, cls=DjangoJSONEncoder))


def event_hash(*, previous_hash, at, action, actor_id, actor_label, target, details, address) -> str:
    content = {
        "previous_hash": previous_hash,
        "at": at.astimezone(UTC).isoformat(),
        "action": action,
        "actor": actor_id,
        "actor_label": actor_label,
        "target": target,
        "details": details,
        "address": address,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def stored_event_hash(event: AuditEvent) -> str:
    return event_hash(
        previous_hash=event.previous_hash,
        at=event.at,
        action=event.action,
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        target=event.target,
        details=event.details,
        address=event.address,
    )


def staff_address(request, actor) -> str | None:
    """The client address, for staff accounts only."""
    if request is None or actor is None or not getattr(actor, "is_staff_role", False):
        return None
    raw = get_client_ip_address(request)
    # Stored as the column normalises it (IPv6 compressed), so the hash matches after reading back.
    return AuditEvent._meta.get_field("address").to_python(raw) if raw else None


def _lock_the_chain() -> None:
    # SQLite needs nothing: the project's IMMEDIATE transactions take the write lock at BEGIN.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])


def audit_record(*, action, actor=None, target="", details=None, request=None) -> AuditEvent:
    """Append one event to the chain. Pass `request` to record the address of a staff actor."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    fields = {
        "action": action,
        "actor_id": actor.pk if actor else None,
        "actor_label": actor.get_username() if actor else "",
        "target": str(target)[:300],
        "details": canonical_details(details),
        "address": staff_address(request, actor),
    }
    with transaction.atomic():
        _lock_the_chain()
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        previous_hash = last or GENESIS_HASH
        at = timezone.now()
        digest = event_hash(previous_hash=previous_hash, at=at, **fields)
        return AuditEvent.objects.create(at=at, previous_hash=previous_hash, hash=digest, **fields)


def verify_audit_chain() -> int | None:
    """The id of the first event whose link or content no longer matches, or None if the chain is intact."""
    previous_hash = GENESIS_HASH
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.previous_hash != previous_hash or event.hash != stored_event_hash(event):
            return event.id
        previous_hash = event.hash
    return None
