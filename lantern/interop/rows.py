"""Plain multi-row INSERTs for the case-bundle import (ADR 0011).

``bulk_create`` prepares every value of every row through the model's fields, which cost more than the
database's own work for a large bundle. Here each column's conversion is chosen once, from its field, and
the rows go to the driver as ``INSERT … VALUES (…), (…)``. Fields the import does not set take their
defaults as ``Model()`` gives them, so a new field on an imported model needs a default, as it would for
``bulk_create``. Only new rows are written this way; changed rows still go through the ORM.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models
from django.utils import timezone

MAX_ROWS = 1000
MAX_VALUES = 30_000  # SQLite allows 32,766 variables in one statement


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How a Python value of this field becomes what the driver takes (None: as it is)."""
    convert = _plain_converter(field)
    return None if convert is None else _remembering(convert)


def _remembering(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The same conversion, done once for a value repeated row after row (an import's ``recorded_at``)."""
    last: list[Any] = [object(), None]

    def converted(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, convert(value)
        return last[1]

    return converted


def _plain_converter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    kind = field.get_internal_type()
    ops = connection.ops
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    if kind == "TimeField":
        return ops.adapt_timefield_value
    if kind == "JSONField" and isinstance(field, models.JSONField):
        # What JSONField.get_db_prep_save gives a plain value, without its layers for expressions.
        encoder = field.encoder
        return lambda value: None if value is None else ops.adapt_json_value(value, encoder)
    if kind in {"DecimalField", "UUIDField", "DurationField"}:
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def _default(model: type[models.Model], field: models.Field[Any, Any]) -> Any:
    """The value ``Model()`` and ``save()`` would give a field the import does not set."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now() if field.get_internal_type() == "DateTimeField" else timezone.localdate()
    if not field.has_default() and not field.null and not field.empty_strings_allowed:
        raise ValueError(f"{model.__name__}.{field.attname} has no default: the import must set it")
    return field.get_default()


@contextmanager
def _cursor() -> Iterator[Any]:
    """The driver's own cursor on Django's connection (inside the import's transaction)."""
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    try:
        yield cursor
    finally:
        cursor.close()


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """A concrete field by its name or attribute name (``child`` or ``child_id``), or ``pk``."""
    for f in model._meta.concrete_fields:
        if name in {f.name, f.attname} or (name == "pk" and f.primary_key):
            return f
    raise ValueError(f"{model.__name__} has no column {name}")


def _column(model: type[models.Model], name: str) -> str:
    return str(_field(model, name).column)


def _placeholder() -> str:
    return "?" if connection.vendor == "sqlite" else "%s"


class RowWriter:
    """Insert rows of one model, given as tuples in the order of ``columns`` (attribute names, such as
    ``child_id``). ``returning`` names columns whose values come back for each row inserted (the
    primary key, with a column that says which row it is)."""

    def __init__(
        self, model: type[models.Model], columns: Sequence[str], *, returning: Sequence[str] = ()
    ) -> None:
        given_fields = [_field(model, c) for c in columns]
        columns = [str(f.attname) for f in given_fields]
        given = set(columns)
        defaulted = [f for f in model._meta.concrete_fields if f.attname not in given and not f.primary_key]
        self.model = model
        self.columns = [*columns, *(f.attname for f in defaulted)]
        self.defaults = tuple(self._convert(f, _default(model, f)) for f in defaulted)
        self.converters = [(i, c) for i, f in enumerate(given_fields) if (c := _converter(f))]
        self.returning = list(returning)
        self.width = len(self.columns)
        self.per_statement = max(1, min(MAX_ROWS, MAX_VALUES // self.width))
        quote = connection.ops.quote_name
        # Table and column names are the model's own, quoted; every value is a parameter.
        names = [_column(model, c) for c in self.columns]
        self.head = (
            f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(n) for n in names)}) VALUES "  # noqa: S608  # nosec B608
        )
        returned = [quote(_column(model, c)) for c in self.returning]
        self.tail = f" RETURNING {', '.join(returned)}" if returned else ""
        mark = _placeholder()
        self.row_marks = "(" + ", ".join([mark] * self.width) + ")"

    @staticmethod
    def _convert(field: models.Field[Any, Any], value: Any) -> Any:
        converter = _converter(field)
        return converter(value) if converter and value is not None else value

    def insert(self, rows: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
        """Insert the rows; the ``returning`` values of each (in no particular order)."""
        returned: list[tuple[Any, ...]] = []
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == self.per_statement:
                returned += self._execute(batch)
                batch = []
        if batch:
            returned += self._execute(batch)
        return returned

    def _execute(self, batch: list[Sequence[Any]]) -> list[tuple[Any, ...]]:
        values: list[Any] = []
        defaults = self.defaults
        converters = self.converters
        for row in batch:
            if converters:
                row = list(row)
                for index, convert in converters:
                    if row[index] is not None:
                        row[index] = convert(row[index])
            values.extend(row)
            values.extend(defaults)
        sql = self.head + ", ".join([self.row_marks] * len(batch)) + self.tail
        with _cursor() as cursor:
            cursor.execute(sql, values)
            return [tuple(r) for r in cursor.fetchall()] if self.returning else []


def existing(
    model: type[models.Model],
    key: str,
    values: Iterable[Any],
    *,
    where: dict[str, Any] | None = None,
    columns: Sequence[str] = ("pk",),
) -> list[tuple[Any, ...]]:
    """(key, *columns) of the rows whose ``key`` is one of ``values`` (and match ``where``), read
    with plain SELECTs of up to 2,000 values each."""
    opts = model._meta
    quote = connection.ops.quote_name
    names = [_column(model, c) for c in columns]
    key_column = _column(model, key)
    where = where or {}
    # A flag is written as the column itself (``AND "is_current"``), as in a partial index's condition:
    # SQLite uses such an index only when the query says the same, not ``= ?``.
    conditions = "".join(
        f" AND {'' if v else 'NOT '}{quote(_column(model, k))}"
        if isinstance(v, bool)
        else f" AND {quote(_column(model, k))} = {_placeholder()}"
        for k, v in where.items()
    )
    parameters = [v for v in where.values() if not isinstance(v, bool)]
    mark = _placeholder()
    values = list(values)
    found: list[tuple[Any, ...]] = []
    with _cursor() as cursor:
        for start in range(0, len(values), 2000):
            chunk = values[start : start + 2000]
            # Names from the model, quoted; every value is a parameter.
            sql = (
                f"SELECT {quote(key_column)}, {', '.join(quote(n) for n in names)} "  # noqa: S608  # nosec B608
                f"FROM {quote(opts.db_table)} WHERE {quote(key_column)} IN ({', '.join([mark] * len(chunk))})"
                f"{conditions}"
            )
            cursor.execute(sql, [*chunk, *parameters])
            found += [tuple(r) for r in cursor.fetchall()]
    return found
