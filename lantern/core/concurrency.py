"""Optimistic concurrency (ADR 14): an edit names the ``version`` of the record it started from and is
saved by one ``UPDATE … SET …, version = version + 1 WHERE id = … AND version = <that version>``. Of two
people saving the same record at once exactly one UPDATE matches (PostgreSQL re-checks the WHERE after
the first commits; SQLite serialises writers); the other matches no row: ``EditConflict``, nothing saved.
No row lock, so it works the same on SQLite, which ignores ``select_for_update``."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.db.models import F

V = TypeVar("V", bound=models.Model)


class EditConflict(Exception):
    """Someone else saved a change to the record after the editor opened it; this change is not saved."""

    def __init__(self, record: models.Model) -> None:
        super().__init__(f"{record._meta.verbose_name} {record.pk} changed since it was opened")
        self.record = record


def versioned_update(record: V, *, version: int, clean: bool = True, **values: Any) -> V:
    """Save ``values`` on ``record`` if it is still at ``version`` (one statement), else EditConflict."""
    for name, value in values.items():
        setattr(record, name, value)
    if clean:
        record.full_clean()
    updated = (
        type(record)
        ._default_manager.filter(pk=record.pk, version=version)
        .update(**values, version=F("version") + 1)
    )
    if updated != 1:
        raise EditConflict(record)
    record.version = version + 1  # type: ignore[attr-defined]
    return record
