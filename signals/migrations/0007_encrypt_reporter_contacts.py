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


def _batches(model, size=1000):
    """The rows by primary key, a batch at a time, each read whole before it is written (SQLite
    does not isolate a query being read from the updates made meanwhile on the same connection)."""
    last = 0
    while batch := list(
        model.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "name", "phone", "email")[:size]
    ):
        yield batch
        last = batch[-1][0]


def _encrypted(value):
    # A value already encrypted (a run stopped half-way and started again) is left as it is.
    if not value or lib.crypto.ENCRYPTED_VALUE.fullmatch(value):
        return value
    return lib.crypto.encrypt(value)


def _plain(value):
    return lib.crypto.decrypt(value) if value and lib.crypto.ENCRYPTED_VALUE.fullmatch(value) else value


def encrypt_rows(apps, schema_editor):
    for model_name in CONTACT_MODELS:
        model = apps.get_model("signals", model_name)
        for batch in _batches(model):
            for pk, name, phone, email in batch:
                plain_phone, plain_email = _plain(phone), _plain(email)
                model.objects.filter(pk=pk).update(
                    name=_encrypted(name),
                    phone=_encrypted(phone),
                    email=_encrypted(email),
                    phone_hash=_hash(plain_phone, lib.identifiers.normalize_phone),
                    email_hash=_hash(plain_email, lib.identifiers.normalize_email),
                )


def decrypt_rows(apps, schema_editor):
    for model_name in CONTACT_MODELS:
        model = apps.get_model("signals", model_name)
        for batch in _batches(model):
            for pk, *values in batch:
                plain = dict(zip(("name", "phone", "email"), (lib.crypto.decrypt(v) if v else "" for v in values)))
                unreadable = [v for v in plain.values() if not lib.crypto.readable(v)]
                if unreadable:
                    # Writing the message over the ciphertext would lose the value for good.
                    raise RuntimeError(f"{model_name} {pk}: {unreadable[0]}; configure that key to go back")
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
