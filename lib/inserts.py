"""INSERT of new model instances with the statement built once per process.

`Model.objects.create()` and `bulk_create()` compile their INSERT anew on every call (field list,
quoting, placeholders, the RETURNING clause). On the intake path that compiling cost more CPU
than PostgreSQL's own work on the rows. Here the statement is built once per model, row count
and database; each row's values are still prepared by the fields themselves, as the ORM does
(`pre_save`, then `get_db_prep_save`), so defaults, JSON and time zones come out the same.

`pre_save` and `post_save` are sent as `save()` sends them, when a receiver listens. It is meant
for a hot path's plain rows and refuses what they do not have: a `save()` of the model's own,
inherited or proxy models, `db_default` columns, fields with their own placeholder, and, for an
auto-incremented key, databases that return no rows from an INSERT (PostgreSQL and SQLite 3.35+
do).
"""

import functools
import json
import re
from datetime import datetime
from decimal import Decimal

from django.db import connections, router, transaction
from django.db.models import NOT_PROVIDED, JSONField, Model, signals
from django.db.models.expressions import RawSQL


def insert_new(instances: list[Model], *, using: str | None = None) -> None:
    """INSERT unsaved instances of one model in one statement; they are marked as saved, as after
    `create()`, and an auto-incremented primary key is set from the database."""
    if not instances:
        return
    model = type(instances[0])
    using = using or router.db_for_write(model)
    connection = connections[using]
    sql, fields, returns_pk = _statement(model, len(instances), using)
    if signals.pre_save.has_listeners(model):
        for instance in instances:
            signals.pre_save.send(sender=model, instance=instance, raw=False, using=using, update_fields=None)
    params = [
        field.get_db_prep_save(field.pre_save(instance, True), connection) for instance in instances for field in fields
    ]
    # As save() does: a failed statement inside an atomic block marks it for rollback.
    with transaction.mark_for_rollback_on_error(using), connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall() if returns_pk else [(instance.pk,) for instance in instances]
    for instance, (pk,) in zip(instances, rows, strict=True):
        instance.pk = pk
        instance._state.adding = False
        instance._state.db = using
    if signals.post_save.has_listeners(model):
        for instance in instances:
            signals.post_save.send(
                sender=model, instance=instance, created=True, update_fields=None, raw=False, using=using
            )


@functools.cache
def _statement(model: type[Model], rows: int, using: str) -> tuple[str, tuple, bool]:
    """The INSERT of `rows` rows, the fields whose values it takes in order, and whether it
    returns the rows' keys (an auto-incremented key; any other is the instance's own value)."""
    meta, connection = model._meta, connections[using]
    if model.save is not Model.save or meta.proxy or meta.parents:
        raise NotImplementedError(f"{meta.label} is saved by more than one INSERT into its own table")
    returns_pk = meta.pk is meta.auto_field
    if returns_pk and not connection.features.can_return_rows_from_bulk_insert:
        raise NotImplementedError(f"{connection.vendor} does not return rows from an INSERT")
    fields = tuple(
        field for field in meta.local_concrete_fields if not field.generated and field is not meta.auto_field
    )
    if any(field.db_default is not NOT_PROVIDED or hasattr(field, "get_placeholder") for field in fields):
        raise NotImplementedError(f"{meta.label} has columns this INSERT does not handle")
    quote = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    returning = connection.ops.return_insert_columns([meta.pk])[0] if returns_pk else ""
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "  # noqa: S608
        f"VALUES {', '.join([row] * rows)} {returning}"
    ).rstrip()
    return sql, fields, returns_pk


