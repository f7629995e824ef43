"""Inserting many new rows with PostgreSQL's COPY (decision 0031).

`bulk_create` compiles every value of every row through the field's preparation and sends the
rows as parameter arrays, each dumped in Python: for an import of 100,000 results that was the
largest share of the importer's CPU. COPY streams the rows instead (psycopg's C formatting),
and the ids are taken from the table's sequence beforehand, so callers get them as with
`bulk_create`. Like `bulk_create`, no signals are sent and `save()` is not called.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import connections, models, router
from django.utils import timezone


def copy_insert(model: type[models.Model], objs: Iterable[models.Model]) -> list[models.Model]:
    """Insert new instances of `model` and set their ids; `bulk_create` on other databases
    (SQLite in `make run`). Values are taken as set on the instances: fill derived columns
    first, as the model's `save()` would."""
    objs = list(objs)
    using = router.db_for_write(model)
    connection = connections[using]
    if not objs or connection.vendor != "postgresql":
        return models.QuerySet(model, using=using).bulk_create(objs)
    meta = model._meta
    fields = meta.concrete_fields
    values = _value_getters(fields, connection)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(objs)],
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
        sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
        with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
            for obj in objs:
                copy.write_row([value(obj) for value in values])
    for obj in objs:
        obj._state.adding, obj._state.db = False, using
    return objs


def _value_getters(fields, connection) -> list[Callable[[models.Model], Any]]:
    """How each column's value is read: as set on the instance, except JSON (adapted as Django
    adapts it), and the `auto_now` timestamps, set now as `save()` sets them."""
    now = timezone.now()

    def getter(field: models.Field) -> Callable[[models.Model], Any]:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return lambda obj: setattr(obj, field.attname, now) or now
        if isinstance(field, models.JSONField):
            return lambda obj: field.get_db_prep_save(getattr(obj, field.attname), connection)
        return lambda obj: getattr(obj, field.attname)

    return [getter(field) for field in fields]
