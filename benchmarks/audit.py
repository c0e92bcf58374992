"""The audit suite (``make bench BENCH_ARGS="--suite audit"``): "who viewed this child between these dates"
from an access log of 10 million rows.

A fresh database (``var/bench/audit-<rows>.sqlite3``, or DATABASE_URL with ``--postgres``) is migrated, given
children and professionals, and loaded with access-log rows by the fast bulk path: the log's indexes are
dropped, rows are made by the database itself in chunks of 500,000 (a recursive CTE on SQLite,
``generate_series`` on PostgreSQL), and the indexes built again once, sorted, then ANALYZE. Rows are in
time order over three years, as an append-only log is; each child's share is skewed (the product of two
uniform numbers), so a few children have thousands of rows, as a child known to many services has.

Timed, in this process: ``child_viewers`` (core/selectors.py) for random children over windows of 30, 90
and 365 days, the same for the children with most rows, and the whole "who has viewed" page with a date
range (an auditor, Django's test client: middleware, session, the count, the first 50 rows, the log row).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Max, Min

from benchmarks.run import BENCH_DIR, ROOT, Step, Timing, fresh_database, percentile, run_step

CHUNK = 500_000
VIEWERS_P95_MS = 50.0
PAGE_P95_MS = 150.0
START = dt.datetime(2023, 11, 1, tzinfo=dt.UTC)
SPAN_DAYS = 3 * 365
INDEXES = ("accesslog_child_at_who", "accesslog_professional_at", "core_accesslogentry_at_")


def _log_indexes(cursor: Any, vendor: str) -> list[tuple[str, str]]:
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'core_accesslogentry'"
        )
    else:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'core_accesslogentry'")
    return [(name, sql) for name, sql in cursor.fetchall() if sql and name.startswith(INDEXES)]


def _insert_sql(vendor: str) -> str:
    """Rows ``%(first)s`` to ``%(last)s``: time order, skewed children, a child's few usual viewers."""
    if vendor == "sqlite":
        return """
WITH RECURSIVE n(i) AS (SELECT %(first)s UNION ALL SELECT i + 1 FROM n WHERE i < %(last)s),
picked(i, c, r) AS (
  SELECT i,
         CAST(%(children)s * ((abs(random()) %% 1000000) / 1e6) * ((abs(random()) %% 1000000) / 1e6)
              AS INTEGER),
         abs(random()) %% 100 FROM n)
INSERT INTO core_accesslogentry (at, professional_id, child_id, action, page, path, detail)
SELECT strftime('%%Y-%%m-%%d %%H:%%M:%%f', %(julian0)s + i * %(step)s),
       %(p0)s + CASE WHEN r < 90 THEN (c * 13 + r %% 6) %% %(professionals)s
                     ELSE abs(random()) %% %(professionals)s END,
       %(c0)s + c,
       CASE WHEN r < 4 THEN 'refused' WHEN r < 7 THEN 'export' WHEN r < 15 THEN 'record' ELSE 'view' END,
       'child-overview', '', ''
FROM picked"""
    return """
INSERT INTO core_accesslogentry (at, professional_id, child_id, action, page, path, detail)
SELECT %(t0)s::timestamptz + i * make_interval(secs => %(seconds)s),
       %(p0)s + CASE WHEN r < 90 THEN (c * 13 + r %% 6) %% %(professionals)s
                     ELSE floor(random() * %(professionals)s)::int END,
       %(c0)s + c,
       CASE WHEN r < 4 THEN 'refused' WHEN r < 7 THEN 'export' WHEN r < 15 THEN 'record' ELSE 'view' END,
       'child-overview', '', ''
FROM (SELECT i, floor(%(children)s * random() * random())::int AS c, floor(random() * 100)::int AS r
      FROM generate_series(%(first)s, %(last)s) AS i) AS picked"""


def _population(children: int, professionals: int) -> tuple[int, int, Any]:
    from lantern.agencies.models import Agency, Professional, Role
    from lantern.people.models import Person

    agency = Agency.objects.create(
        source="bench", source_id="audit", name="Children's Social Care", type="social-care"
    )
    Professional.objects.bulk_create(
        [
            Professional(username=f"audit{n}", name=f"Professional {n}", agency=agency, password="!")
            for n in range(professionals)
        ],
        batch_size=5000,
    )
    Person.objects.bulk_create(
        [
            Person(kind="child", source="bench", source_id=str(n), given_name="Child",
                   family_name=f"Bench{n}", date_of_birth=dt.date(2015, 1, 1) + dt.timedelta(days=n % 5000))
            for n in range(children)
        ],
        batch_size=5000,
    )  # fmt: skip
    auditor = Professional.objects.create(
        username="audit-auditor", name="Auditor", role=Role.AUDITOR, password="!"
    )
    p0 = Professional.objects.filter(username="audit0").values_list("pk", flat=True).get()
    c0 = Person.objects.filter(source="bench", source_id="0").values_list("pk", flat=True).get()
    return p0, c0, auditor


