"""Crash safety and recovery (ADR 17): kill -9 during `lantern import`, backup, restore and the drill."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from benchmarks.crash import crash_drill, fhir_crash_drill
from lantern.core.backup import (
    BackupError,
    fingerprints,
    sqlite_backup,
    sqlite_drill,
    sqlite_integrity,
    sqlite_restore,
)
from lantern.core.models import AccessLogEntry
from lantern.people.models import Person


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bundle") / "bundle.json"
    call_command("generate", "--children", "20", "--seed", "3", "--out", str(path), "--no-progress",
                 stdout=open("/dev/null", "w"))  # noqa: SIM115  # fmt: skip
    return path


def _all_or_nothing_every_time(report) -> None:
    assert report.rows_written > 100
    # Rounds go on until three kills landed in a running process (at most six rounds).
    assert report.killed >= 1
    assert len(report.kills) >= 3
    for kill in report.kills:
        assert kill.integrity == "ok"
        assert kill.state in {"nothing", "all"}
        assert kill.rerun_exact
    assert report.passed


def test_an_import_killed_at_random_moments_leaves_all_or_nothing_and_reruns_exactly_once(bundle, tmp_path):
    """Three kills here; `make bench BENCH_ARGS="--suite crash"` kills 25 times (docs/security.md)."""
    _all_or_nothing_every_time(
        crash_drill(bundle=bundle, workdir=tmp_path, kills=3, seed=7, say=lambda _: None)
    )


def test_an_import_checked_apart_killed_at_random_moments_leaves_all_or_nothing(
    bundle, tmp_path, monkeypatch
):
    """The same with the bundle checked in a second process while it is written (ADR 21): the writer is
    killed, the check it started is left to end on its own, and nothing is committed half-done."""
    monkeypatch.setenv("LANTERN_IMPORT_CHECK_APART_BYTES", "0")
    _all_or_nothing_every_time(
        crash_drill(bundle=bundle, workdir=tmp_path, kills=3, seed=11, say=lambda _: None)
    )


def test_a_fhir_ingest_killed_at_random_moments_leaves_all_or_nothing_and_reruns_exactly_once(
    bundle, tmp_path
):
    """A FHIR batch (patients matched to the case bundle's children, appointments, attendances) killed
    three times; the bench drill kills it 20 times."""
    report = fhir_crash_drill(
        bundle=bundle, workdir=tmp_path, kills=3, seed=7, resources=60, say=lambda _: None
    )
    _all_or_nothing_every_time(report)


def _database(path: Path, rows: int) -> Path:
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE child (id INTEGER PRIMARY KEY, name TEXT, born TEXT)")
        db.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, child_id INTEGER, body BLOB)")
        db.executemany(
            "INSERT INTO child (name, born) VALUES (?, ?)",
            [(f"Child {n}", "2020-01-01") for n in range(rows)],
        )
        db.executemany(
            "INSERT INTO note (child_id, body) VALUES (?, ?)",
            [(n, bytes([n % 256]) * 50) for n in range(rows)],
        )
        db.execute("CREATE TRIGGER note_no_update BEFORE UPDATE ON note "
                   "BEGIN SELECT RAISE(ABORT, 'append-only'); END")  # fmt: skip
        db.commit()
    return path


def _prints(path: Path) -> dict:
    with closing(sqlite3.connect(path)) as db:
        return fingerprints(db, "sqlite")


class TestSqliteBackupAndRestore:
    def test_a_backup_restores_every_table_row_for_row(self, tmp_path):
        source = _database(tmp_path / "live.sqlite3", 5000)
        seen = []
        sqlite_backup(
            database=source, to=tmp_path / "backup.sqlite3", progress=lambda d, t: seen.append((d, t))
        )
        assert seen[-1][0] == seen[-1][1] > 0  # progress reached every page
        target = _database(tmp_path / "other.sqlite3", 10)
        sqlite_restore(backup=tmp_path / "backup.sqlite3", database=target)
        assert _prints(target) == _prints(source)
        assert _prints(target)["child"].rows == 5000
        # The triggers came back too.
        with (
            closing(sqlite3.connect(target)) as db,
            pytest.raises(sqlite3.IntegrityError, match="append-only"),
        ):
            db.execute("UPDATE note SET body = NULL")

    def test_a_backup_while_another_connection_writes_is_consistent(self, tmp_path):
        source = _database(tmp_path / "live.sqlite3", 2000)
        with closing(sqlite3.connect(source)) as writer:
            writer.execute("BEGIN")
            writer.execute("INSERT INTO child (name, born) VALUES ('Not yet committed', '2021-01-01')")
            sqlite_backup(database=source, to=tmp_path / "backup.sqlite3")
            writer.rollback()
        assert _prints(tmp_path / "backup.sqlite3") == _prints(source)

    def test_an_existing_backup_file_is_not_overwritten(self, tmp_path):
        source = _database(tmp_path / "live.sqlite3", 10)
        (tmp_path / "backup.sqlite3").write_text("keep me")
        with pytest.raises(BackupError, match="already exists"):
            sqlite_backup(database=source, to=tmp_path / "backup.sqlite3")
        assert (tmp_path / "backup.sqlite3").read_text() == "keep me"

    @pytest.mark.parametrize("damage", ["not a database", "truncated"])
    def test_a_damaged_backup_is_refused_and_nothing_changes(self, tmp_path, damage):
        target = _database(tmp_path / "live.sqlite3", 100)
        before = _prints(target)
        bad = tmp_path / "bad.sqlite3"
        if damage == "truncated":
            sqlite_backup(database=_database(tmp_path / "other.sqlite3", 5000), to=bad)
            bad.write_bytes(bad.read_bytes()[: 8192 + 100])
        else:
            bad.write_text("this is not SQLite " * 100)
        with pytest.raises(BackupError, match="nothing restored"):
            sqlite_restore(backup=bad, database=target)
        assert _prints(target) == before
        assert sqlite_integrity(target) == "ok"

    def test_the_drill_compares_every_table(self, tmp_path):
        rows = sqlite_drill(database=_database(tmp_path / "live.sqlite3", 300), workdir=tmp_path)
        assert {r.table: r.source.rows for r in rows} == {"child": 300, "note": 300}
        assert all(r.matches for r in rows)

    def test_a_checksum_sees_one_changed_value(self, tmp_path):
        source = _database(tmp_path / "live.sqlite3", 300)
        before = _prints(source)
        with closing(sqlite3.connect(source)) as db:
            db.execute("UPDATE child SET name = 'Child 99 ' WHERE id = 100")
            db.commit()
        after = _prints(source)
        assert after["child"].rows == before["child"].rows
        assert after["child"].checksum != before["child"].checksum
        assert after["note"] == before["note"]


@pytest.mark.django_db(transaction=True)
def test_the_commands_on_the_configured_database(tmp_path, area, capsys):
    """`lantern backup`, `lantern restore --drill` (and for SQLite `lantern restore FILE`) on the test
    database: SQLite's backup API here, pg_dump and pg_restore on PostgreSQL."""
    call_command("backup", str(tmp_path / "lantern.backup"), "--no-progress")
    assert (tmp_path / "lantern.backup").stat().st_size > 0
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(tmp_path / "lantern.backup"), "--no-progress")
    call_command("restore", "--drill", "--no-progress")
    out = capsys.readouterr().out
    assert "restore drill passed" in out
    assert "core_accesslogentry" in out
    with pytest.raises(CommandError, match="either a backup FILE"):
        call_command("restore", "--no-progress")
    call_command("restore", str(tmp_path / "lantern.backup"), "--yes", "--no-progress")
    assert Person.objects.filter(pk=area.child.pk).exists()
    assert AccessLogEntry.objects.count() == 0
