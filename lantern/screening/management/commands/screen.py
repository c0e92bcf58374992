"""``lantern screen``: run every rule for every child (or one), as at today or another date."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lantern.interop.progress import terminal_progress
from lantern.people.models import Person
from lantern.screening.engine import Screened, alerts_sync, all_children, screen


def child_by_ref(ref: str) -> Person:
    source, _, source_id = ref.partition(":")
    child = Person.objects.children().filter(source=source, source_id=source_id).first()
    if child is None:
        raise CommandError(f"--child {ref}: no child has this reference (write it as <source>:<id>)")
    return child


def print_screened(command: BaseCommand, found: list[Screened], output: str) -> None:
    found = sorted(found, key=lambda s: (s.child, s.rule))
    if output == "json":
        command.stdout.write(json.dumps([s.as_json() for s in found], indent=2, ensure_ascii=False))
        return
    if not found:
        command.stdout.write("No rule matched.")
        return
    width = max(len(s.child) for s in found)
    for s in found:
        command.stdout.write(f"{s.child:<{width}}  {s.rule:<26} {s.severity:<7} {s.summary}")


class Command(BaseCommand):
    help = (
        "Run the screening rules. As at today (the default) it brings alerts up to date; with --as-of "
        "another day it screens as if that day were today (events, plans and reviews after it are left "
        "out) and changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", type=dt.date.fromisoformat, metavar="YYYY-MM-DD")
        parser.add_argument("--child", metavar="REF", help="One child, by reference (<source>:<id>)")
        parser.add_argument("--format", choices=["table", "json"], default="table", dest="output")
        parser.add_argument("--no-progress", action="store_true")

    def handle(
        self,
        *args: Any,
        as_of: dt.date | None,
        child: str | None,
        output: str,
        no_progress: bool,
        **options: Any,
    ) -> None:
        today = timezone.localdate()
        ids = [child_by_ref(child).pk] if child else None  # None: every child
        found: list[Screened] = []
        with terminal_progress("Screening", enabled=not no_progress and output == "table") as progress:
            if as_of is None or as_of == today:
                counts = alerts_sync(
                    list(all_children()) if ids is None else ids,
                    as_of=today,
                    collect=found,
                    progress=lambda n: progress("children", n),
                )
                if output == "table":
                    self.stderr.write(
                        f"{counts.children} children: {counts.raised} alerts raised, {counts.updated} "
                        f"updated, {counts.resolved} resolved"
                    )
            else:
                for _, screened in screen(ids, as_of=as_of, progress=lambda n: progress("children", n)):
                    found.extend(screened)
        print_screened(self, found, output)