def load(rows: int, children: int, professionals: int) -> tuple[list[Step], Any]:
    from django.db import connection

    steps = []
    started = time.perf_counter()
    p0, c0, auditor = _population(children, professionals)
    steps.append(
        Step(f"{children:,} children, {professionals:,} professionals", time.perf_counter() - started, 0.0)
    )
    vendor = connection.vendor
    seconds = SPAN_DAYS * 86400 / rows
    params = {
        "children": children,
        "professionals": professionals,
        "p0": p0,
        "c0": c0,
        "julian0": START.timestamp() / 86400 + 2440587.5,  # as a Julian day
        "step": seconds / 86400,
        "t0": START.isoformat(),
        "seconds": seconds,
    }
    with connection.cursor() as cursor:
        indexes = _log_indexes(cursor, vendor)
        if vendor == "sqlite":
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB for the sorts of CREATE INDEX
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
        started = time.perf_counter()
        for first in range(0, rows, CHUNK):
            last = min(first + CHUNK, rows) - 1
            with connection.cursor() as chunk_cursor:
                chunk_cursor.execute(_insert_sql(vendor) % {**params, "first": first, "last": last})
            done = last + 1
            rate = done / (time.perf_counter() - started)
            print(f"\r  access log: {done:>12,} / {rows:,} rows ({rate:,.0f} rows/s)", end="", flush=True)
        print(flush=True)
        steps.append(Step(f"insert {rows:,} rows (indexes dropped)", time.perf_counter() - started, 0.0))
        for name, sql in indexes:
            started = time.perf_counter()
            print(f"  building {name}", flush=True)
            cursor.execute(sql)
            steps.append(Step(f"CREATE INDEX {name}", time.perf_counter() - started, 0.0))
        started = time.perf_counter()
        cursor.execute("ANALYZE")
        if vendor == "sqlite":  # the index builds went to the write-ahead log: into the database with them
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        steps.append(Step("ANALYZE (and a WAL checkpoint)", time.perf_counter() - started, 0.0))
    return steps, auditor


def _timing(label: str, request: str, times: list[float], target: float, queries: int = 0) -> Timing:
    times.sort()
    return Timing(
        label, request, len(times), round(percentile(times, 50), 2), round(percentile(times, 95), 2),
        round(percentile(times, 99), 2), round(times[-1], 2), queries, target,
    )  # fmt: skip


def viewers_sql(**window: Any) -> tuple[str, Any]:
    from lantern.core.models import AccessLogEntry
    from lantern.core.selectors import READS, access_log_of_child

    rows = access_log_of_child(**window).filter(action__in=READS).order_by().values("professional")
    grouped = rows.annotate(views=Count("*"), first_at=Min("at"), last_at=Max("at"))
    assert grouped.model is AccessLogEntry
    return grouped.query.sql_with_params()


