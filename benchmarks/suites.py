"""The benchmark's other suites (``python -m benchmarks.run --suite …``): import, chronology, FHIR, screening.

They work on a database imported from a whole case bundle (with the chronology) by the import suite,
``var/bench/case-<children>.sqlite3``; the suites that write (chronology, FHIR, screening's incremental
part) work on a copy of it (``case-<children>-scratch.sqlite3``), so that the imported database stays
as the import left it.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from benchmarks.children import RESULT_PREFIX
from benchmarks.run import BENCH_DIR, ROOT, WARM_UP, Step, Timing, measure, percentile

AS_OF = dt.date(2026, 11, 1)  # the generator's as-of date
IMPORT_EVENTS_PER_SECOND = 10_000.0
CHRONOLOGY_P95_MS = 200.0
FHIR_RESOURCES_PER_SECOND = 2_000.0
INCREMENTAL_P95_MS = 20.0
BATCH_SECONDS = 120.0
BATCH_MIB = 2048.0
DUCKDB_RATIO = 10.0
SUITES = ("pages", "import", "chronology", "fhir", "screening")


@dataclass
class Figure:
    suite: str
    what: str
    measured: str
    target: str
    met: bool | None  # None: no target, a figure for reference


@dataclass
class SuiteReport:
    children: int
    steps: list[Step] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    timings: list[Timing] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    load: list[str] = field(default_factory=list)

    def loadavg(self, label: str) -> None:
        self.load.append(f"{label}: {os.getloadavg()[0]:.2f}")
        print(f"  load average {self.load[-1]}", flush=True)

    def add(self, *figures: Figure) -> None:
        for f in figures:
            print(f"  {f.suite}: {f.what}: {f.measured} (target {f.target or 'none'})", flush=True)
        self.figures += figures

    def note(self, text: str) -> None:
        print(f"  {text}", flush=True)
        self.notes.append(text)


def child_step(name: str, argv: list[str], env: dict[str, str], stdout: Any = None) -> tuple[Step, Any]:
    """Run ``python argv…`` as a child process: wall time, peak RSS (``wait4``) and its JSON result."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, *argv],
        env=env,
        cwd=ROOT,
        stdout=stdout if stdout is not None else subprocess.PIPE,
        text=True,
    )
    output = process.stdout.read() if stdout is None and process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark: `{' '.join(argv)}` failed")
    result = None
    for line in output.splitlines():
        if line.startswith(RESULT_PREFIX):
            result = json.loads(line[len(RESULT_PREFIX) :])
    print(f"  {name}: {elapsed:,.1f} s, peak {usage.ru_maxrss / 1024:,.0f} MiB", flush=True)
    return Step(name, elapsed, usage.ru_maxrss / 1024), result


def sqlite_path(url: str) -> Path:
    return Path(urlsplit(url).path)


def case_database(children: int) -> Path:
    return (BENCH_DIR / f"case-{children}.sqlite3").resolve()


def scratch_copy(source: Path) -> Path:
    """A copy of an imported database for a suite that writes (nothing else may have it open)."""
    target = source.with_name(source.stem + "-scratch.sqlite3")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(source) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(source, target)
    return target.resolve()


def use_database(path: Path) -> dict[str, str]:
    url = f"sqlite:///{path}"
    os.environ.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "lantern.config.settings"})
    return {**os.environ}


# -- 1. case-bundle import ------------------------------------------------------------------------------


