"""``make bench``: generate a synthetic area, import it, and time search and the child overview.

    python -m benchmarks.run                      # 300,000 children into var/bench.sqlite3 (fresh)
    python -m benchmarks.run --children 20000     # a quick check
    python -m benchmarks.run --reuse              # time the pages again on the database already there
    DATABASE_URL=postgres://…/lantern_bench python -m benchmarks.run --postgres

Steps: ``lantern generate --people-only`` and ``lantern migrate`` and ``lantern import`` run as child
processes (their wall time and peak resident memory, from ``wait4``'s rusage, are reported); then, in
this process, Django's test ``Client`` signs in (``force_login``) as a social worker with a median
caseload and as a senior manager of children's social care, and requests search pages (full family
name; given and family name; date of birth; NHS number) and the overview page of children each may see.
Each request is timed whole: middleware, session, queries, the access log row and the template.

Prints Markdown tables (the figures for docs/performance.md) and writes them as JSON under var/bench/.
The targets are a search p95 of 100 ms and a child overview p95 of 150 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var"
BENCH_DIR = VAR / "bench"
SEARCH_P95_MS = 100.0
OVERVIEW_P95_MS = 150.0
WARM_UP = 5


@dataclass
class Step:
    name: str
    seconds: float
    peak_rss_mib: float
    detail: str = ""


@dataclass
class Timing:
    viewer: str
    request: str
    count: int
    p50: float
    p95: float
    p99: float
    max: float
    queries: int
    target: float
    failures: int = 0

    @property
    def met(self) -> bool:
        return self.p95 <= self.target and not self.failures


@dataclass
class Report:
    machine: dict[str, str]
    database: str
    children: int
    seed: int
    steps: list[Step] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    timings: list[Timing] = field(default_factory=list)
    viewers: dict[str, str] = field(default_factory=dict)
    plans: list[str] = field(default_factory=list)


# -- the machine --------------------------------------------------------------------------------------


def machine(database_url: str) -> dict[str, str]:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    info = {
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }
    if database_url.startswith("postgres"):
        import psycopg

        with psycopg.connect(database_url) as connection:
            row = connection.execute("SHOW server_version").fetchone()
            info["postgresql"] = str(row[0]) if row else "unknown"
    return info


# -- the steps run as child processes ----------------------------------------------------------------


def run_step(name: str, argv: list[str], env: dict[str, str]) -> Step:
    """Run ``lantern …`` in a child process: its wall time and peak resident memory (rusage)."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "lantern.cli", *argv], env=env, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"benchmark: `lantern {' '.join(argv)}` failed (exit {process.returncode})")
    return Step(name, elapsed, usage.ru_maxrss / 1024)  # Linux reports kibibytes


def on_server(url: str) -> Any:
    """A connection to the server's ``postgres`` database, for what cannot run inside the one it names."""
    import psycopg

    return psycopg.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")), autocommit=True)


def fresh_database(url: str) -> None:
    """Remove the SQLite file, or empty the PostgreSQL database (only one whose name says bench; made
    if it is not there yet)."""
    if url.startswith("sqlite"):
        path = Path(urlsplit(url).path)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    name = urlsplit(url).path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(
            f"benchmark: will not empty the PostgreSQL database {name!r}: use one whose name contains "
            "'bench', or --reuse"
        )
    import psycopg

    with on_server(url) as server:
        if server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            server.execute(f'CREATE DATABASE "{name}"')
            return
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")


def database_size(url: str) -> int:
    if url.startswith("sqlite"):
        path = Path(urlsplit(url).path)
        return sum(Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists())
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        row = cursor.fetchone()
    return int(row[0]) if row else 0


# -- in-process timings ---------------------------------------------------------------------------------


def percentile(sorted_ms: list[float], p: float) -> float:
    if len(sorted_ms) == 1:
        return sorted_ms[0]
    return statistics.quantiles(sorted_ms, n=100, method="inclusive")[round(p) - 1]


def measure(
    viewer_label: str,
    request: str,
    urls: list[str],
    get: Callable[[str], int],
    target: float,
    count_queries: Callable[[str], tuple[int, str, float]],
) -> tuple[Timing, tuple[str, float]]:
    for url in urls[:WARM_UP]:
        get(url)
    times: list[float] = []
    failures = 0
    for url in urls:
        started = time.perf_counter()
        status = get(url)
        times.append((time.perf_counter() - started) * 1000)
        failures += status != 200
    queries, slowest_sql, slowest_ms = count_queries(urls[0])
    times.sort()
    timing = Timing(
        viewer_label,
        request,
        len(times),
        round(percentile(times, 50), 1),
        round(percentile(times, 95), 1),
        round(percentile(times, 99), 1),
        round(times[-1], 1),
        queries,
        target,
        failures,
    )
    return timing, (slowest_sql, slowest_ms)


