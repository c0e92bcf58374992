"""The same data and --as-of give the same JSON, byte for byte: CI runs this on SQLite and on PostgreSQL
against one golden file, so the two databases cannot disagree."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from lantern.interop.demo import demo_area_load
from lantern.screening import engine

GOLDEN = Path(__file__).parent / "golden" / "demo-area-2026-11-01.json"

pytestmark = pytest.mark.django_db


def test_screening_the_demo_area_as_at_a_date_gives_the_golden_json(capsys):
    demo_area_load()
    call_command("screen", "--as-of", "2026-11-01", "--format", "json", "--no-progress")
    output = capsys.readouterr().out
    assert output == GOLDEN.read_text(), (
        "if a rule changed on purpose, review the new output and update the golden file"
    )
    alerts = json.loads(output)
    assert {a["rule"] for a in alerts} >= {"was-not-brought", "injury-non-mobile", "home-not-seen"}


def test_the_batch_path_of_the_counting_rules_gives_the_same_golden_json(capsys, monkeypatch):
    demo_area_load()
    monkeypatch.setattr(engine, "BATCH", 5)  # more children than a batch: the counting rules set-based
    calls = []
    original = engine.counted_findings

    def counted_findings(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(engine, "counted_findings", counted_findings)
    call_command("screen", "--as-of", "2026-11-01", "--format", "json", "--no-progress")
    assert calls
    assert capsys.readouterr().out == GOLDEN.read_text()
