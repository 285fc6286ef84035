"""INSERT of new model instances with the statement built once per process.

`Model.objects.create()` and `bulk_create()` compile their INSERT anew on every call (field list,
quoting, placeholders, the RETURNING clause). On the intake path that compiling cost more CPU
than PostgreSQL's own work on the rows. Here the statement is built once per model, row count
and database; each row's values are still prepared by the fields themselves, as the ORM does
(`pre_save`, then `get_db_prep_save`), so defaults, JSON and time zones come out the same.

`pre_save` and `post_save` are sent as `save()` sends them, when a receiver listens. It is meant
for a hot path's plain rows and refuses what they do not have: inherited or proxy models, `db_default` columns,
fields with their own placeholder, and databases that return no rows from an INSERT (PostgreSQL
and SQLite 3.35+ do).
"""

import functools

from django.db import connections, router
from django.db.models import NOT_PROVIDED, Model, signals


def insert_new(instances: list[Model], *, using: str | None = None) -> None:
    """INSERT unsaved instances of one model in one statement; their primary keys are set, and
    they are marked as saved, as after `create()`."""
    if not instances:
        return
    model = type(instances[0])
    using = using or router.db_for_write(model)
    connection = connections[using]
    sql, fields = _statement(model, len(instances), using)
    if signals.pre_save.has_listeners(model):
        for instance in instances:
            signals.pre_save.send(sender=model, instance=instance, raw=False, using=using, update_fields=None)
    params = [
        field.get_db_prep_save(field.pre_save(instance, True), connection) for instance in instances for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
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
def _statement(model: type[Model], rows: int, using: str) -> tuple[str, tuple]:
    """The INSERT ... RETURNING pk of `rows` rows, and the fields whose values it takes in order."""
    meta, connection = model._meta, connections[using]
    if not connection.features.can_return_rows_from_bulk_insert:
        raise NotImplementedError(f"{connection.vendor} does not return rows from an INSERT")
    if meta.proxy or meta.parents:
        raise NotImplementedError(f"{meta.label} is stored in more than its own table")
    fields = tuple(
        field for field in meta.local_concrete_fields if not field.generated and field is not meta.auto_field
    )
    if any(field.db_default is not NOT_PROVIDED or hasattr(field, "get_placeholder") for field in fields):
        raise NotImplementedError(f"{meta.label} has columns this INSERT does not handle")
    quote = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    returning, _params = connection.ops.return_insert_columns([meta.pk])
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "  # noqa: S608
        f"VALUES {', '.join([row] * rows)} {returning}"
    )
    return sql, fields
