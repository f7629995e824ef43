"""Inserting many new rows with PostgreSQL's COPY (decision 0031).

`bulk_create` compiles every value of every row through the field's preparation and sends the
rows as parameter arrays, each dumped in Python: for an import of 100,000 results that was the
largest share of the importer's CPU. COPY streams the rows instead (psycopg's C formatting),
and the ids are taken from the table's sequence beforehand, so callers get them as with
`bulk_create`. Like `bulk_create`, no signals are sent and `save()` is not called.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import connections, models, router
from django.utils import timezone


def copy_rows(model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """Insert rows given as {attname: value} and return their new ids, in order; a field a row
    leaves out takes its default, and `auto_now` fields are set now, as `save()` sets them.
    What an import creates in numbers is built as plain dicts: a model instance per row cost
    more CPU than writing it. A key that names no field is refused, as a keyword would be."""
    fields = {field.attname for field in model._meta.concrete_fields}
    if unknown := set().union(*rows) - fields:
        raise ValueError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
    return _copy(model, rows, timezone.now())


def copy_insert(model: type[models.Model], objs: Iterable[models.Model]) -> list[models.Model]:
    """Insert new instances of `model` and set their ids (and `auto_now` fields). Values are
    taken as set on the instances: fill derived columns first, as the model's `save()` would."""
    objs = list(objs)
    now, auto_now = timezone.now(), _auto_now_fields(model)
    for obj in objs:
        for field in auto_now:
            setattr(obj, field.attname, now)
    ids = _copy(model, [vars(obj) for obj in objs], now, objs)
    using = router.db_for_write(model)
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, using
    return objs


def _auto_now_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]


def _copy(model, rows, now, objs=None) -> list[int]:
    """COPY `rows` (or, off PostgreSQL, `bulk_create` the instances `objs` or made of them)."""
    if not rows:
        return []
    using = router.db_for_write(model)
    connection = connections[using]
    meta = model._meta
    if connection.vendor != "postgresql":  # SQLite in `make run`
        objs = objs or [model(**row) for row in rows]  # save()'s pre_save sets auto_now
        return [obj.pk for obj in models.QuerySet(model, using=using).bulk_create(objs)]
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    auto = set(_auto_now_fields(model))
    columns = [(field.attname, now if field in auto else field.get_default()) for field in fields]
    json = [
        (index, field)
        for index, field in enumerate(fields, start=1)
        if isinstance(field, models.JSONField)
    ]
    quote = connection.ops.quote_name
    names = ", ".join(quote(field.column) for field in [meta.pk, *fields])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        sql = f"COPY {quote(meta.db_table)} ({names}) FROM STDIN"
        with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
            for pk, row in zip(ids, rows, strict=True):
                values = [pk, *[row.get(name, default) for name, default in columns]]
                for index, field in json:  # adapted as Django adapts it
                    values[index] = field.get_db_prep_save(values[index], connection)
                copy.write_row(values)
    return ids
