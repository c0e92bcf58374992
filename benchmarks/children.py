"""Steps that run in a child process of the benchmark (so that ``wait4`` gives their own peak memory).

    python -m benchmarks.children import FILE          # case_bundle_import, screening timed apart
    python -m benchmarks.children screen YYYY-MM-DD    # `lantern screen --as-of …`, timed by part
    python -m benchmarks.children counted YYYY-MM-DD   # the counting rules for every child, 5 times
    python -m benchmarks.children fhir FILE SLUG       # fhir_bundle_ingest(body=…, system=HealthSystem)
    python -m benchmarks.children fhir-bundle OUT N SEED  # write a FHIR batch of N resources (crash drill)

Each prints one line of JSON (its last line of output) with what it measured.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
RESULT_PREFIX = "BENCH-RESULT "


def timed(into: dict[str, float], key: str, function: F) -> F:
    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            into[key] = into.get(key, 0.0) + time.perf_counter() - started

    return wrapper  # type: ignore[return-value]


def case_bundle(path: Path) -> dict[str, Any]:
    from lantern.interop import case_bundle as module
    from lantern.screening import engine

    seconds: dict[str, float] = {}
    counts: list[engine.SyncCounts] = []
    original = module.alerts_sync

    def alerts_sync(child_ids: Any, **kwargs: Any) -> engine.SyncCounts:
        started = time.perf_counter()
        result = original(child_ids, **kwargs)
        seconds["screening"] = seconds.get("screening", 0.0) + time.perf_counter() - started
        counts.append(result)
        return result

    module.alerts_sync = alerts_sync
    # The parts: reading and checking the file before writing, or (a file checked in a second process
    # while it is written, ADR 21) reading it and waiting for the check's answer; every section but the
    # events; the events (in batches); the chronology entries.
    from lantern.interop import check_apart, records_import
    from lantern.interop.bundle_stream import BundleSource

    module._read = timed(seconds, "read and check", module._read)
    first_pass = BundleSource.read

    def read(self: BundleSource, progress: Any, *, check: bool = True) -> Any:
        if check:  # inside ``_read``
            return first_pass(self, progress, check=check)
        return timed(seconds, "read (checked apart)", first_pass)(self, progress, check=check)

    BundleSource.read = read  # type: ignore[method-assign]
    module._Writer.write = timed(seconds, "write all but events", module._Writer.write)  # type: ignore[method-assign]
    records_import.RecordWriter.events = timed(seconds, "write events", records_import.RecordWriter.events)  # type: ignore[method-assign]
    checkers: list[check_apart.Checker] = []
    original_raise = check_apart.Checker.raise_if_invalid

    def raise_if_invalid(self: check_apart.Checker, *, wait: bool) -> None:
        if self not in checkers:
            checkers.append(self)
        if not wait:
            return original_raise(self, wait=wait)
        return timed(seconds, "waiting for the check", original_raise)(self, wait=wait)

    check_apart.Checker.raise_if_invalid = raise_if_invalid  # type: ignore[method-assign]
    records_import.RecordWriter.entries_sync = timed(  # type: ignore[method-assign]
        seconds, "chronology entries", records_import.RecordWriter.entries_sync
    )
    started = time.perf_counter()
    result = module.case_bundle_import(path)
    total = time.perf_counter() - started
    sync = counts[0] if counts else engine.SyncCounts()
    return {
        "seconds": total,
        "screening_seconds": seconds.get("screening", 0.0),
        "parts": seconds,
        "children_screened": sync.children,
        "checked_apart": result.checked_apart,
        "check_peak_mib": (checkers[-1].peak_kib / 1024) if checkers else 0.0,
        "alerts_raised": sync.raised,
        "created": dict(result.created),
    }


def batch_screen(as_of: dt.date) -> dict[str, Any]:
    """``lantern screen --as-of … --format json`` (output discarded), with facts loading timed by query and
    each rule timed: the per-child rules over each child's facts, and the counting rules (``Rule.counts``)
    over the whole area, everything they do included (``engine.counted_findings``)."""
    from django.core.management import call_command

    from lantern.screening import engine
    from lantern.screening import facts as loading
    from lantern.screening.management.commands import screen as command

    parts: dict[str, float] = {}
    rules: dict[str, float] = {}
    matched: dict[str, int] = {}
    for name in ("_events", "_siblings", "_plans", "_assessments", "_meetings", "_adults"):
        setattr(loading, name, timed(parts, name, getattr(loading, name)))
    engine.child_facts = timed(parts, "child_facts (all)", loading.child_facts)
    counted_findings = engine.counted_findings

    def counted(*args: Any, **kwargs: Any) -> Any:
        # Its facts are loaded by the same functions, but belong to its rules' time, not to ``parts``.
        before = dict(parts)
        started = time.perf_counter()
        result = counted_findings(*args, **kwargs)
        parts.clear()
        parts.update(before, **{"counted_findings (all)": time.perf_counter() - started})
        return result

    engine.counted_findings = counted
    original = engine.screen

    def screen(child_ids: Any, **kwargs: Any) -> Any:
        for child_id, found in original(child_ids, **{**kwargs, "timings": rules}):
            for screened in found:
                matched[screened.rule] = matched.get(screened.rule, 0) + 1
            yield child_id, found

    command.screen = screen
    started = time.perf_counter()
    call_command("screen", as_of=as_of, output="json", no_progress=True, stdout=io.StringIO())
    total = time.perf_counter() - started
    return {"seconds": total, "facts_seconds": parts, "rule_seconds": rules, "matched": matched}


def counted(as_of: dt.date, runs: int = 5) -> dict[str, Any]:
    """``engine.counted_findings`` for every child, ``runs`` times: its time (and each rule's) per run, and
    what it found for the first run (child reference → evidence, by rule) to check against DuckDB's."""
    from lantern.screening import engine

    ids = list(engine.all_children())
    seconds: list[float] = []
    rules: list[dict[str, float]] = []
    found: dict[str, dict[int, engine.Screened]] = {}
    for _ in range(runs):
        timings: dict[str, float] = {}
        started = time.perf_counter()
        found = engine.counted_findings(None, as_of=as_of, timings=timings)
        seconds.append(time.perf_counter() - started)
        rules.append(timings)
    return {
        "children": len(ids),
        "seconds": seconds,
        "rule_seconds": rules,
        "found": {code: {s.child: s.evidence for s in by_child.values()} for code, by_child in found.items()},
    }


def fhir(path: Path, slug: str) -> dict[str, Any]:
    from lantern.health.ingest import fhir_bundle_ingest
    from lantern.health.models import HealthSystem

    system = HealthSystem.objects.get(slug=slug)
    started = time.perf_counter()
    body = path.read_text(encoding="utf-8")
    result = fhir_bundle_ingest(body=body, system=system)
    total = time.perf_counter() - started
    message = result.message
    return {
        "seconds": total,
        "status": str(message.status),
        "entries": message.entries,
        "failed_entries": message.failed_entries,
        "counts": dict(result.counts),
    }


def fhir_bundle(out: Path, total: int, seed: int) -> dict[str, Any]:
    """A batch bundle of ``total`` resources for children in the database (``benchmarks.suites``)."""
    from benchmarks.suites import fhir_resources
    from lantern.health.tests.fhir_examples import bundle
    from lantern.people.models import Person

    # Five resources for each patient; a patient for at most every child with an NHS number.
    known = Person.objects.children().filter(nhs_number__isnull=False, date_of_birth__isnull=False).count()
    resources = fhir_resources(min(total, 5 * known), seed)
    out.write_text(bundle(*resources, kind="batch"), encoding="utf-8")
    return {"resources": len(resources), "bytes": out.stat().st_size}


def main(argv: list[str]) -> None:
    import django

    django.setup()
    if argv[0] == "import":
        out = case_bundle(Path(argv[1]))
    elif argv[0] == "screen":
        out = batch_screen(dt.date.fromisoformat(argv[1]))
    elif argv[0] == "counted":
        out = counted(dt.date.fromisoformat(argv[1]))
    elif argv[0] == "fhir":
        out = fhir(Path(argv[1]), argv[2])
    elif argv[0] == "fhir-bundle":
        out = fhir_bundle(Path(argv[1]), int(argv[2]), int(argv[3]))
    else:
        raise SystemExit(f"unknown step {argv[0]!r}")
    print(RESULT_PREFIX + json.dumps(out, default=str), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
