"""Moving encrypted values and keyed hashes to the newest key (`manage.py rotate_field_key`).

Each stored value names the key that wrote it (lib.crypto), so the rows still under an older key
are found by a query, without decrypting anything. They are rewritten in batches, one transaction
each, in primary-key order: a run that stops (killed, a deploy) loses nothing, and the next run
starts from what is left. Rows written meanwhile by the application are already under the newest
key and are not touched. A value found in plain text (written by a process older than the
encryption) is encrypted on the way.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db import connections, router, transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from lib.crypto import (
    SEPARATOR,
    EncryptedTextField,
    KeyedHashField,
    current_encryption_key_id,
    current_hash_key_id,
    readable,
)


@dataclass
class ProtectedModel:
    model: type
    encrypted: list[EncryptedTextField]
    hashed: list[KeyedHashField]

    @property
    def label(self) -> str:
        return self.model._meta.label


@dataclass
class RotationResult:
    rewritten: int = 0
    # The key ids that rows still need and that are not configured: such rows are left as they are,
    # as are rows whose value does not decrypt under its key (altered): `unreadable` counts both.
    missing_keys: set[str] = field(default_factory=set)
    unreadable: int = 0


def protected_models() -> list[ProtectedModel]:
    found = []
    for model in apps.get_models():
        fields = model._meta.concrete_fields
        encrypted = [f for f in fields if isinstance(f, EncryptedTextField)]
        hashed = [f for f in fields if isinstance(f, KeyedHashField)]
        if encrypted or hashed:
            found.append(ProtectedModel(model, encrypted, hashed))
    return found


def stale_rows(protected: ProtectedModel):
    """The rows holding a value or a hash written under an older key than the newest."""
    encryption_prefix = current_encryption_key_id() + SEPARATOR
    hash_prefix = current_hash_key_id() + SEPARATOR
    # Cast: the stored text as it is, not decrypted by the field.
    raw = {f"raw_{f.attname}": Cast(f.attname, TextField()) for f in protected.encrypted}
    stale = Q()
    for name in raw:
        stale |= ~Q(**{name: ""}) & ~Q(**{f"{name}__startswith": encryption_prefix})
    for hashed in protected.hashed:
        stale |= ~Q(**{hashed.attname: ""}) & ~Q(**{f"{hashed.attname}__startswith": hash_prefix})
    return protected.model._base_manager.annotate(**raw).filter(stale)


def rotate_model(protected: ProtectedModel, *, batch_size: int, on_batch=None) -> RotationResult:
    result = RotationResult()
    after_pk = None
    while True:
        with transaction.atomic():
            rows = stale_rows(protected).order_by("pk")
            if after_pk is not None:
                rows = rows.filter(pk__gt=after_pk)
            batch = list(rows.select_for_update()[:batch_size])
            readable_rows = [row for row in batch if _readable(protected, row, result)]
            _rewrite(protected, readable_rows)
            result.rewritten += len(readable_rows)
        if not batch:
            return result
        after_pk = batch[-1].pk
        if on_batch:
            on_batch(result)


def _readable(protected: ProtectedModel, row, result: RotationResult) -> bool:
    unreadable = [value for f in protected.encrypted if not readable(value := getattr(row, f.attname))]
    if unreadable:
        result.unreadable += 1
        result.missing_keys.update(value.key_id for value in unreadable if not value.damaged)
    return not unreadable


def _rewrite(protected: ProtectedModel, rows: list) -> None:
    """One UPDATE statement for the batch, run once per row (executemany: the database driver
    pipelines them; bulk_update's CASE expressions cost more Python than the work). The fields
    prepare their values as the ORM does: encrypted under the newest key, hashed anew under the
    newest hash key."""
    if not rows:
        return
    model = protected.model
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = [*protected.encrypted, *protected.hashed]
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s"  # noqa: S608
    params = []
    for row in rows:
        values = [getattr(row, f.attname) for f in protected.encrypted]
        values += [hashed.hash_of(getattr(row, hashed.source)) for hashed in protected.hashed]
        params.append([f.get_db_prep_save(v, connection) for f, v in zip(fields, values, strict=True)] + [row.pk])
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
