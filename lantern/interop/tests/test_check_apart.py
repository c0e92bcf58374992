"""A large bundle file is checked in a second process while it is written (ADR 21): the same rows as
when it is checked first, and an invalid bundle refused with the same problems, nothing written."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from benchmarks.crash import table_counts
from lantern.chronology.models import Event
from lantern.interop import check_apart
from lantern.interop.bundle_schema import BundleInvalid
from lantern.interop.case_bundle import case_bundle_import
from lantern.people.models import Person

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> dict:
    path = tmp_path_factory.mktemp("apart") / "bundle.json"
    call_command("generate", "--children", "12", "--seed", "5", "--out", str(path), "--no-progress",
                 stdout=open(os.devnull, "w"))  # noqa: SIM115  # fmt: skip
    return json.loads(path.read_text())


def _lantern(database: Path, *argv: str, apart: bool) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "lantern.config.settings",
        "LANTERN_IMPORT_CHECK_APART_BYTES": "0" if apart else str(1 << 40),
    }
    return subprocess.run(
        [sys.executable, "-m", "lantern.cli", *argv], env=env, cwd=ROOT, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    database = tmp_path_factory.mktemp("migrated") / "migrated.sqlite3"
    assert _lantern(database, "migrate", "--no-input", "-v0", apart=False).returncode == 0
    return database


def _database(migrated: Path, tmp_path: Path, name: str) -> Path:
    """A copy of the migrated, empty database."""
    database = tmp_path / f"{name}.sqlite3"
    with sqlite3.connect(migrated) as source, sqlite3.connect(database) as copy:
        source.backup(copy)
    return database


def _import(database: Path, bundle: dict, tmp_path: Path, *, apart: bool) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "import.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    return _lantern(database, "import", str(path), "--no-progress", apart=apart)


def test_checked_apart_writes_what_checked_first_writes(bundle, migrated, tmp_path):
    first, apart = _database(migrated, tmp_path, "first"), _database(migrated, tmp_path, "apart")
    serial_run = _import(first, bundle, tmp_path, apart=False)
    apart_run = _import(apart, bundle, tmp_path, apart=True)
    assert serial_run.returncode == apart_run.returncode == 0, apart_run.stderr
    assert "checked in a second process" in apart_run.stdout
    assert "checked in a second process" not in serial_run.stdout
    counts = table_counts(apart)
    assert counts == table_counts(first)
    assert counts["chronology_event"] >= len(bundle["events"]) > 20
    # Again: nothing changes.
    again = _import(apart, bundle, tmp_path, apart=True)
    assert "already imported, nothing changed" in again.stdout
    assert table_counts(apart) == counts


def _broken(bundle: dict, how: str) -> dict:
    bundle = json.loads(json.dumps(bundle))
    if how == "bad enum":
        bundle["events"][3]["type"] = "phone-call"
    elif how == "missing id":
        del bundle["people"][2]["id"]
    elif how == "unknown child":
        bundle["events"][-1]["child"] = "nobody"
    elif how == "date format":
        bundle["involvements"][0]["started_on"] = "01/02/2024"
    elif how == "duplicate event":
        bundle["events"].append(dict(bundle["events"][0]))
    return bundle


@pytest.mark.parametrize("how", ["bad enum", "missing id", "unknown child", "date format", "duplicate event"])
def test_an_invalid_bundle_is_refused_with_the_same_problems_and_nothing_written(
    bundle, migrated, tmp_path, how
):
    database = _database(migrated, tmp_path, "apart")
    before = table_counts(database)
    broken = _broken(bundle, how)
    serial_run = _import(database, broken, tmp_path, apart=False)
    apart_run = _import(database, broken, tmp_path, apart=True)
    assert serial_run.returncode == apart_run.returncode == 1
    assert "$." in apart_run.stderr
    assert apart_run.stderr == serial_run.stderr
    assert table_counts(database) == before


def test_malformed_json_is_refused_with_its_line_and_nothing_written(bundle, migrated, tmp_path):
    database = _database(migrated, tmp_path, "apart")
    before = table_counts(database)
    path = tmp_path / "import.json"
    path.write_text(json.dumps(bundle, indent=1)[:-5000], encoding="utf-8")  # cut short
    run = _lantern(database, "import", str(path), "--no-progress", apart=True)
    assert run.returncode == 1
    assert "not valid JSON" in run.stderr
    assert " line " in run.stderr
    assert table_counts(database) == before


@pytest.mark.django_db(transaction=True)
def test_in_process_only_where_a_second_process_can_see_the_database(bundle, tmp_path, settings):
    """A database in memory (the SQLite test database) cannot be opened by a second process: the bundle
    is then checked first, as any small file is. PostgreSQL's test database can."""
    settings.LANTERN_IMPORT_CHECK_APART_BYTES = 0
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    from django.db import connection

    shareable = not (connection.vendor == "sqlite" and connection.is_in_memory_db())
    assert check_apart.check_apart_possible(path) == shareable
    result = case_bundle_import(path)
    assert result.checked_apart == shareable
    assert Event.objects.count() == len(bundle["events"])
    broken = _broken(bundle, "unknown child")
    broken["people"].append({"id": "late", "kind": "child", "date_of_birth": "2020-01-01"})
    path.write_text(json.dumps(broken), encoding="utf-8")
    people = Person.objects.count()
    with pytest.raises(BundleInvalid, match="'nobody' is not in this bundle's people"):
        case_bundle_import(path)
    assert Person.objects.count() == people


@pytest.mark.django_db(transaction=True)
def test_a_file_changed_while_it_is_imported_is_refused(bundle, tmp_path, settings, monkeypatch):
    """The file is read twice (and, checked apart, by two processes): if it is not the same file at the
    end, what was checked may not be what was written, so nothing is. Here the file seems to change
    after it was first opened: the writer (checked first) or the check process (checked apart, where
    the database allows it) sees another file."""
    from lantern.interop import bundle_stream

    settings.LANTERN_IMPORT_CHECK_APART_BYTES = 0
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    real = bundle_stream.file_identity
    opened: list[Path] = []

    def identity(of: Path) -> list[int]:
        opened.append(of)
        return [0, 0, 0, 0] if len(opened) == 1 else real(of)  # as first opened: another file

    monkeypatch.setattr(bundle_stream, "file_identity", identity)
    with pytest.raises(BundleInvalid, match="the file changed while it was being imported"):
        case_bundle_import(path)
    assert not Person.objects.exists()
    assert not Event.objects.exists()
