"""``lantern serve``: serve Lantern (Django's development server, static files through WhiteNoise)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Lantern at http://127.0.0.1:8000 (or ADDRESS:PORT)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("address", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, address: str, **options: Any) -> None:
        call_command("runserver", address, use_reloader=False)
