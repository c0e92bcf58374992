"""Append-only tables: database triggers refuse UPDATE and DELETE of their rows (ADR 17).

The access log (and the other records of who saw or shared what) must not be changed by anyone, the
application's own code included. The triggers are created by migrations, on PostgreSQL and SQLite:

- PostgreSQL: a row trigger ``BEFORE UPDATE OR DELETE`` raises. ``TRUNCATE`` fires no row trigger, so
  the test database can still be emptied between tests (Django's flush truncates); in production the
  application's role is given no TRUNCATE privilege on these tables (docs/security.md).
- SQLite: ``BEFORE UPDATE`` raises; ``BEFORE DELETE`` raises unless the SQL function
  ``lantern_audit_erasable()`` answers 1. Lantern registers it on every connection answering 0; only the
  test suite's flush (conftest.py) answers 1, since SQLite empties a table with ``DELETE``. A connection
  without the function (the sqlite3 shell) cannot delete either: the name does not resolve.

SQLite drops a table's triggers with the table, and Django's SQLite schema editor rebuilds a table to
alter most columns: a later migration that alters one of these tables must create the triggers again
(``append_only_forwards``); the tests that UPDATE and DELETE with raw SQL catch a migration that forgets.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.backends.signals import connection_created
from django.db.migrations.state import StateApps

ERASABLE_FUNCTION = "lantern_audit_erasable"


def _sql(vendor: str, table: str) -> tuple[list[str], list[str]]:
    if vendor == "postgresql":
        function = f"{table}_append_only"
        forwards = [
            f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '{table} is append-only: its rows cannot be changed or deleted (%)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$""",
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()",
        ]
        backwards = [
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
            f"DROP FUNCTION IF EXISTS {function}()",
        ]
        return forwards, backwards
    if vendor == "sqlite":
        forwards = [
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} BEGIN "
            f"SELECT RAISE(ABORT, '{table} is append-only: its rows cannot be changed (UPDATE)'); END",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} WHEN {ERASABLE_FUNCTION}() = 0 BEGIN "
            f"SELECT RAISE(ABORT, '{table} is append-only: its rows cannot be deleted (DELETE)'); END",
        ]
        backwards = [f"DROP TRIGGER IF EXISTS {table}_no_update", f"DROP TRIGGER IF EXISTS {table}_no_delete"]
        return forwards, backwards
    raise NotImplementedError(f"append-only triggers are written for PostgreSQL and SQLite, not {vendor}")


def append_only_forwards(*tables: str) -> Any:
    """A ``RunPython`` function creating the triggers on ``tables`` for the migrating database."""

    def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        for table in tables:
            for statement in _sql(schema_editor.connection.vendor, table)[0]:
                schema_editor.execute(statement, params=None)

    return forwards


def append_only_backwards(*tables: str) -> Any:
    def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        for table in tables:
            for statement in _sql(schema_editor.connection.vendor, table)[1]:
                schema_editor.execute(statement, params=None)

    return backwards


def _never_erasable() -> int:
    return 0


def sqlite_function_register(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(ERASABLE_FUNCTION, 0, _never_erasable)


connection_created.connect(sqlite_function_register, dispatch_uid="lantern-append-only")
