"""``lantern retention``: what the retention schedule says is due for disposal, and disposing of it."""

from __future__ import annotations

import datetime as dt
import getpass
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from lantern.interop.progress import terminal_progress
from lantern.retention.config import retention_config
from lantern.retention.disposal import retention_dispose
from lantern.retention.schedule import ADULT_RULE, Schedule, retention_schedule


class Command(BaseCommand):
    help = (
        "Apply the retention schedule. With --dry-run, list what is due for disposal and why (nothing is "
        "changed); without, dispose of it in one transaction and write the disposal log. Access-log rows "
        "that are due are reported, never disposed of here (ADR 0018)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List what is due; change nothing")
        parser.add_argument(
            "--as-of", type=dt.date.fromisoformat, metavar="YYYY-MM-DD", help="Default: today"
        )
        parser.add_argument("--format", choices=["table", "json"], default="table", dest="output")
        parser.add_argument("--no-progress", action="store_true")

    def handle(
        self, *args: Any, dry_run: bool, as_of: dt.date | None, output: str, no_progress: bool, **options: Any
    ) -> None:
        as_of = as_of or timezone.localdate()
        with terminal_progress("Retention", enabled=not no_progress) as progress:
            if dry_run:
                schedule = retention_schedule(as_of=as_of, progress=lambda n: progress("children", n))
                run_id = None
            else:
                run, schedule = retention_dispose(
                    as_of=as_of, run_by=getpass.getuser(), progress=lambda n: progress("children", n)
                )
                run_id = run.pk
        if output == "json":
            self.stdout.write(json.dumps(_as_json(schedule, dry_run=dry_run, run_id=run_id), indent=2))
        else:
            self._table(schedule, dry_run=dry_run, run_id=run_id)

    def _table(self, schedule: Schedule, *, dry_run: bool, run_id: int | None) -> None:
        config = retention_config()
        counts = schedule.counts()
        verb = "Due for disposal" if dry_run else "Disposed of"
        self.stdout.write(f"{verb} as at {schedule.as_of:%d/%m/%Y} ({config.source}):")
        if not counts:
            self.stdout.write("  nothing")
        for code, count in counts.items():
            why = config.periods[code].describe() if code in config.periods else ADULT_RULE.split(": ", 1)[1]
            self.stdout.write(f"  {code:<20} {count:>8}  {why}")
        for held in schedule.held:
            self.stdout.write(
                f"Kept: {held.records} {held.record_type} record(s) of {held.person}: {held.why}"
            )
        self.stdout.write(
            f"Access log: {schedule.access_log_due} row(s) past their period "
            f"({config.periods['access-log'].describe()}): reported, not disposed of (ADR 0018)."
        )
        if run_id is not None:
            self.stdout.write(f"Disposal log: run {run_id}.")


def _as_json(schedule: Schedule, *, dry_run: bool, run_id: int | None) -> dict[str, Any]:
    return {
        "as_of": schedule.as_of.isoformat(),
        "dry_run": dry_run,
        "disposal_run": run_id,
        "counts": schedule.counts(),
        "records": [due.as_json() for due in schedule.due],
        "kept_by_holds": [held.as_json() for held in schedule.held],
        "access_log_due": schedule.access_log_due,
        "access_log_disposed": 0,
    }