def import_suite(report: SuiteReport, sizes: list[int], seed: int, history_years: int = 2) -> None:
    from benchmarks.run import fresh_database

    for size in sorted(sizes):
        years = "" if history_years == 2 else f"-history{history_years}"
        bundle = BENCH_DIR / f"case-{size}-seed{seed}{years}.json"
        database = case_database(size)
        env = use_database(database)
        if not bundle.exists():
            generate = ["-m", "lantern.cli", "generate", "--children", str(size), "--seed", str(seed)]
            generate += ["--history-years", str(history_years)]
            step, _ = child_step(
                f"generate {size:,} children (with {history_years} years of chronology)",
                [*generate, "--out", str(bundle), "--no-progress"],
                env,
                stdout=subprocess.DEVNULL,
            )
            report.steps.append(step)
        fresh_database(f"sqlite:///{database}")
        report.steps.append(
            child_step("migrate", ["-m", "lantern.cli", "migrate", "--no-input", "-v", "0"], env)[0]
        )
        report.loadavg(f"before importing {size:,} children")
        step, result = child_step(
            f"import {size:,} children", ["-m", "benchmarks.children", "import", str(bundle)], env
        )
        report.loadavg(f"after importing {size:,} children")
        events = int(result["created"].get("events", 0))
        screening = float(result["screening_seconds"])
        step.detail = (
            f"{bundle.stat().st_size / 2**20:,.0f} MiB bundle, {events:,} events; of which screening "
            f"{result['children_screened']:,} children {screening:,.1f} s"
        )
        if result.get("checked_apart"):
            step.detail += (
                f"; checked in a second process while written (its peak {result['check_peak_mib']:,.0f} MiB)"
            )
        report.steps.append(step)
        parts = result.get("parts", {})
        report.note(
            f"Import of {size:,} children, by part: "
            + ", ".join(f"{k} {v:,.1f} s" for k, v in parts.items())
            + f"; events alone {events / max(parts.get('write events', 0.0), 1e-9):,.0f}/s."
        )
        rate = events / step.seconds
        without = events / max(step.seconds - screening, 1e-9)
        report.add(
            *[
                Figure(
                    "import",
                    f"{size:,} children: events per second (whole `import`, with screening)",
                    f"{rate:,.0f}/s",
                    f"≥ {IMPORT_EVENTS_PER_SECOND:,.0f}/s",
                    rate >= IMPORT_EVENTS_PER_SECOND,
                ),
                Figure(
                    "import",
                    f"{size:,} children: events per second without the screening part",
                    f"{without:,.0f}/s",
                    f"≥ {IMPORT_EVENTS_PER_SECOND:,.0f}/s",
                    without >= IMPORT_EVENTS_PER_SECOND,
                ),
                Figure(
                    "import", f"{size:,} children: peak memory", f"{step.peak_rss_mib:,.0f} MiB", "", None
                ),
            ]
        )


# -- 2. chronology ---------------------------------------------------------------------------------------


