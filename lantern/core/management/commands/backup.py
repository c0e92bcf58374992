"""``lantern backup FILE``: a consistent copy of the database while Lantern runs (ADR 17)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lantern.core.backup import BackupError, pg_backup, sqlite_backup
from lantern.core.management.commands._database import (
    PageProgress,
    database_vendor_and_target,
)
from lantern.core.management.commands._database import (
    sqlite_target as _sqlite_target,
)


class Command(BaseCommand):
    help = (
        "Back up the database to FILE: SQLite by its online backup API (checked with PRAGMA "
        "integrity_check), PostgreSQL by pg_dump --format=custom. Lantern may keep running."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, metavar="FILE")
        parser.add_argument("--no-progress", action="store_true", help="Do not show a progress bar")

    def handle(self, *args: Any, file: Path, no_progress: bool, **options: Any) -> None:
        vendor, target = database_vendor_and_target()
        try:
            if vendor == "sqlite":
                progress = PageProgress(f"Backing up {Path(target).name}", enabled=not no_progress)
                try:
                    sqlite_backup(database=_sqlite_target(target), to=file, progress=progress)
                finally:
                    progress.close()
            else:
                pg_backup(url=target, to=file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{file}: backed up ({file.stat().st_size / 2**20:,.1f} MiB)")
