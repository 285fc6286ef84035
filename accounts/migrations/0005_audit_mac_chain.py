"""The audit log chained by a keyed MAC (accounts/audit.py) instead of a plain SHA-256.

The rows already stored are sealed once, in their order, under the newest AUDIT_KEY: from here on
nobody without the key can edit, insert, or recompute the chain. (What happened to them before
this migration, an unkeyed chain could not have proved either.) The old chain is checked first,
and a break in it is printed, so that it is not sealed in unseen.
"""

import hashlib
import json
from datetime import UTC

from django.conf import settings
from django.db import migrations, models


def _old_hash(event, previous_hash):
    """The unkeyed SHA-256 of a row, as accounts/audit.py computed it before this migration."""
    content = {
        "previous_hash": previous_hash,
        "at": event.at.astimezone(UTC).isoformat(),
        "action": event.action,
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "target": event.target,
        "details": event.details,
        "address": event.address,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_the_old_chain(apps, schema_editor):
    previous = "0" * 64
    for event in apps.get_model("accounts", "AuditEvent").objects.order_by("id").iterator(chunk_size=2000):
        if event.previous_hash != previous or event.hash != _old_hash(event, previous):
            print(f"\n  WARNING: the audit log's old chain is broken at event {event.id}; it is sealed as it is.")
            return
        previous = event.hash


def unseal(apps, schema_editor):
    """Back to the unkeyed chain: each row's SHA-256 again, in the order of the chain."""
    event_model = apps.get_model("accounts", "AuditEvent")
    previous = "0" * 64
    for event in event_model.objects.order_by("seq").iterator(chunk_size=2000):
        digest = _old_hash(event, previous)
        event_model.objects.filter(pk=event.pk).update(previous_mac=previous, mac=digest)
        previous = digest


def seal_existing_rows(apps, schema_editor):
    from accounts.audit import GENESIS_MAC, compute_mac, event_content
    from lib.crypto import key_id

    newest = settings.AUDIT_KEYS[0]
    event_model = apps.get_model("accounts", "AuditEvent")
    previous_mac = GENESIS_MAC
    for seq, event in enumerate(event_model.objects.order_by("id").iterator(chunk_size=2000), start=1):
        event.seq, event.previous_mac, event.key_id = seq, previous_mac, key_id(newest)
        event.mac = compute_mac(newest.encode(), event_content(event))
        event_model.objects.filter(pk=event.pk).update(
            seq=event.seq, previous_mac=event.previous_mac, key_id=event.key_id, mac=event.mac
        )
        previous_mac = event.mac


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_notification_once")]

    operations = [
        migrations.RunPython(check_the_old_chain, migrations.RunPython.noop, elidable=False),
        migrations.RenameField(model_name="auditevent", old_name="previous_hash", new_name="previous_mac"),
        migrations.RenameField(model_name="auditevent", old_name="hash", new_name="mac"),
        migrations.AlterField(model_name="auditevent", name="mac", field=models.CharField(max_length=64)),
        migrations.AddField(model_name="auditevent", name="seq", field=models.PositiveBigIntegerField(null=True)),
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(default="", max_length=8),
            preserve_default=False,
        ),
        migrations.RunPython(seal_existing_rows, unseal, elidable=False),
        migrations.AlterField(model_name="auditevent", name="seq", field=models.PositiveBigIntegerField(unique=True)),
        migrations.AlterModelOptions(
            name="auditevent",
            options={"ordering": ["seq"], "verbose_name": "audit event", "verbose_name_plural": "audit events"},
        ),
    ]
