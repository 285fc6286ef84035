"""Reporters' and supporters' contacts encrypted at rest, with keyed hashes to find them again.

The columns first become plain text, then the stored rows are encrypted in place (with the keyed
hashes written beside them), then the fields become encrypted ones: no plain value is left behind.
"""

from django.core.validators import validate_email
from django.db import migrations, models

import lib.crypto
import lib.identifiers

CONTACT_MODELS = ("reportercontact", "reportsupporter")
HASHED = {
    "phone_hash": ("phone", lib.identifiers.normalize_phone),
    "email_hash": ("email", lib.identifiers.normalize_email),
}


def _hash(value, normalize):
    normalized = normalize(value) if value else ""
    return lib.crypto.keyed_hash(normalized) if normalized else ""


def encrypt_rows(apps, schema_editor):
    for model_name in CONTACT_MODELS:
        model = apps.get_model("signals", model_name)
        rows = model.objects.values_list("pk", "name", "phone", "email")
        for pk, name, phone, email in rows.iterator(chunk_size=1000):
            model.objects.filter(pk=pk).update(
                name=lib.crypto.encrypt(name) if name else "",
                phone=lib.crypto.encrypt(phone) if phone else "",
                email=lib.crypto.encrypt(email) if email else "",
                phone_hash=_hash(phone, lib.identifiers.normalize_phone),
                email_hash=_hash(email, lib.identifiers.normalize_email),
            )


def decrypt_rows(apps, schema_editor):
    for model_name in CONTACT_MODELS:
        model = apps.get_model("signals", model_name)
        for pk, name, phone, email in model.objects.values_list("pk", "name", "phone", "email").iterator(1000):
            plain = {
                field: lib.crypto.decrypt(value) if value else ""
                for field, value in (("name", name), ("phone", phone), ("email", email))
            }
            model.objects.filter(pk=pk).update(**plain)


def _plain_text(verbose_name):
    return models.TextField(verbose_name, blank=True)


def _fields(model_name, field_class):
    operations = []
    for field, label in (("name", "name"), ("phone", "phone"), ("email", "email")):
        kwargs = {"validators": [validate_email]} if field == "email" and field_class is not models.TextField else {}
        operations.append(
            migrations.AlterField(model_name=model_name, name=field, field=field_class(label, blank=True, **kwargs))
        )
    return operations


def _hash_fields(model_name):
    return [
        migrations.AddField(
            model_name=model_name,
            name=hash_field,
            field=lib.crypto.KeyedHashField(db_index=True, normalize=normalize, source=source),
        )
        for hash_field, (source, normalize) in HASHED.items()
    ]


class Migration(migrations.Migration):
    dependencies = [("signals", "0006_event_indexes")]

    operations = [
        *_fields("reportercontact", models.TextField),
        *_fields("reportsupporter", models.TextField),
        *_hash_fields("reportercontact"),
        *_hash_fields("reportsupporter"),
        migrations.RunPython(encrypt_rows, decrypt_rows, elidable=False),
        *_fields("reportercontact", lib.crypto.EncryptedTextField),
        *_fields("reportsupporter", lib.crypto.EncryptedTextField),
    ]
