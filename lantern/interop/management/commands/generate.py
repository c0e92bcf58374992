"""``lantern generate``: a synthetic population written as a case bundle (every person made up).

    lantern generate --children 20000 --seed 1 --out var/synthetic.json
    lantern generate --children 300000 --seed 1 --out var/people.json --people-only

The same seed, ``--as-of`` and ``--source`` give the same file, byte for byte. ``--as-of`` defaults
to a fixed date (2026-11-01), not today, so that the output is reproducible.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lantern.interop.progress import terminal_progress
from lantern.interop.synthetic import (
    DEFAULT_AS_OF,
    DEFAULT_HISTORY_YEARS,
    DEFAULT_SOURCE,
    MAX_CHILDREN,
    MAX_HISTORY_YEARS,
    synthetic_bundle_write,
)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of {value!r} is not a date like 2026-11-01") from None


class Command(BaseCommand):
    help = "Write a synthetic population (made-up children, families and agencies) as a case bundle."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--children", type=int, required=True, metavar="N", help=f"Children (1 to {MAX_CHILDREN:,})"
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed (default 1): same seed, same file"
        )
        parser.add_argument(
            "--out", type=Path, required=True, metavar="FILE", help="Where to write the bundle"
        )
        parser.add_argument(
            "--as-of",
            type=str,
            default=DEFAULT_AS_OF.isoformat(),
            metavar="YYYY-MM-DD",
            help=f"The day the population is as at (default {DEFAULT_AS_OF.isoformat()}, fixed, not today)",
        )
        parser.add_argument(
            "--source", default=DEFAULT_SOURCE, help=f"The bundle's source (default {DEFAULT_SOURCE})"
        )
        parser.add_argument(
            "--people-only",
            action="store_true",
            help="Only agencies, professionals, people, relationships, households and involvements: "
            "no chronology, assessments, plans or meetings (smaller, and quicker to import)",
        )
        parser.add_argument(
            "--history-years",
            type=int,
            default=DEFAULT_HISTORY_YEARS,
            metavar="N",
            help=f"Years of chronology before --as-of (default {DEFAULT_HISTORY_YEARS}; 1 to "
            f"{MAX_HISTORY_YEARS}); each child's starts at birth if later",
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not show a progress bar")

    def handle(
        self,
        *args: Any,
        children: int,
        seed: int,
        out: Path,
        as_of: str,
        source: str,
        people_only: bool,
        history_years: int,
        no_progress: bool,
        **options: Any,
    ) -> None:
        if not 1 <= children <= MAX_CHILDREN:
            raise CommandError(f"--children must be between 1 and {MAX_CHILDREN:,}")
        if not 1 <= history_years <= MAX_HISTORY_YEARS:
            raise CommandError(f"--history-years must be between 1 and {MAX_HISTORY_YEARS}")
        if not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", source):
            raise CommandError(f"--source {source!r}: use 1 to 64 letters, digits, '_', '.' or '-'")
        started = time.perf_counter()
        with terminal_progress(f"Generating {out.name}", enabled=not no_progress) as progress:
            counts = synthetic_bundle_write(
                out,
                children=children,
                seed=seed,
                as_of=_date(as_of),
                source=source,
                people_only=people_only,
                progress=progress,
                history_years=history_years,
            )
        elapsed = time.perf_counter() - started
        self.stdout.write(f"{out}: {children:,} children, seed {seed}, as of {as_of} ({elapsed:.1f} s)")
        for section, count in counts.items():
            self.stdout.write(f"  {section}: {count:,}")