def chronology_suite(report: SuiteReport, requests: int, seed: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from lantern.agencies.models import Involvement
    from lantern.chronology.models import Event, EventTag

    rng = random.Random(seed)
    involvement = (
        Involvement.objects.filter(professional__isnull=False, ended_on__isnull=True, child__kind="child")
        .select_related("child", "professional", "agency")
        .order_by("pk")
        .first()
    )
    if involvement is None or involvement.professional is None:
        raise SystemExit("benchmark: no child with a professional involved")
    child, viewer = involvement.child, involvement.professional
    before = Event.objects.filter(child=child).count()
    now = timezone.now()
    types = ["appointment", "attendance", "home-visit", "observation", "referral"]
    events = [
        Event(
            source="bench",
            source_id=f"chronology-{i}",
            child=child,
            agency=involvement.agency,
            type=types[i % len(types)],
            occurred_on=AS_OF - dt.timedelta(days=rng.randrange(3650)),
            recorded_at=now,
            text=f"Benchmark event {i}",
            outcome="attended" if i % 5 == 0 else "",
        )
        for i in range(10_000 - before)
    ]
    started = time.perf_counter()
    Event.objects.bulk_create(events, batch_size=2000)
    tags = ["hygiene", "nutrition", "domestic-abuse", "school-attendance"]
    EventTag.objects.bulk_create(
        [EventTag(event=e, tag=tags[i % len(tags)]) for i, e in enumerate(events) if i % 4 == 0],
        batch_size=2000,
    )
    report.steps.append(
        Step("bulk_create 10,000 events for one child", time.perf_counter() - started, 0.0, "")
    )
    report.note(
        f"Chronology: child {child.ref} with {Event.objects.filter(child=child).count():,} events "
        f"({EventTag.objects.filter(event__child=child).count():,} tags), viewed by {viewer.name} "
        f"({viewer.profession}, involved with the child)."
    )
    client = Client(SERVER_NAME="localhost")
    client.force_login(viewer)
    url = f"/children/{child.ref}/chronology/"

    def get(path: str) -> int:
        return client.get(path).status_code

    def count_queries(path: str) -> tuple[int, str, float]:
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
        return len(captured.captured_queries), slowest["sql"], float(slowest["time"]) * 1000

    report.loadavg("before the chronology requests")
    timing, (sql, ms) = measure(
        "involved professional",
        "chronology, first page",
        [url] * requests,
        get,
        CHRONOLOGY_P95_MS,
        count_queries,
    )
    report.loadavg("after the chronology requests")
    report.timings.append(timing)
    report.note(f"Chronology: slowest query {ms:.1f} ms: `{sql[:300]}…`")
    report.add(
        Figure(
            "chronology",
            "first page, child with 10,000 events: p95",
            f"{timing.p95} ms (p50 {timing.p50})",
            f"≤ {CHRONOLOGY_P95_MS:.0f} ms",
            timing.met,
        )
    )


# -- 3. FHIR ----------------------------------------------------------------------------------------------


def fhir_resources(total: int, seed: int) -> list[dict[str, Any]]:
    """Patients (children's own NHS numbers), then two Appointments and two Encounters for each."""
    from lantern.health.tests.fhir_examples import appointment, encounter, patient
    from lantern.people.models import Person

    rng = random.Random(seed)
    patients = total // 5
    children = list(
        Person.objects.children()
        .filter(nhs_number__isnull=False, date_of_birth__isnull=False)
        .order_by("pk")
        .values_list("nhs_number", "given_name", "family_name", "date_of_birth")[: patients * 3]
    )
    children = rng.sample(children, patients)
    resources: list[dict[str, Any]] = []
    for n, (nhs, given, family, born) in enumerate(children):
        assert born is not None
        resources.append(
            patient(
                f"bp{n}",
                nhs,
                name=[{"use": "official", "family": family, "given": [given]}],
                birthDate=born.isoformat(),
            )
        )
    for n in range(patients):
        for k in range(2):
            day = AS_OF - dt.timedelta(days=rng.randrange(1, 365))
            start = f"{day.isoformat()}T09:30:00+00:00"
            a = appointment(f"ba{n}-{k}", status=rng.choice(["noshow", "fulfilled", "booked"]), start=start)
            a["end"] = f"{day.isoformat()}T10:00:00+00:00"
            a["participant"][0]["actor"] = {"reference": f"Patient/bp{n}"}
            resources.append(a)
            e = encounter(f"be{n}-{k}", subject={"reference": f"Patient/bp{n}"})
            e["period"] = {"start": start, "end": f"{day.isoformat()}T11:00:00+00:00"}
            resources.append(e)
    return resources[:total]


def fhir_suite(report: SuiteReport, total: int, seed: int) -> None:
    from fhir.resources.R4B.appointment import Appointment
    from fhir.resources.R4B.encounter import Encounter
    from fhir.resources.R4B.patient import Patient

    from lantern.agencies.models import Agency
    from lantern.health.models import HealthSystem
    from lantern.health.tests.fhir_examples import bundle

    agency = Agency.objects.filter(type="hospital").order_by("pk").first() or Agency.objects.first()
    HealthSystem.objects.get_or_create(
        slug="bench-pas", defaults={"name": "Benchmark hospital PAS", "agency": agency}
    )
    resources = fhir_resources(total, seed)
    path = BENCH_DIR / f"fhir-{total}.json"
    path.write_text(bundle(*resources, kind="batch"), encoding="utf-8")

    models: dict[str, Any] = {"Patient": Patient, "Appointment": Appointment, "Encounter": Encounter}
    started = time.perf_counter()
    for resource in resources:
        models[resource["resourceType"]].model_validate(resource)
    validation = time.perf_counter() - started
    validated = len(resources) / validation

    report.loadavg("before the FHIR ingest")
    step, result = child_step(
        f"FHIR batch of {len(resources):,} resources",
        ["-m", "benchmarks.children", "fhir", str(path), "bench-pas"],
        {**os.environ},
    )
    report.loadavg("after the FHIR ingest")
    step.detail = (
        f"{path.stat().st_size / 2**20:,.0f} MiB; {result['counts']}; failed {result['failed_entries']}"
    )
    report.steps.append(step)
    ingested = len(resources) / float(result["seconds"])
    report.add(
        *[
            Figure(
                "fhir",
                f"{len(resources):,}-resource batch: resources per second, end to end",
                f"{ingested:,.0f}/s ({float(result['seconds']):,.1f} s)",
                f"≥ {FHIR_RESOURCES_PER_SECOND:,.0f}/s",
                ingested >= FHIR_RESOURCES_PER_SECOND,
            ),
            Figure("fhir", "peak memory (the ingesting process)", f"{step.peak_rss_mib:,.0f} MiB", "", None),
            Figure(
                "fhir",
                "bare validation with fhir.resources R4B models",
                f"{validated:,.0f}/s ({validation:,.1f} s)",
                "",
                None,
            ),
            Figure("fhir", "ingest as a share of bare validation", f"{ingested / validated:.2f}x", "", None),
        ]
    )


# -- 4. screening -------------------------------------------------------------------------------------------


def incremental_suite(report: SuiteReport, seed: int, count: int = 200) -> None:
    from django.utils import timezone

    from lantern.agencies.models import Involvement
    from lantern.chronology.models import Event
    from lantern.screening.engine import alerts_sync

    rng = random.Random(seed)
    involvement = (
        Involvement.objects.filter(child__kind="child", ended_on__isnull=True).order_by("-pk").first()
    )
    if involvement is None:
        raise SystemExit("benchmark: no child")
    child = involvement.child
    today = timezone.localdate()
    before = Event.objects.filter(child=child).count()
    kinds = [
        ("appointment", "attended"),
        ("appointment", "was-not-brought"),
        ("attendance", ""),
        ("home-visit", ""),
    ]
    events = []
    for i in range(1000 - before):
        kind, outcome = kinds[i % len(kinds)]
        events.append(
            Event(
                source="bench",
                source_id=f"screening-{i}",
                child=child,
                agency=involvement.agency,
                type=kind,
                outcome=outcome,
                setting="emergency-department" if kind == "attendance" else "",
                occurred_on=today - dt.timedelta(days=rng.randrange(3 * 365)),
                recorded_at=timezone.now(),
            )
        )
    Event.objects.bulk_create(events, batch_size=2000)
    for _ in range(WARM_UP):
        alerts_sync([child.pk])
    times = []
    report.loadavg("before incremental screening")
    for _ in range(count):
        started = time.perf_counter()
        alerts_sync([child.pk])
        times.append((time.perf_counter() - started) * 1000)
    report.loadavg("after incremental screening")
    times.sort()
    p95 = percentile(times, 95)
    report.note(
        f"Incremental screening: child {child.ref} with {Event.objects.filter(child=child).count():,} events,"
        " "
        f"`alerts_sync([id])` {count} times: p50 {percentile(times, 50):.1f} ms, p95 {p95:.1f} ms, "
        f"max {times[-1]:.1f} ms."
    )
    report.add(
        Figure(
            "screening",
            "incremental: one child with 1,000 events, `alerts_sync([id])` p95",
            f"{p95:.1f} ms (p50 {percentile(times, 50):.1f})",
            f"≤ {INCREMENTAL_P95_MS:.0f} ms",
            p95 <= INCREMENTAL_P95_MS,
        )
    )


def batch_suite(report: SuiteReport, database: Path, breakdown: bool) -> dict[str, Any] | None:
    env = use_database(database)
    report.loadavg("before `lantern screen`")
    with open(os.devnull, "w") as devnull:
        step, _ = child_step(
            f"`lantern screen --as-of {AS_OF} --format json`",
            ["-m", "lantern.cli", "screen", "--as-of", AS_OF.isoformat(), "--format", "json"],
            env,
            stdout=devnull,
        )
    report.loadavg("after `lantern screen`")
    report.steps.append(step)
    report.add(
        *[
            Figure(
                "screening",
                f"batch `lantern screen` over {report.children:,} children: time",
                f"{step.seconds:,.1f} s",
                f"≤ {BATCH_SECONDS:.0f} s",
                step.seconds <= BATCH_SECONDS,
            ),
            Figure(
                "screening",
                "batch: peak memory",
                f"{step.peak_rss_mib:,.0f} MiB",
                f"≤ {BATCH_MIB:,.0f} MiB",
                step.peak_rss_mib <= BATCH_MIB,
            ),
        ]
    )
    if not breakdown:
        return None
    step, result = child_step(
        "the same, timed by part (facts queries, each rule)",
        ["-m", "benchmarks.children", "screen", AS_OF.isoformat()],
        env,
    )
    report.steps.append(step)
    parts = ", ".join(f"`{k}` {v:,.1f} s" for k, v in sorted(result["facts_seconds"].items()))
    rules = sorted(result["rule_seconds"].items(), key=lambda kv: -kv[1])
    report.note(f"Batch screening, facts loading: {parts}.")
    matched = result.get("matched", {})
    report.note(
        "Batch screening, children matched: "
        + ", ".join(f"`{k}` {v:,}" for k, v in sorted(matched.items(), key=lambda kv: -kv[1]))
        + "."
    )
    report.note(
        "Batch screening, rules (total "
        f"{sum(v for _, v in rules):,.1f} s): " + ", ".join(f"`{k}` {v:,.2f} s" for k, v in rules) + "."
    )
    return dict(result)


def counted_suite(report: SuiteReport, database: Path) -> dict[str, Any]:
    """The counting rules alone for every child, 5 times in a child process (``engine.counted_findings``)."""
    env = use_database(database)
    report.loadavg("before the counting rules alone")
    step, result = child_step(
        "the counting rules alone for every child, 5 times (`engine.counted_findings`)",
        ["-m", "benchmarks.children", "counted", AS_OF.isoformat()],
        env,
    )
    report.loadavg("after the counting rules alone")
    report.steps.append(step)
    runs = ", ".join(f"{s * 1000:,.0f}" for s in result["seconds"])
    best = min(range(len(result["seconds"])), key=lambda i: result["seconds"][i])
    rules = ", ".join(f"`{k}` {v * 1000:,.0f} ms" for k, v in result["rule_seconds"][best].items())
    report.note(
        f"The counting rules alone (`engine.counted_findings` over {result['children']:,} children: the "
        f"query finding the children who match, their facts and each rule's `check`, for each rule): "
        f"{runs} ms in 5 runs; the best: {rules}; children found: "
        + ", ".join(f"`{k}` {len(v):,}" for k, v in result["found"].items())
        + "."
    )
    return dict(result)


DUCKDB_ALERTS = """
    WITH missed AS (
        SELECT child_id, child, ref, count(*) OVER (PARTITION BY child_id) AS n
        FROM events
        WHERE type = 'appointment' AND outcome = 'was-not-brought'
          AND occurred_on BETWEEN DATE '{as_of}' - INTERVAL 179 DAYS AND DATE '{as_of}'
    ), on_plan AS (
        SELECT child_id FROM plans
        WHERE type = 'child-protection' AND started_on <= DATE '{as_of}'
          AND (ended_on IS NULL OR ended_on > DATE '{as_of}')
    ), attended AS (
        SELECT child_id, child, ref, count(*) OVER (PARTITION BY child_id) AS n
        FROM events
        WHERE type = 'attendance'
          AND occurred_on BETWEEN DATE '{as_of}' - INTERVAL 364 DAYS AND DATE '{as_of}'
    )
    SELECT 'was-not-brought', child, max(n), list(ref ORDER BY ref) FROM missed
    WHERE n >= 2 OR child_id IN (SELECT child_id FROM on_plan) GROUP BY child
    UNION ALL
    SELECT 'repeated-ae-attendance', child, max(n), list(ref ORDER BY ref) FROM attended
    WHERE n >= 3 GROUP BY child
"""

DUCKDB_COUNTS = """
    WITH wnb AS (
        SELECT child_id, count(*) OVER (
            PARTITION BY child_id ORDER BY occurred_on
            RANGE BETWEEN INTERVAL 179 DAYS PRECEDING AND CURRENT ROW) AS n
        FROM events
        WHERE type = 'appointment' AND outcome = 'was-not-brought'
          AND occurred_on BETWEEN DATE '{as_of}' - INTERVAL 179 DAYS AND DATE '{as_of}'
    ), ae AS (
        SELECT child_id, count(*) OVER (
            PARTITION BY child_id ORDER BY occurred_on
            RANGE BETWEEN INTERVAL 364 DAYS PRECEDING AND CURRENT ROW) AS n
        FROM events
        WHERE type = 'attendance'
          AND occurred_on BETWEEN DATE '{as_of}' - INTERVAL 364 DAYS AND DATE '{as_of}'
    )
    SELECT 'was-not-brought', count(DISTINCT child_id) FROM wnb WHERE n >= 2
    UNION ALL
    SELECT 'repeated-ae-attendance', count(DISTINCT child_id) FROM ae WHERE n >= 3
"""


def duckdb_best(db: Any, query: str, runs: int = 5) -> tuple[float, float, list[Any]]:
    """Best and median of ``runs`` (after one to warm up), and the rows."""
    db.execute(query).fetchall()
    times = []
    rows: list[Any] = []
    for _ in range(runs):
        started = time.perf_counter()
        rows = db.execute(query).fetchall()
        times.append(time.perf_counter() - started)
    return min(times), sorted(times)[len(times) // 2], rows


def duckdb_suite(
    report: SuiteReport, database: Path, lantern: dict[str, Any] | None, counted: dict[str, Any] | None
) -> None:
    """DuckDB over the same rows: the appointments and attendances that the rules read (current, on or
    before the screening date) with the child's and the event's references, and the plans' children."""
    import duckdb

    started = time.perf_counter()
    exported = database.with_suffix(".events.csv")
    plans_file = database.with_suffix(".plans.csv")
    with sqlite3.connect(database) as connection:
        with open(exported, "w", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["child_id", "child", "ref", "type", "occurred_on", "outcome"])
            cursor = connection.execute(
                "SELECT e.child_id, p.source || ':' || p.source_id, e.source || ':' || e.source_id, e.type, "
                "e.occurred_on, e.outcome FROM chronology_event e JOIN people_person p ON p.id = e.child_id "
                "WHERE e.is_current AND e.type IN ('appointment', 'attendance') AND e.occurred_on <= ?",
                (AS_OF.isoformat(),),
            )
            rows = 0
            while batch := cursor.fetchmany(50_000):
                writer.writerows(batch)
                rows += len(batch)
        with open(plans_file, "w", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["child_id", "type", "started_on", "ended_on"])
            writer.writerows(
                connection.execute(
                    "SELECT c.person_id, p.type, p.started_on, p.ended_on FROM casework_plan_children c "
                    "JOIN casework_plan p ON p.id = c.plan_id"
                )
            )
        all_rows = connection.execute("SELECT count(*) FROM chronology_event").fetchone()[0]
    export = time.perf_counter() - started
    db = duckdb.connect()
    started = time.perf_counter()
    db.execute(
        "CREATE TABLE events AS SELECT * FROM read_csv(?, header = true, columns = {'child_id': 'BIGINT', "
        "'child': 'VARCHAR', 'ref': 'VARCHAR', 'type': 'VARCHAR', 'occurred_on': 'DATE', "
        "'outcome': 'VARCHAR'})",
        [str(exported)],
    )
    db.execute(
        "CREATE TABLE plans AS SELECT * FROM read_csv(?, header = true, columns = {'child_id': 'BIGINT', "
        "'type': 'VARCHAR', 'started_on': 'DATE', 'ended_on': 'DATE'})",
        [str(plans_file)],
    )
    load = time.perf_counter() - started
    as_of = AS_OF.isoformat()
    counts, counts_median, counted_rows = duckdb_best(db, DUCKDB_COUNTS.format(as_of=as_of))
    alerts, alerts_median, alert_rows = duckdb_best(db, DUCKDB_ALERTS.format(as_of=as_of))
    duck_found: dict[str, dict[str, tuple[str, ...]]] = {}
    for rule, child, _, refs in alert_rows:
        duck_found.setdefault(rule, {})[child] = tuple(refs)
    report.note(
        f"DuckDB {duckdb.__version__}: {rows:,} appointment and attendance rows of {all_rows:,} events, "
        f"exported to CSV in {export:,.1f} s and loaded in {load:,.2f} s. Best of 5 (median): the issue's "
        f"query, children counted only, {counts * 1000:,.1f} ms ({counts_median * 1000:,.1f} ms), "
        f"{dict(counted_rows)}; the same alerts as Lantern's (each child with its count and evidence, "
        f"and one missed appointment on an open child protection plan), {alerts * 1000:,.1f} ms "
        f"({alerts_median * 1000:,.1f} ms), "
        + ", ".join(f"`{k}` {len(v):,}" for k, v in duck_found.items())
        + "."
    )
    if counted is not None:
        ours = {
            code: {child: tuple(refs) for child, refs in found.items()}
            for code, found in counted["found"].items()
        }
        same = ours == duck_found
        report.add(
            Figure(
                "screening",
                "the counting rules' alerts (children and evidence) are DuckDB's",
                "yes" if same else "**no**",
                "the same",
                same,
            )
        )
        best = min(counted["seconds"])
        report.add(
            Figure(
                "screening",
                "`was-not-brought` + `repeated-ae-attendance` for every child, Lantern ÷ DuckDB "
                "(best of 5 each)",
                f"{best / alerts:,.1f}x (Lantern {best * 1000:,.0f} ms: each rule's query, its children's "
                f"facts and `check`; DuckDB {alerts * 1000:,.1f} ms for the same alerts)",
                f"≤ {DUCKDB_RATIO:.0f}x",
                best / alerts <= DUCKDB_RATIO,
            ),
            Figure(
                "screening",
                "the same against the issue's DuckDB query (children counted, no evidence, no plans)",
                f"{best / counts:,.1f}x (DuckDB {counts * 1000:,.1f} ms)",
                f"≤ {DUCKDB_RATIO:.0f}x",
                best / counts <= DUCKDB_RATIO,
            ),
        )
    if lantern is not None:
        rule_seconds = lantern["rule_seconds"]
        two = rule_seconds.get("was-not-brought", 0.0) + rule_seconds.get("repeated-ae-attendance", 0.0)
        whole = float(lantern["facts_seconds"].get("counted_findings (all)", two))
        report.add(
            Figure(
                "screening",
                "the same within the batch `lantern screen` (one run, the timed one)",
                f"{whole / alerts:,.1f}x (Lantern {whole * 1000:,.0f} ms, of which the two rules "
                f"{two * 1000:,.0f} ms)",
                "",
                None,
            )
        )


# -- the report ------------------------------------------------------------------------------------------


def markdown(report: SuiteReport, machine: dict[str, str]) -> str:
    lines = [f"## Suites: {report.children:,} children, SQLite", ""]
    lines += ["| machine | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in machine.items()]
    lines += ["", "Load average (1 minute): " + "; ".join(report.load) + "."]
    if report.steps:
        lines += ["", "| step | wall time | peak memory (RSS) | |", "|---|---:|---:|---|"]
        for s in report.steps:
            peak = f"{s.peak_rss_mib:,.0f} MiB" if s.peak_rss_mib else "n/a"
            lines.append(f"| {s.name} | {s.seconds:,.1f} s | {peak} | {s.detail} |")
    lines += ["", "| suite | what | measured | target | met |", "|---|---|---|---|---|"]
    for f in report.figures:
        met = "" if f.met is None else ("yes" if f.met else "**no**")
        lines.append(f"| {f.suite} | {f.what} | {f.measured} | {f.target} | {met} |")
    if report.timings:
        lines += ["", "| viewer | request | n | p50 ms | p95 ms | p99 ms | max ms | queries |"]
        lines.append("|---|---|---:|---:|---:|---:|---:|---:|")
        for t in report.timings:
            lines.append(
                f"| {t.viewer} | {t.request} | {t.count} | {t.p50} | {t.p95} | {t.p99} | {t.max} "
                f"| {t.queries} |"
            )
    if report.notes:
        lines += [""] + [f"* {n}" for n in report.notes]
    return "\n".join(lines) + "\n"


def run_suites(
    suites: set[str],
    *,
    children: int,
    import_sizes: list[int],
    seed: int,
    requests: int,
    history_years: int = 2,
    fhir_resources_count: int,
    breakdown: bool,
    machine: dict[str, str],
) -> None:
    import django

    report = SuiteReport(children)
    if "import" in suites:
        import_suite(report, sorted(set(import_sizes) | {children}), seed, history_years)
    database = case_database(children)
    if not database.exists():
        raise SystemExit(f"benchmark: no {database}: run with --suite import first")
    lantern_batch = None
    if "screening" in suites:  # first, on the database as imported (it writes nothing)
        # The code may have moved on since the database was made (an index, for example).
        report.steps.append(
            child_step(
                "migrate", ["-m", "lantern.cli", "migrate", "--no-input", "-v", "0"], use_database(database)
            )[0]
        )
        lantern_batch = batch_suite(report, database, breakdown)
        lantern_counted = counted_suite(report, database)
        duckdb_suite(report, database, lantern_batch, lantern_counted)
    if suites & {"chronology", "fhir", "screening"}:
        use_database(scratch_copy(database))
        django.setup()
        if "chronology" in suites:
            chronology_suite(report, requests, seed)
        if "fhir" in suites:
            fhir_suite(report, fhir_resources_count, seed)
        if "screening" in suites:
            incremental_suite(report, seed)
    text = markdown(report, machine)
    print()
    print(text)
    name = "-".join(sorted(suites))
    out = BENCH_DIR / f"suites-{name}-{children}.md"
    out.write_text(text, encoding="utf-8")
    print(f"(written to {out.relative_to(ROOT)})")
