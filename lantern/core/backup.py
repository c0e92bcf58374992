"""Backup, restore and the restore drill (ADR 17), for SQLite and PostgreSQL.

- SQLite: SQLite's online backup API (``sqlite3.Connection.backup``), page by page, while Lantern keeps
  running: the copy is one consistent snapshot. A backup is checked (``PRAGMA integrity_check``) when it
  is written and again before it is restored; a restore writes the backup's pages into the live database
  through the same API, so other connections see the old database or the new one, never a mixture.
- PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean --if-exists --single-transaction``
  (all or nothing), with the server's own tools.

The drill backs up, restores into a scratch database, and compares every table's row count and a checksum
of its rows (SHA-256 over the rows in a fixed order); any difference fails the drill.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

PAGES_PER_STEP = 4096
Progress = Callable[[int, int], None]


class BackupError(Exception):
    """A backup or restore that could not be done; nothing was changed."""


def _no_progress(done: int, total: int) -> None:
    return None


def _connect(database: Path | str, timeout: float = 5.0) -> sqlite3.Connection:
    """A file, or a URI such as an in-memory database shared in this process (the test database)."""
    if isinstance(database, str) and database.startswith("file:"):
        return sqlite3.connect(database, uri=True, timeout=timeout)
    return sqlite3.connect(database, timeout=timeout)


def sqlite_integrity(path: Path | str) -> str:
    """``PRAGMA integrity_check``'s answer: ``ok``, or what is wrong.

    Opened read-write, so that SQLite can first recover a write-ahead log left by a crashed process.
    """
    with closing(_connect(path)) as connection:
        rows = connection.execute("PRAGMA integrity_check").fetchall()
    return "; ".join(str(r[0]) for r in rows)


def _copy(source: sqlite3.Connection, target: sqlite3.Connection, progress: Progress) -> None:
    def step(status: int, remaining: int, total: int) -> None:
        progress(total - remaining, total)

    source.backup(target, pages=PAGES_PER_STEP, progress=step)


def sqlite_backup(*, database: Path | str, to: Path, progress: Progress = _no_progress) -> None:
    if isinstance(database, Path) and not database.exists():
        raise BackupError(f"{database}: no such database")
    if to.exists():
        raise BackupError(f"{to}: already exists; give a new file name")
    partial = to.with_name(to.name + ".partial")
    partial.unlink(missing_ok=True)
    with closing(_connect(database)) as source, closing(sqlite3.connect(partial)) as target:
        _copy(source, target, progress)
    problems = sqlite_integrity(partial)
    if problems != "ok":
        partial.unlink()
        raise BackupError(f"{to}: the copy failed its integrity check: {problems}")
    partial.rename(to)  # only a whole, checked backup has the name asked for


def sqlite_restore(*, backup: Path, database: Path | str, progress: Progress = _no_progress) -> None:
    if not backup.exists():
        raise BackupError(f"{backup}: no such backup")
    try:
        problems = sqlite_integrity(backup)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{backup}: not a SQLite database ({error}); nothing restored") from None
    if problems != "ok":
        raise BackupError(f"{backup}: fails its integrity check ({problems}); nothing restored")
    with closing(sqlite3.connect(backup)) as source, closing(_connect(database, timeout=60)) as target:
        _copy(source, target, progress)


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return path


def pg_backup(*, url: str, to: Path) -> None:
    if to.exists():
        raise BackupError(f"{to}: already exists; give a new file name")
    partial = to.with_name(to.name + ".partial")
    _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={partial}", f"--dbname={url}"])
    partial.rename(to)


def pg_restore(*, backup: Path, url: str) -> None:
    if not backup.exists():
        raise BackupError(f"{backup}: no such backup")
    _run([_pg_tool("pg_restore"), "--list", str(backup)])  # an unreadable file stops here, nothing changed
    _run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
          "--exit-on-error", f"--dbname={url}", str(backup)])  # fmt: skip


def _run(argv: list[str]) -> None:
    # The tools' own paths (shutil.which) and our arguments; no shell.
    finished = subprocess.run(argv, capture_output=True, text=True, check=False)  # noqa: S603
    if finished.returncode != 0:
        raise BackupError(f"{Path(argv[0]).name} failed: {finished.stderr.strip()[-2000:]}")


# -- the drill ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableFingerprint:
    rows: int
    checksum: str


def _tables(connection: Any, vendor: str) -> list[str]:
    if vendor == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    else:
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    return [row[0] for row in connection.execute(sql).fetchall()]


def fingerprints(connection: Any, vendor: str) -> dict[str, TableFingerprint]:
    """Every table's row count and a SHA-256 of its rows, ordered by every column."""
    found = {}
    for table in _tables(connection, vendor):
        # Table names come from the database's own catalogue, not from input.
        cursor = connection.execute(f'SELECT * FROM "{table}" LIMIT 0')  # noqa: S608  # nosec B608
        columns = len(cursor.description)
        order = ", ".join(str(n) for n in range(1, columns + 1))
        digest = hashlib.sha256()
        count = 0
        cursor = connection.execute(f'SELECT * FROM "{table}" ORDER BY {order}')  # noqa: S608  # nosec B608
        while rows := cursor.fetchmany(10_000):
            for row in rows:
                digest.update(repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)).encode())
            count += len(rows)
        found[table] = TableFingerprint(count, digest.hexdigest()[:16])
    return found


