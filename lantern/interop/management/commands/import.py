"""``lantern import FILE…``: case bundles and FHIR R4 Bundles, each written whole or not at all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lantern.health.csv_import import csv_to_fhir_bundle
from lantern.health.ingest import fhir_bundle_ingest
from lantern.health.models import HealthSystem, InboundMessage
from lantern.interop.bundle_schema import BundleInvalid
from lantern.interop.case_bundle import case_bundle_import
from lantern.interop.detect import FHIR_BUNDLE, file_kind
from lantern.interop.progress import terminal_progress


class Command(BaseCommand):
    help = (
        "Import case bundles (JSON) and FHIR R4 Bundles, told apart by their content. Each case bundle is "
        "validated, then written in one transaction; each FHIR bundle as its type says (transaction: all "
        "or nothing; batch: entry by entry)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument("--no-progress", action="store_true", help="Do not show a progress bar")
        parser.add_argument(
            "--system",
            metavar="SLUG",
            help="The health system a CSV file comes from (see docs/health-csv.md)",
        )

    def handle(
        self, *args: Any, files: list[Path], no_progress: bool, system: str | None, **options: Any
    ) -> None:
        failed = 0
        for path in files:
            if path.suffix.lower() == ".csv":
                failed += not self._csv(path, system, not no_progress)
                continue
            if file_kind(path) == FHIR_BUNDLE:
                body = path.read_text(encoding="utf-8", errors="replace")
                failed += not self._fhir(path, body, None, not no_progress)
                continue
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
            if result.checked_apart:
                self.stdout.write("  checked in a second process while it was written")
            for line in result.lines():
                self.stdout.write(f"  {line}")
        if failed:
            raise CommandError(f"{failed} of {len(files)} file(s) not imported")

    def _csv(self, path: Path, slug: str | None, show_progress: bool) -> bool:
        health_system = HealthSystem.objects.filter(slug=slug).first() if slug else None
        if health_system is None:
            raise CommandError(
                f"{path}: a CSV file needs --system, the slug of the health system it comes from"
            )
        body, problems = csv_to_fhir_bundle(path.read_text(encoding="utf-8-sig", errors="replace"))
        if body is None:
            self.stderr.write(f"{path}: {len(problems)} problem(s), nothing imported:")
            for problem in problems[:100]:
                self.stderr.write(f"  {problem}")
            return False
        return self._fhir(path, body, health_system, show_progress)

    def _fhir(self, path: Path, body: str, health_system: HealthSystem | None, show_progress: bool) -> bool:
        with terminal_progress(f"Importing {path.name}", enabled=show_progress) as progress:
            result = fhir_bundle_ingest(body=body, system=health_system, progress=progress)
        message = result.message
        if message.status == InboundMessage.Status.REJECTED:
            self.stderr.write(f"{path}: FHIR {message.bundle_type or 'bundle'} refused, nothing written:")
            for issue in result.response.get("issue", []):
                self.stderr.write(f"  {', '.join(issue.get('expression', []))}: {issue.get('diagnostics')}")
            return False
        counts = ", ".join(f"{n} {what}" for what, n in result.counts.items() if n)
        self.stdout.write(
            f"{path}: FHIR {message.bundle_type}, {message.entries} entries: {counts or 'nothing new'}"
        )
        if message.failed_entries:
            self.stderr.write(f"{path}: {message.failed_entries} entries failed (see the feed's messages)")
            return False
        return True
