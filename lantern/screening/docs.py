"""docs/rules.md, written from the rules themselves so that it cannot drift from the code."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from lantern.screening.rules import RULES

RULES_DOC = Path(settings.BASE_DIR) / "docs" / "rules.md"


def rules_markdown() -> str:
    lines = [
        "# Screening rules",
        "",
        "Generated from `lantern/screening/rules/` by `lantern rules-doc`; a test fails when this file",
        "and the rules differ. Codes are a public contract (DESIGN.md). Parameters are local policy: an",
        "area changes them in the file named by `LANTERN_SCREENING_CONFIG` (see",
        "`lantern/screening/config.py`). Every window ends on the screening date and includes it.",
        "",
        "| code | severity | trigger (default) | parameters |",
        "|---|---|---|---|",
    ]
    for rule in RULES.values():
        parameters = ", ".join(f"`{k}` = {v}" for k, v in rule.parameters.items()) or "none"
        lines.append(f"| [`{rule.code}`](#{rule.code}) | {rule.severity} | {rule.trigger} | {parameters} |")
    for rule in RULES.values():
        lines += [
            "",
            f"## {rule.code}",
            "",
            f"**{rule.title}.** Severity: {rule.severity}. Local procedure: `{rule.procedure}`.",
            "",
            f"- Trigger: {rule.trigger}",
            f"- What the reviews learned: “{rule.learning}”",
            f"- Recommended action: {rule.recommended_action}",
        ]
    return "\n".join(lines) + "\n"