def measure(requests: int, seed: int, auditor: Any) -> tuple[list[Timing], dict[str, str]]:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from lantern.core.models import AccessLogEntry
    from lantern.core.selectors import child_viewers
    from lantern.people.models import Person

    rng = random.Random(seed)
    children = list(Person.objects.filter(source="bench").values_list("pk", flat=True))
    busiest = list(
        AccessLogEntry.objects.filter(child__in=children[:50])
        .values("child").annotate(n=Count("*")).order_by("-n").values_list("child", "n")[:5]
    )  # fmt: skip
    facts = {"rows for the busiest child": f"{busiest[0][1]:,}", "children": f"{len(children):,}"}
    timings = []
    end_of_log = START + dt.timedelta(days=SPAN_DAYS)
    for label, pool in (("random child", children), ("busiest five children", [c for c, _ in busiest])):
        for days in (30, 90, 365):
            times = []
            for _ in range(5):  # warm up
                child_viewers(
                    child=Person(pk=rng.choice(pool)), since=START, until=START + dt.timedelta(days=days)
                )
            database_times = []
            for _ in range(requests):
                until = START + dt.timedelta(days=rng.uniform(days, SPAN_DAYS))
                since = until - dt.timedelta(days=days)
                child = Person(pk=rng.choice(pool))
                started = time.perf_counter()
                child_viewers(child=child, since=since, until=until)
                times.append((time.perf_counter() - started) * 1000)
                # The same grouped query alone, as SQL: what the index costs, without Django's Python.
                sql, params = viewers_sql(child=child, since=since, until=until)
                started = time.perf_counter()
                with connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    cursor.fetchall()
                database_times.append((time.perf_counter() - started) * 1000)
            timings.append(_timing(label, f"who viewed, {days} days", times, VIEWERS_P95_MS, 2))
            timings.append(_timing(label, f"who viewed, {days} days: the SQL alone", database_times, 10.0, 1))
            print(
                f"  {label:22} {days:3} days p50 {timings[-1].p50:7.2f} ms  p95 {timings[-1].p95:7.2f} ms",
                flush=True,
            )
    client = Client(SERVER_NAME="localhost")
    client.force_login(auditor)
    refs = dict(Person.objects.filter(pk__in=[c for c, _ in busiest]).values_list("pk", "source_id"))
    times = []
    failures = 0
    for n in range(requests + 5):
        child_pk = rng.choice(list(refs))
        until = (end_of_log - dt.timedelta(days=rng.uniform(0, SPAN_DAYS - 90))).astimezone(
            timezone.get_current_timezone()
        )
        query = urlencode(
            {
                "date_from": (until - dt.timedelta(days=90)).strftime("%d/%m/%Y"),
                "date_to": until.strftime("%d/%m/%Y"),
            }
        )
        started = time.perf_counter()
        status = client.get(f"/children/bench:{refs[child_pk]}/access-log/?{query}").status_code
        if n >= 5:
            times.append((time.perf_counter() - started) * 1000)
            failures += status != 200
    page = _timing("auditor", "who has viewed page, busiest children, 90 days", times, PAGE_P95_MS)
    page.failures = failures
    timings.append(page)
    print(f"  page: p50 {page.p50:.1f} ms  p95 {page.p95:.1f} ms ({failures} failed)", flush=True)
    since = START + dt.timedelta(days=400)
    plan_rows = (
        AccessLogEntry.objects.filter(child_id=busiest[0][0], at__gte=since)
        .filter(at__lt=since + dt.timedelta(days=90)).order_by().values("professional")
    )  # fmt: skip
    facts["query plan"] = " / ".join(
        line.strip() for line in plan_rows.explain().splitlines() if line.strip()
    )
    facts["database"] = connection.vendor
    return timings, facts


def audit_suite(*, rows: int, children: int, professionals: int, requests: int, seed: int, postgres: bool,
                reuse: bool, machine: dict[str, str]) -> None:  # fmt: skip
    if postgres:
        url = os.environ.get("DATABASE_URL", "")
        label = "PostgreSQL"
    else:
        url = f"sqlite:///{(BENCH_DIR / f'audit-{rows}.sqlite3').resolve()}"
        label = "SQLite"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "lantern.config.settings"}
    os.environ.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "lantern.config.settings"})
    print(f"benchmark: audit, {rows:,} access-log rows into {label} ({url})", flush=True)
    if not reuse:
        fresh_database(url)
    steps = [run_step("migrate", ["migrate", "--no-input", "-v", "0"], env)]
    import django

    django.setup()
    from lantern.agencies.models import Professional

    load_before = os.getloadavg()[0]
    if reuse:  # time the queries again on the rows already loaded
        auditor = Professional.objects.get(username="audit-auditor")
    else:
        loaded, auditor = load(rows, children, professionals)
        steps += loaded
    timing_before = os.getloadavg()[0]
    timings, facts = measure(requests, seed, auditor)
    facts["load average (1 min): before loading / before timing / after"] = (
        f"{load_before:.2f} / {timing_before:.2f} / {os.getloadavg()[0]:.2f}"
    )
    lines = [f"## Audit: {rows:,} access-log rows, {label}", "", "| machine | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in {**machine, **facts}.items()]
    lines += ["", "| step | wall time |", "|---|---:|"] + [
        f"| {s.name} | {s.seconds:,.1f} s |" for s in steps
    ]
    lines += ["", "| whose | request | n | p50 ms | p95 ms | p99 ms | max ms | p95 target | met |",
              "|---|---|---:|---:|---:|---:|---:|---:|---|"]  # fmt: skip
    for t in timings:
        lines.append(f"| {t.viewer} | {t.request} | {t.count} | {t.p50} | {t.p95} | {t.p99} | {t.max} "
                     f"| {t.target:.0f} | {'yes' if t.met else '**no**'} |")  # fmt: skip
    text = "\n".join(lines) + "\n"
    print()
    print(text)
    out = BENCH_DIR / f"audit-{label.lower()}-{rows}.md"
    out.write_text(text, encoding="utf-8")
    print(f"(written to {out.relative_to(ROOT)})")
