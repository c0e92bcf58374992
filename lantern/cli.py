"""The ``lantern`` command: Lantern's own commands (serve, demo, generate, import…) and Django's."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["lantern", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