def time_pages(report: Report, url: str, requests: int, seed: int, explain: bool) -> None:
    from django.db import connection
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from lantern.agencies.models import Professional, Role
    from lantern.agencies.selectors import involvements_current
    from lantern.people.models import Person
    from lantern.people.selectors import children_of_professional
    from lantern.web.testing import BrowserClient

    rng = random.Random(seed)
    current = involvements_current()
    workers = list(
        Professional.objects.filter(profession="social-worker", role=Role.PRACTITIONER, is_active=True)
        .annotate(caseload=Count("involvements", filter=Q(involvements__in=current)))
        .order_by("caseload", "pk")
    )
    if not workers:
        raise SystemExit("benchmark: the database has no social workers: was it made by `lantern generate`?")
    practitioner = workers[len(workers) // 2]
    senior = (
        Professional.objects.filter(role=Role.SENIOR_MANAGER, agency__type="social-care", is_active=True)
        .order_by("pk")
        .first()
    )
    if senior is None:
        raise SystemExit("benchmark: the database has no senior manager in children's social care")

    born = list(Person.objects.children().filter(date_of_birth__isnull=False).values_list("pk", flat=True))
    sample = list(
        Person.objects.filter(pk__in=rng.sample(born, min(len(born), requests))).values_list(
            "given_name", "family_name", "date_of_birth", "nhs_number"
        )
    )
    rng.shuffle(sample)
    while len(sample) < requests:
        sample += sample
    sample = sample[:requests]

    def search_urls(make: Callable[[tuple[Any, ...]], str]) -> list[str]:
        return ["/search/?" + urlencode({"q": make(row)}) for row in sample]

    searches = {
        "search: family name": search_urls(lambda r: r[1]),
        "search: given and family name": search_urls(lambda r: f"{r[0]} {r[1]}"),
        "search: date of birth": search_urls(lambda r: r[2].strftime("%d/%m/%Y")),
        "search: NHS number": search_urls(lambda r: f"{r[3][:3]} {r[3][3:6]} {r[3][6:]}"),
    }

    for label, viewer in (("social worker", practitioner), ("senior manager", senior)):
        visible = list(children_of_professional(viewer=viewer).values_list("source", "source_id"))
        personal = current.filter(professional=viewer).count()
        report.viewers[label] = (
            f"{viewer.name} ({viewer.profession}, {viewer.get_role_display()}): "
            f"{personal:,} children allocated personally, {len(visible):,} visible"
        )
        # Signed in completely: a senior manager's second factor taken as given (lantern.web.testing).
        client = BrowserClient(SERVER_NAME="localhost")
        client.force_login(viewer)

        def get(path: str, client: Client = client) -> int:
            return client.get(path).status_code

        def count_queries(path: str, client: Client = client) -> tuple[int, str, float]:
            with CaptureQueriesContext(connection) as captured:
                client.get(path)
            selects = [q for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
            slowest = max(selects or captured.captured_queries, key=lambda q: float(q["time"]))
            return len(captured.captured_queries), slowest["sql"], float(slowest["time"]) * 1000

        kinds = dict(searches)
        if visible:
            picked = [visible[rng.randrange(len(visible))] for _ in range(requests)]
            kinds["child overview"] = [f"/children/{source}:{ref}/" for source, ref in picked]
        for request, urls in kinds.items():
            target = OVERVIEW_P95_MS if request == "child overview" else SEARCH_P95_MS
            timing, (sql, ms) = measure(label, request, urls, get, target, count_queries)
            report.timings.append(timing)
            print(f"  {label:15} {request:32} p50 {timing.p50:6.1f} ms  p95 {timing.p95:6.1f} ms", flush=True)
            if explain and sql.lstrip().upper().startswith("SELECT"):
                report.plans.append(explain_query(label, request, sql, ms))


def explain_query(viewer: str, request: str, sql: str, ms: float) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            depth: dict[int, int] = {0: -1}
            lines = []
            for node, parent, _, detail in cursor.fetchall():
                depth[node] = depth.get(parent, -1) + 1
                lines.append("  " * depth[node] + detail)
            plan = "\n".join(lines)
        else:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
    return f"### {viewer}, {request}: slowest query {ms:.1f} ms\n\n```sql\n{sql}\n```\n\n```\n{plan}\n```\n"


# -- the report ---------------------------------------------------------------------------------------------


def markdown(report: Report) -> str:
    lines = [f"## {report.children:,} children, {report.database}", ""]
    lines += ["| machine | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in report.machine.items()]
    lines += ["", "| step | wall time | peak memory (RSS) | |", "|---|---:|---:|---|"]
    for s in report.steps:
        peak = f"{s.peak_rss_mib:,.0f} MiB" if s.peak_rss_mib else "n/a"
        lines.append(f"| {s.name} | {s.seconds:,.1f} s | {peak} | {s.detail} |")
    if report.rows:
        lines += ["", "| rows | |", "|---|---:|"] + [f"| {k} | {v:,} |" for k, v in report.rows.items()]
    lines += ["", "Viewers:", ""] + [f"* {k}: {v}" for k, v in report.viewers.items()]
    lines += [
        "",
        "| viewer | request | n | p50 ms | p95 ms | p99 ms | max ms | queries | p95 target | met |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for t in report.timings:
        met = "yes" if t.met else ("**no**" + (f" ({t.failures} failed)" if t.failures else ""))
        lines.append(
            f"| {t.viewer} | {t.request} | {t.count} | {t.p50} | {t.p95} | {t.p99} | {t.max} | {t.queries} "
            f"| {t.target:.0f} | {met} |"
        )
    if report.plans:
        lines += ["", *report.plans]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--children", type=int, default=300_000, help="Children to generate (default 300,000)"
    )
    parser.add_argument("--seed", type=int, default=1, help="Seed for the population and the samples")
    parser.add_argument("--requests", type=int, default=200, help="Timed requests of each kind (default 200)")
    parser.add_argument(
        "--reuse", action="store_true", help="Keep the database already there: time the pages only"
    )
    parser.add_argument(
        "--postgres", action="store_true", help="Use DATABASE_URL (postgres://…) instead of SQLite"
    )
    parser.add_argument(
        "--database",
        type=Path,
        default=VAR / "bench.sqlite3",
        help="The SQLite file (default var/bench.sqlite3)",
    )
    parser.add_argument(
        "--explain", action="store_true", help="Print the query plan of each request's slowest query"
    )
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="Run ANALYZE (planner statistics) before timing; import does not",
    )
    parser.add_argument(
        "--suite",
        choices=["pages", "import", "chronology", "fhir", "screening", "audit", "crash", "load", "all"],
        action="append",
        help="What to measure (repeatable; default pages): pages (search and overview, people only); import "
        "(a whole case bundle into var/bench/case-<children>.sqlite3); chronology, fhir and screening (on "
        "that database or a copy of it); all (import, chronology, fhir, screening)",
    )
    parser.add_argument(
        "--import-sizes",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[],
        help="More populations for the import suite, comma-separated (memory against file size)",
    )
    parser.add_argument(
        "--history-years",
        type=int,
        default=2,
        help="Years of chronology the import suite generates (default 2; 12 gives about a million events "
        "for 90,000 children)",
    )
    parser.add_argument(
        "--fhir-resources", type=int, default=100_000, help="Resources in the FHIR batch (default 100,000)"
    )
    parser.add_argument(
        "--no-breakdown",
        action="store_true",
        help="Screening: skip the second batch run that times each query and rule",
    )
    parser.add_argument(
        "--audit-rows", type=int, default=10_000_000, help="Audit suite: access-log rows (default 10 million)"
    )
    parser.add_argument("--crash-kills", type=int, default=25, help="Crash drill: kill -9 this often (25)")
    parser.add_argument(
        "--crash-children", type=int, default=500, help="Crash drill: children in the bundle (500)"
    )
    parser.add_argument(
        "--crash-fhir-kills", type=int, default=20, help="Crash drill: kill -9 during the FHIR ingest (20)"
    )
    parser.add_argument(
        "--crash-fhir-resources",
        type=int,
        default=1000,
        help="Crash drill: resources in the FHIR bundle (1,000)",
    )
    parser.add_argument("--load-users", type=int, default=50, help="Load suite: concurrent users (50)")
    parser.add_argument("--load-seconds", type=float, default=60, help="Load suite: how long (60 s)")
    parser.add_argument(
        "--load-workers",
        type=int,
        default=5,
        help="Load suite: gunicorn worker processes (5; 4 threads each)",
    )
    parser.add_argument(
        "--load-think", type=float, default=1.0, help="Load suite: mean pause between a user's requests (1 s)"
    )
    args = parser.parse_args(argv)
    suites = set(args.suite or ["pages"])
    if "load" in suites:  # concurrent users against gunicorn on PostgreSQL (benchmarks/load.py)
        from benchmarks.load import load_suite

        if not args.postgres:
            raise SystemExit("benchmark: the load suite runs on PostgreSQL: add --postgres and DATABASE_URL")
        text = load_suite(url=os.environ.get("DATABASE_URL", ""), children=args.children, seed=args.seed,
                          users=args.load_users, seconds=args.load_seconds, workers=args.load_workers,
                          think=args.load_think, reuse=args.reuse, machine=machine)  # fmt: skip
        name = f"load-{args.load_users}-users-{args.load_seconds:.0f}s.md"
        (BENCH_DIR / name).write_text(text, encoding="utf-8")
        print(f"(written to var/bench/{name})")
        suites.discard("load")
        if not suites:
            return
    if "crash" in suites:  # kill -9 during `lantern import` (benchmarks/crash.py)
        from benchmarks.crash import crash_suite

        text = crash_suite(children=args.crash_children, kills=args.crash_kills,
                           fhir_kills=args.crash_fhir_kills, fhir_resources=args.crash_fhir_resources,
                           seed=args.seed, workdir=BENCH_DIR / "crash", machine=machine("sqlite"),
                           )  # fmt: skip
        (BENCH_DIR / f"crash-{args.crash_children}.md").write_text(text, encoding="utf-8")
        suites.discard("crash")
        if not suites:
            return
    if (
        "audit" in suites
    ):  # its own database; "who viewed this child between these dates" (benchmarks/audit.py)
        from benchmarks.audit import audit_suite

        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        audit_suite(rows=args.audit_rows, children=args.children // 15, professionals=2_000,
                    requests=args.requests, seed=args.seed, postgres=args.postgres, reuse=args.reuse,
                    machine=machine(os.environ.get("DATABASE_URL", "") if args.postgres
                                    else "sqlite"))  # fmt: skip
        suites.discard("audit")
        if not suites:
            return
    if "all" in suites:
        suites = (suites - {"all"}) | {"import", "chronology", "fhir", "screening"}
    if suites != {"pages"}:
        from benchmarks.suites import run_suites

        if args.postgres:
            raise SystemExit("benchmark: the import, chronology, fhir and screening suites use SQLite only")
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        run_suites(
            suites - {"pages"},
            children=args.children,
            import_sizes=args.import_sizes,
            history_years=args.history_years,
            seed=args.seed,
            requests=args.requests,
            fhir_resources_count=args.fhir_resources,
            breakdown=not args.no_breakdown,
            machine=machine("sqlite"),
        )
        if "pages" not in suites:
            return

    if args.postgres:
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith(("postgres://", "postgresql://")):
            raise SystemExit(
                "benchmark: --postgres needs DATABASE_URL=postgres://user:password@host/lantern_bench"
            )
        label = "PostgreSQL"
    else:
        url = f"sqlite:///{args.database.resolve()}"
        label = "SQLite"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "lantern.config.settings"}
    os.environ.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "lantern.config.settings"})
    report = Report(machine(url), label, args.children, args.seed)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    bundle = BENCH_DIR / f"people-{args.children}-seed{args.seed}.json"

    if not args.reuse:
        print(f"benchmark: {args.children:,} children into {label} ({url})", flush=True)
        fresh_database(url)
        generate = ["generate", "--children", str(args.children), "--seed", str(args.seed)]
        step = run_step("generate (people only)", [*generate, "--people-only", "--out", str(bundle)], env)
        step.detail = f"{bundle.stat().st_size / 2**20:,.0f} MiB of JSON"
        report.steps.append(step)
        report.steps.append(run_step("migrate (empty database)", ["migrate", "--no-input", "-v", "0"], env))
        report.steps.append(run_step("import", ["import", str(bundle)], env))
    else:  # the code may have moved on since the database was made
        report.steps.append(run_step("migrate (reused database)", ["migrate", "--no-input", "-v", "0"], env))

    import django

    django.setup()
    from lantern.agencies.models import Involvement, Professional
    from lantern.people.models import Household, Person, Relationship

    report.rows = {
        "children": Person.objects.children().count(),
        "adults": Person.objects.adults().count(),
        "relationships": Relationship.objects.count(),
        "households": Household.objects.count(),
        "involvements": Involvement.objects.count(),
        "professionals": Professional.objects.count(),
    }
    if not report.rows["children"]:
        raise SystemExit("benchmark: the database is empty: run without --reuse first")
    report.rows["database size, MiB"] = round(database_size(url) / 2**20)
    if args.analyze:
        from django.db import connection

        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        report.steps.append(Step("ANALYZE", time.perf_counter() - started, 0.0, "in this process"))
    report.machine["planner statistics"] = (
        "ANALYZE run before timing" if args.analyze else "as the import left them"
    )
    print("benchmark: timing pages", flush=True)
    before = os.getloadavg()[0]
    time_pages(report, url, args.requests, args.seed, args.explain)
    # Other work on the machine shows in the tail of the figures: say how busy it was.
    report.machine["load average (1 min) before / after timing"] = f"{before:.2f} / {os.getloadavg()[0]:.2f}"

    text = markdown(report)
    print()
    print(text)
    out = BENCH_DIR / f"results-{label.lower()}-{args.children}.json"
    out.write_text(json.dumps(asdict(report), indent=1, default=str) + "\n", encoding="utf-8")
    (BENCH_DIR / f"results-{label.lower()}-{args.children}.md").write_text(text, encoding="utf-8")
    print(f"(written to {out.relative_to(ROOT)} and .md)")


if __name__ == "__main__":
    main()
