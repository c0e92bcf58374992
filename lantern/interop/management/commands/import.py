"""``lantern import FILE…``: case bundles, each validated then written whole or not at all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lantern.interop.bundle_schema import BundleInvalid
from lantern.interop.case_bundle import case_bundle_import
from lantern.interop.progress import terminal_progress


class Command(BaseCommand):
    help = "Import case bundles (JSON). Each file is validated, then written in one transaction."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument("--no-progress", action="store_true", help="Do not show a progress bar")

    def handle(self, *args: Any, files: list[Path], no_progress: bool, **options: Any) -> None:
        failed = 0
        for path in files:
            try:
                with terminal_progress(f"Importing {path.name}", enabled=not no_progress) as progress:
                    result = case_bundle_import(path, progress=progress)
            except BundleInvalid as error:
                self.stderr.write(str(error))
                failed += 1
                continue
            self.stdout.write(
                f"{path}: imported" if result.changed else f"{path}: already imported, nothing changed"
            )
            for line in result.lines():
                self.stdout.write(f"  {line}")
        if failed:
            raise CommandError(f"{failed} of {len(files)} file(s) not imported")
