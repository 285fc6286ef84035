"""The audit log chained by a keyed MAC (accounts/audit.py) instead of a plain SHA-256.

The rows already stored are sealed once, in their order, under the newest AUDIT_KEY: from here on
nobody without the key can edit, insert, or recompute the chain. (What happened to them before
this migration, an unkeyed chain could not have proved either.)
"""

from django.conf import settings
from django.db import migrations, models


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
        migrations.RenameField(model_name="auditevent", old_name="previous_hash", new_name="previous_mac"),
        migrations.RenameField(model_name="auditevent", old_name="hash", new_name="mac"),
        migrations.AlterField(model_name="auditevent", name="mac", field=models.CharField(max_length=64)),
        migrations.AddField(model_name="auditevent", name="seq", field=models.PositiveBigIntegerField(null=True)),
        migrations.AddField(
            model_name="auditevent", name="key_id", field=models.CharField(default="", max_length=8), preserve_default=False
        ),
        migrations.RunPython(seal_existing_rows, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="auditevent", name="seq", field=models.PositiveBigIntegerField(unique=True)
        ),
        migrations.AlterModelOptions(
            name="auditevent",
            options={"ordering": ["seq"], "verbose_name": "audit event", "verbose_name_plural": "audit events"},
        ),
    ]
