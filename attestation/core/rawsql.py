"""Hand-written SQL for the exam-day hot paths that still hands back model instances.

Why: the ORM compiles every query afresh, about 0.5 ms each on a small server. A draw, with
auth, access check, lock, offer, insert and audit, spent ~4 ms of its 5.6 ms in the compiler,
and at 1,000 draws in the same second that is the whole budget (`bench/run.py`). Columns
come from the models' `_meta`, values are always parameters, and the backend's converters
turn them into Python values exactly as the ORM would (SQLite keeps datetimes as text)."""

from contextlib import contextmanager

from django.db import DatabaseError, connection
from django.db.models import Model
from django.db.models.sql import Query


@contextmanager
def planned_cursor():
    """A cursor for the statements every exam-day request runs. On PostgreSQL they are bound
    on the server, so each is parsed and planned once per connection and kept (settings.py:
    prepared at first use, one generic plan): in a burst of 1,000 draws, planning was a third
    of PostgreSQL's CPU. Django's own cursors bind on the client and are never prepared.
    Same wrapper as Django's cursor: errors, query logging and execute wrappers apply."""
    with connection.cursor() as cursor:  # Django's health check and connection first
        if connection.vendor != "postgresql":
            yield cursor
            return
        from django.db.backends.postgresql.base import ServerBindingCursor

        with type(cursor)(ServerBindingCursor(connection.connection), connection) as planned:
            yield planned


def columns(model: type[Model], alias: str) -> str:
    """`alias."col", …` for every concrete field of `model`, in `_meta` order."""
    return ", ".join(f'{alias}."{f.column}"' for f in model._meta.concrete_fields)


def table(model: type[Model]) -> str:
    return f'"{model._meta.db_table}"'


def fetch_instances(sql: str, params, models: tuple[type[Model], ...]) -> list[tuple]:
    """Run `sql`, whose select list is `columns(m, …)` for each of `models` in order, and
    return one tuple of instances per row, as select_related would build them."""
    compiler, converters = _converters(models)
    with planned_cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if converters:
        rows = compiler.apply_converters(rows, converters)
    result = []
    for row in rows:
        row, start, instances = list(row), 0, []
        for model in models:
            names = [f.attname for f in model._meta.concrete_fields]
            instances.append(model.from_db("default", names, row[start : start + len(names)]))
            start += len(names)
        result.append(tuple(instances))
    return result


def _converters(models: tuple[type[Model], ...]):
    """The backend's converters for these models' columns, built once per connection."""
    cache = connection.__dict__.setdefault("_rawsql_converters", {})
    if models not in cache:
        fields = [f for model in models for f in model._meta.concrete_fields]
        compiler = connection.ops.compiler("SQLCompiler")(Query(models[0]), connection, "default")
        cache[models] = (
            compiler,
            compiler.get_converters([f.get_col(f.model._meta.db_table) for f in fields]),
        )
    return cache[models]


def insert(instance: Model) -> Model:
    """INSERT one new instance (every concrete field but the auto primary key) and set its
    primary key. Like `save()` on a new object, minus the compiler and signals (we have none)."""
    meta = instance._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    names = ", ".join(f'"{f.column}"' for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    values = [f.get_db_prep_save(f.pre_save(instance, add=True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table(type(instance))} ({names}) VALUES ({marks}) "  # noqa: S608
            f'RETURNING "{meta.pk.column}"',
            values,
        )
        instance.pk = cursor.fetchone()[0]
    instance._state.adding = False
    return instance


def update(instance: Model, names: list[str]) -> None:
    """UPDATE these fields of a saved instance, like `save(update_fields=names)`."""
    fields = [instance._meta.get_field(name) for name in names]
    sets = ", ".join(f'"{f.column}" = %s' for f in fields)
    values = [f.get_db_prep_save(f.pre_save(instance, add=False), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table(type(instance))} SET {sets} "  # noqa: S608
            f'WHERE "{instance._meta.pk.column}" = %s',
            [*values, instance.pk],
        )
        if cursor.rowcount != 1:
            raise DatabaseError(f"{instance._meta.label} {instance.pk} was not updated")


BIGINT_MAX = 2**63 - 1


def row_id(value) -> int | None:
    """A primary key from a URL, or None where no row can have it: not a number, or past the
    database's 64-bit integers (which the ORM reads as "no such row" and a driver refuses)."""
    try:
        value = int(value)
    except (ValueError, TypeError):
        return None
    return value if 0 < value <= BIGINT_MAX else None


def datetime_param(value):
    """A datetime as this backend stores it (SQLite: text in UTC)."""
    return connection.ops.adapt_datetimefield_value(value)