def insert_rows(
    model: type[Model], columns: tuple[str, ...], rows: list[tuple], *, using: str | None = None, ready=()
) -> None:
    """Many plain rows of one model written fast, no instance made: `columns` are its fields'
    attribute names (`indicator_id` for a foreign key, every column without a default in the
    database) and each row their values as the instance would hold them. PostgreSQL gets them by
    COPY (several times cheaper than a bulk INSERT for a notice's hundred thousand sightings);
    another database by one INSERT run for each row, each value prepared by its field as the ORM
    does. No keys are returned, no signal is sent: for rows nothing reads back at once.

    `ready`: columns whose values are given as the database stores them (an encrypted value, JSON
    as text), prepared beforehand by a thread that had the time; PostgreSQL only."""
    if not rows:
        return
    using = using or router.db_for_write(model)
    connection = connections[using]
    meta = model._meta
    fields = [meta.get_field(name) for name in columns]
    quote = connection.ops.quote_name
    table, names = quote(meta.db_table), ", ".join(quote(field.column) for field in fields)
    with transaction.mark_for_rollback_on_error(using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            prepare = [None if field.attname in ready else _copy_preparer(field, connection) for field in fields]
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(
                        [value if how is None else how(value) for how, value in zip(prepare, row, strict=True)]
                    )
            return
        if ready:
            raise ValueError("values in the database's form are for PostgreSQL's COPY only")
        placeholders = ", ".join(["%s"] * len(fields))
        prepared = [
            [field.get_db_prep_save(value, connection) for field, value in zip(fields, row, strict=True)]
            for row in rows
        ]
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", prepared)  # noqa: S608


def insert_lines(model: type[Model], columns: tuple[str, ...], lines: list[str]) -> None:
    """PostgreSQL: rows given as COPY's text lines (`copy_line` of their values, in `columns`' order),
    made beforehand where there was time (a notice's reading process formats its sightings while
    the writer waits on the database), written by one COPY."""
    if not lines:
        return
    using = router.db_for_write(model)
    connection = connections[using]
    meta, quote = model._meta, connection.ops.quote_name
    names = ", ".join(quote(meta.get_field(name).column) for name in columns)
    with (
        transaction.mark_for_rollback_on_error(using),
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({names}) FROM STDIN") as copy,
    ):
        copy.write("\n".join(lines) + "\n")


_COPY_SPECIAL = re.compile(r"[\\\t\n\r]")
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_line(values) -> str:
    """Values as one line of COPY's text format: NULL as \\N, text with its backslashes, tabs and
    line breaks escaped, times in ISO form, numbers as written."""
    return "\t".join(map(_copy_field, values))


def _copy_field(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES) if _COPY_SPECIAL.search(value) else value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value)


def _copy_preparer(field, connection):
    """How COPY takes a field's value: Django's own fields as they are (psycopg adapts them), JSON
    as text, a field of another package (lib.crypto's encrypted text) prepared by itself."""
    if isinstance(field, JSONField):
        return json.dumps
    if type(field).__module__.startswith("django."):
        return None
    return functools.partial(_prepared, field, connection)


def _prepared(field, connection, value):
    return field.get_db_prep_save(value, connection)


def one_of(model: type[Model], values, array_type: str):
    """The right side of a `field__in` filter on `model` for thousands of values: on PostgreSQL one
    array parameter (`IN (SELECT unnest(%s::<array_type>[]))`), elsewhere the values themselves.

    psycopg parses a statement of thousands of placeholders slower than PostgreSQL runs it (a
    notice's batch spent a tenth of its time there), and PostgreSQL, reckoning an `unnest` a
    handful of rows, probes the column's index where it would scan the table for a long IN list.
    `array_type` is the column's: `text`, `bigint`."""
    values = list(values)
    if not array_type.isidentifier():
        raise ValueError(f"not a type name: {array_type!r}")
    if connections[router.db_for_read(model)].vendor != "postgresql":
        return values
    return RawSQL(f"SELECT unnest(%s::{array_type}[])", [array_literal(values)])  # noqa: S611 - a type name, checked


def array_literal(values) -> str:
    """PostgreSQL's text form of an array of numbers, text, times or NULLs, to be cast by the
    statement (`%s::bigint[]`, `%s::text[]`, `%s::timestamptz[]`). psycopg adapts a list element
    by element in Python, four times slower than this: a notice's batch passes arrays of thousands
    of ids, hashes and times. The elements are of one type, as a column's."""
    values = list(values)
    sample = next((value for value in values if value is not None), None)
    if isinstance(sample, int | Decimal):
        form = str
    elif isinstance(sample, datetime):
        form = datetime.isoformat
    else:
        form = _quoted
    return "{" + ",".join("NULL" if value is None else form(value) for value in values) + "}"


def _quoted(value) -> str:
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
