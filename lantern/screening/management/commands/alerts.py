"""``lantern alerts``: the alerts open now (not resolved), for everyone or one child."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lantern.screening.engine import Screened
from lantern.screening.management.commands.screen import child_by_ref, print_screened
from lantern.screening.models import OPEN_STATUSES, Alert
from lantern.screening.rules import RULES


class Command(BaseCommand):
    help = "List the alerts open now (raised, acknowledged, actioned or dismissed; not resolved)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--child", metavar="REF")
        parser.add_argument("--format", choices=["table", "json"], default="table", dest="output")

    def handle(self, *args: Any, child: str | None, output: str, **options: Any) -> None:
        alerts = Alert.objects.filter(status__in=OPEN_STATUSES).select_related("child")
        if child:
            alerts = alerts.filter(child=child_by_ref(child))
        found = [
            Screened(
                child=a.child.ref,
                rule=a.rule,
                severity=a.severity,
                summary=a.summary,
                evidence=tuple(a.evidence),
                recommended_action=RULES[a.rule].recommended_action if a.rule in RULES else "",
            )
            for a in alerts.iterator(chunk_size=2000)
        ]
        print_screened(self, found, output)
