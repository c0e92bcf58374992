"""``lantern assessments``: load a template (an administrator's job), list the templates in use, and
write a child's assessments out as a case bundle."""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lantern.assessments.definitions import TemplateInvalid
from lantern.assessments.exchange import assessments_bundle
from lantern.assessments.selectors import templates_in_use
from lantern.assessments.services import template_load, who_may_complete
from lantern.screening.management.commands.screen import child_by_ref


class Command(BaseCommand):
    help = "Assessment templates and assessments: load-template FILE…, templates, export --child REF."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        load = commands.add_parser("load-template", help="Check and load template files (JSON)")
        load.add_argument("files", nargs="+", type=Path)
        commands.add_parser("templates", help="The templates in use: id, version, who may complete them")
        export = commands.add_parser("export", help="A child's completed assessments as a case bundle (JSON)")
        export.add_argument("--child", metavar="REF", required=True)
        export.add_argument("--output", type=Path, help="A file to write (default: standard output)")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "load-template":
            for path in options["files"]:
                try:
                    template, changed = template_load(path=path, loaded_by=getpass.getuser())
                except TemplateInvalid as refused:
                    raise CommandError(str(refused)) from None
                said = "Loaded" if changed else "Already loaded, unchanged:"
                self.stdout.write(
                    f"{said} {template.id} version {template.version} ({template.title}) from {path}"
                )
        elif action == "templates":
            for template in templates_in_use():
                countersign = "; countersigned by a manager" if template.countersign else ""
                self.stdout.write(
                    f"{template.id} version {template.version}: {template.title}, grades "
                    f"{template.scale_text}; {who_may_complete(template)}{countersign}"
                )
        else:
            bundle = json.dumps(
                assessments_bundle(child=child_by_ref(options["child"])), indent=2, ensure_ascii=False
            )
            if options["output"]:
                options["output"].write_text(bundle + "\n", encoding="utf-8")
            else:
                self.stdout.write(bundle)
