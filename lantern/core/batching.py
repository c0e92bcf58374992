"""Queries over long lists of values, a batch at a time: SQLite limits the variables in one statement."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from django.db import models

BATCH = 2000
M = TypeVar("M", bound=models.Model)
T = TypeVar("T")


def chunks(items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    """Lists of ``size`` items (the last may be shorter), taken from ``items`` as they come."""
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def values_in_batches(
    queryset: models.QuerySet[Any], field: str, values: Iterable[Any], columns: Sequence[str]
) -> list[Any]:
    """``queryset.filter(<field>__in=values).values_list(*columns)``, however many values."""
    values = list(values)
    rows: list[Any] = []
    for start in range(0, len(values), BATCH):
        rows.extend(queryset.filter(**{f"{field}__in": values[start : start + BATCH]}).values_list(*columns))
    return rows


def objects_in_batches(queryset: models.QuerySet[M], field: str, values: Iterable[Any]) -> list[M]:
    """``queryset.filter(<field>__in=values)``, however many values."""
    values = list(values)
    found: list[M] = []
    for start in range(0, len(values), BATCH):
        found.extend(queryset.filter(**{f"{field}__in": values[start : start + BATCH]}))
    return found