@contextmanager
def _sqlite(database: Path | str) -> Iterator[sqlite3.Connection]:
    with closing(_connect(database)) as connection:
        yield connection


@contextmanager
def _pg(url: str) -> Iterator[Any]:
    import psycopg

    with psycopg.connect(url) as connection:
        yield connection


@dataclass(frozen=True)
class DrillRow:
    table: str
    source: TableFingerprint
    restored: TableFingerprint | None

    @property
    def matches(self) -> bool:
        return self.source == self.restored


def _compare(source: dict[str, TableFingerprint], restored: dict[str, TableFingerprint]) -> list[DrillRow]:
    return [DrillRow(t, source[t], restored.get(t)) for t in sorted(source)]


def sqlite_drill(*, database: Path | str, workdir: Path, progress: Progress = _no_progress) -> list[DrillRow]:
    """Back up ``database``, restore the backup into a new database, and compare them table by table."""
    backup, restored = workdir / "drill-backup.sqlite3", workdir / "drill-restored.sqlite3"
    for path in (backup, restored):
        path.unlink(missing_ok=True)
    sqlite_backup(database=database, to=backup, progress=progress)
    with _sqlite(database) as connection:
        source = fingerprints(connection, "sqlite")
    sqlite_restore(backup=backup, database=restored, progress=progress)
    with _sqlite(restored) as connection:
        result = _compare(source, fingerprints(connection, "sqlite"))
    backup.unlink()
    restored.unlink()
    return result


def pg_drill(*, url: str, workdir: Path) -> list[DrillRow]:
    """pg_dump ``url``, pg_restore into a scratch database beside it, compare, drop the scratch database."""
    import psycopg

    parts = urlsplit(url)
    scratch = parts.path.lstrip("/") + "_restore_drill"
    scratch_url = urlunsplit(parts._replace(path=f"/{scratch}"))
    backup = workdir / "drill-backup.pgdump"
    backup.unlink(missing_ok=True)
    pg_backup(url=url, to=backup)
    with _pg(url) as connection:
        source = fingerprints(connection, "postgresql")
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        admin.execute(f'CREATE DATABASE "{scratch}"')
    try:
        pg_restore(backup=backup, url=scratch_url)
        with _pg(scratch_url) as connection:
            result = _compare(source, fingerprints(connection, "postgresql"))
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        backup.unlink(missing_ok=True)
    return result
