"""Which kind of file ``lantern import`` has been given: a case bundle or a FHIR R4 Bundle, by content."""

from __future__ import annotations

from pathlib import Path

import ijson

CASE_BUNDLE = "case-bundle"
FHIR_BUNDLE = "fhir-bundle"


def file_kind(path: Path) -> str | None:
    """Read top-level keys until one says what the file is: ``format`` or ``resourceType``."""
    try:
        with path.open("rb") as handle:
            expecting = None
            for prefix, event, value in ijson.parse(handle):
                if prefix == "" and event == "map_key" and value in {"format", "resourceType"}:
                    expecting = value
                elif expecting and prefix == expecting and event == "string":
                    if expecting == "format" and value.startswith("lantern.case-bundle/"):
                        return CASE_BUNDLE
                    if expecting == "resourceType" and value == "Bundle":
                        return FHIR_BUNDLE
                    return None
    except (OSError, ijson.JSONError, ValueError):
        return None
    return None
