"""``lantern rules-doc``: write docs/rules.md from the rules."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lantern.screening.docs import RULES_DOC, rules_markdown


class Command(BaseCommand):
    help = "Write docs/rules.md from the screening rules themselves."

    def handle(self, *args: Any, **options: Any) -> None:
        RULES_DOC.write_text(rules_markdown(), encoding="utf-8")
        self.stdout.write(f"Wrote {RULES_DOC}")
