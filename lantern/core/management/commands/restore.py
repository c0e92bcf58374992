"""``lantern restore FILE``: put a backup back; ``lantern restore --drill``: prove it works (ADR 17)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from lantern.core.backup import BackupError, pg_drill, pg_restore, sqlite_drill, sqlite_restore
from lantern.core.management.commands._database import (
    PageProgress,
    database_vendor_and_target,
)
from lantern.core.management.commands._database import (
    sqlite_target as _sqlite_target,
)


class Command(BaseCommand):
    help = (
        "Restore the database from FILE (made by `lantern backup`), replacing what is there: SQLite by its "
        "backup API after an integrity check, PostgreSQL by pg_restore in one transaction. With --drill "
        "and no FILE: back up, restore into a scratch database, compare every table's row count and checksum."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, metavar="FILE", nargs="?")
        parser.add_argument("--drill", action="store_true", help="The restore drill (changes nothing)")
        parser.add_argument("--yes", action="store_true", help="Replace the database without asking")
        parser.add_argument("--no-progress", action="store_true", help="Do not show a progress bar")

    def handle(
        self, *args: Any, file: Path | None, drill: bool, yes: bool, no_progress: bool, **options: Any
    ) -> None:
        vendor, target = database_vendor_and_target()
        if drill == (file is not None):
            raise CommandError("give either a backup FILE to restore, or --drill")
        try:
            if drill:
                self._drill(vendor, target, not no_progress)
                return
            assert file is not None
            if not yes and input(f"Replace the database {target} with {file}? Type yes: ").strip() != "yes":
                raise CommandError("nothing restored")
            connections.close_all()
            if vendor == "sqlite":
                progress = PageProgress(f"Restoring {file.name}", enabled=not no_progress)
                try:
                    sqlite_restore(backup=file, database=_sqlite_target(target), progress=progress)
                finally:
                    progress.close()
            else:
                pg_restore(backup=file, url=target)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{target}: restored from {file}")

    def _drill(self, vendor: str, target: str, show_progress: bool) -> None:
        connections.close_all()
        with tempfile.TemporaryDirectory(prefix="lantern-drill-") as workdir:
            if vendor == "sqlite":
                progress = PageProgress("Drill", enabled=show_progress)
                try:
                    rows = sqlite_drill(
                        database=_sqlite_target(target), workdir=Path(workdir), progress=progress
                    )
                finally:
                    progress.close()
            else:
                rows = pg_drill(url=target, workdir=Path(workdir))
        width = max(len(r.table) for r in rows)
        for row in rows:
            restored = f"{row.restored.rows:>10,} {row.restored.checksum}" if row.restored else "missing"
            mark = "ok" if row.matches else "DIFFERS"
            self.stdout.write(
                f"{row.table:<{width}} {row.source.rows:>10,} {row.source.checksum}  {restored}  {mark}"
            )
        wrong = [r.table for r in rows if not r.matches]
        if wrong:
            raise CommandError(f"restore drill failed: {len(wrong)} table(s) differ: {', '.join(wrong)}")
        total = sum(r.source.rows for r in rows)
        self.stdout.write(
            f"restore drill passed: {len(rows)} tables, {total:,} rows, every count and checksum equal"
        )
