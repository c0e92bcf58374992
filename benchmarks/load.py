"""The load suite: concurrent users against gunicorn on PostgreSQL (``--suite load``; docs/performance.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantern_bench \\
        python -m benchmarks.run --suite load --postgres --children 20000 [--reuse] \\
        [--load-users 50] [--load-seconds 60] [--load-workers 5] [--load-think 1.0]

Without ``--reuse`` the database is emptied and a whole generated area (``lantern generate --children N``:
people, involvements, chronology events, plans…) is imported, then kept as imported in a second database
(``<name>_as_imported``); with it, the database is made again from that copy (each run records observations
and access-log rows, so runs on one database drift), or, without the copy, used as it is.
Then ``lantern collectstatic`` and gunicorn with Lantern's production configuration
(``lantern/config/gunicorn.py``, ``LANTERN_PRODUCTION=1``; plain HTTP on 127.0.0.1, so no TLS redirect)
start, and ``--load-users`` users, each a thread with its own keep-alive connection and its own signed-in
session (professionals with children allocated to them, taken in turn), do, until ``--load-seconds`` have
passed: open a child's chronology (50%), search for a family name (30%), or record an observation on a
child allocated to them (20%, a real POST with its CSRF token: a new chronology entry, its access-log row
and the child's screening, in one transaction). Between requests each user pauses for a random time of
0 and twice ``--load-think`` seconds (a professional reads the page before the next click; 0 makes every
user a closed loop with no pause). Each request is timed from sending to the last byte of the response.

Reported: requests, throughput, error rate (anything but 200 for a page or 302 for a saved observation,
or no answer), and p50/p95/p99/max for all requests and for each kind; the target is p95 ≤ 300 ms and no
errors. The load generator runs on the same machine, so it takes CPU from the server too.
"""

from __future__ import annotations

import http.client
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from benchmarks.run import BENCH_DIR, ROOT, fresh_database, on_server, percentile, run_step

P95_TARGET_MS = 300.0
MIX = (("chronology", 0.5), ("search", 0.3), ("record observation", 0.2))


@dataclass
class Sample:
    kind: str
    ms: float
    ok: bool
    status: int


@dataclass
class User:
    name: str
    cookie: str
    csrf: str
    children: list[str]  # refs the user may see
    allocated: list[str]  # refs the user may record on
    samples: list[Sample] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server_env(url: str, port: int, workers: int) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "lantern.config.settings",
        "LANTERN_PRODUCTION": "1",
        "LANTERN_SECRET_KEY": os.environ.get("LANTERN_SECRET_KEY") or secrets.token_urlsafe(50),
        "LANTERN_SSL_REDIRECT": "0",
        "LANTERN_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LANTERN_BIND": f"127.0.0.1:{port}",
        "LANTERN_WORKERS": str(workers),
        "LANTERN_LOG_LEVEL": "WARNING",
    }


def _users(count: int, seed: int) -> list[User]:
    """Signed-in sessions (in the database, where gunicorn's workers find them) for professionals with
    children allocated to them."""
    from django.conf import settings
    from django.db.models import Count, Q

    from lantern.agencies.models import Professional
    from lantern.agencies.selectors import involvements_current
    from lantern.people.selectors import children_of_professional
    from lantern.web.testing import BrowserClient

    rng = random.Random(seed)
    current = involvements_current()
    professionals = list(
        Professional.objects.filter(
            is_active=True, involvements__in=current, involvements__child__kind="child"
        )
        .annotate(caseload=Count("involvements", filter=Q(involvements__in=current)))
        .filter(caseload__gt=0)
        .order_by("pk")
        .distinct()
    )
    if not professionals:
        raise SystemExit("benchmark: no professional has children allocated: was the area generated?")
    users = []
    for n in range(count):
        professional = professionals[n % len(professionals)]
        client = BrowserClient(SERVER_NAME="localhost")
        client.force_login(professional)  # a practitioner; a manager's second factor taken as given
        refs = [
            f"{s}:{r}"
            for s, r in children_of_professional(viewer=professional).values_list("source", "source_id")
        ]
        allocated = [
            f"{s}:{r}"
            for s, r in current.filter(professional=professional, child__kind="child").values_list(
                "child__source", "child__source_id"
            )
        ]
        rng.shuffle(refs)
        csrf = client.csrf_token()
        cookie = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}; "
            f"{settings.CSRF_COOKIE_NAME}={csrf}"
        )
        users.append(User(professional.username, cookie, csrf, refs[:200] or allocated, allocated))
    return users


def _family_names(count: int, seed: int) -> list[str]:
    from lantern.people.models import Person

    names = list(Person.objects.children().values_list("family_name", flat=True).distinct()[:5000])
    rng = random.Random(seed)
    return [rng.choice(names) for _ in range(count)]


def _observation(ref: str) -> tuple[str, bytes]:
    body = urlencode(
        {
            "occurred_on-day": "2",
            "occurred_on-month": "11",
            "occurred_on-year": "2026",
            "occurred_time": "14:30",
            "tags": "nutrition",
            "text": "Load benchmark: the child said they had not had breakfast.",
            "significance": "routine",
        }
    ).encode()
    return f"/children/{ref}/observations/new/", body


def _user_loop(
    user: User, port: int, names: list[str], think: float, start: threading.Barrier, stop_at: list[float],
    seed: int,
) -> None:  # fmt: skip
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": user.cookie, "Host": "localhost"}

    def request(kind: str, method: str, path: str, body: bytes | None, expected: int, timed: bool) -> None:
        nonlocal connection
        extra = {}
        if body is not None:
            extra = {"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": user.csrf}
        started = time.perf_counter()
        status = 0
        # gunicorn closes a keep-alive connection idle for 2 s; like a browser, send again once on a new
        # connection (the time taken includes it). A second failure is an error.
        for _attempt in range(2):
            try:
                connection.request(method, path, body=body, headers={**headers, **extra})
                response = connection.getresponse()
                response.read()
                status = response.status
                break
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        if timed:
            user.samples.append(
                Sample(kind, (time.perf_counter() - started) * 1000, status == expected, status)
            )

    kinds = [kind for kind, _ in MIX]
    weights = [weight for _, weight in MIX]
    request("warm-up", "GET", f"/children/{user.children[0]}/chronology/", None, 200, timed=False)
    start.wait()
    while time.perf_counter() < stop_at[0]:
        kind = rng.choices(kinds, weights)[0]
        if kind == "chronology":
            request(kind, "GET", f"/children/{rng.choice(user.children)}/chronology/", None, 200, True)
        elif kind == "search":
            request(kind, "GET", "/search/?" + urlencode({"q": rng.choice(names)}), None, 200, True)
        else:
            path, body = _observation(rng.choice(user.allocated or user.children))
            request(kind, "POST", path, body, 302, True)
        if think:
            time.sleep(rng.uniform(0, 2 * think))
    connection.close()


def _cpu_seconds() -> dict[str, float]:
    """CPU time (user and system, seconds) so far of gunicorn (this run's server: every process whose
    command line names it), of PostgreSQL (every ``postgres`` process, and the backends already ended,
    through the postmaster's children's times) and of this process (the load generator)."""
    ticks = os.sysconf("SC_CLK_TCK")
    totals = {"server": 0.0, "database": 0.0}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:  # the process has ended
            continue
        fields = text.rsplit(")", 1)[1].split()
        # utime, stime, cutime, cstime are fields 14-17 of the line; here counted after the name
        used = sum(int(f) for f in fields[11:15]) / ticks
        if text.split("(", 1)[1].startswith("postgres"):
            totals["database"] += used
        elif b"gunicorn" in command and b"lantern.config.gunicorn" in command:
            totals["server"] += used
    own = os.times()
    totals["load generator"] = own.user + own.system
    return totals


def _names(url: str) -> tuple[str, str]:
    """The database's name, and that of its copy as imported."""
    name = urlsplit(url).path.lstrip("/")
    return name, f"{name}_as_imported"


def _area_keep(url: str) -> None:
    """Keep the area as imported (``<name>_as_imported``, a template): every run records observations and
    access-log rows on the same professionals' children, so runs on one database drift (docs/security.md);
    ``--reuse`` starts each run from this copy."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    name, copy = _names(url)
    with on_server(url) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{copy}"')
        server.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
    print(f"benchmark: load: the area as imported is kept as {copy}", flush=True)


def _area_restore(url: str) -> None:
    """``--reuse``: the database again as imported, if the copy is there (else as it is, with a warning)."""
    name, copy = _names(url)
    with on_server(url) as server:
        found = server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [copy]).fetchone()
        if found is None or "bench" not in name:
            print(f"benchmark: load: no {copy}: the area is used as earlier runs left it", flush=True)
            return
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}" TEMPLATE "{copy}"')
    print(f"benchmark: load: {name} made again from {copy}, the area as imported", flush=True)


def _row(label: str, samples: list[Sample], seconds: float) -> str:
    ms = sorted(s.ms for s in samples)
    errors = sum(not s.ok for s in samples)
    if not ms:
        return f"| {label} | 0 | | | | | | |"
    return (
        f"| {label} | {len(ms):,} | {len(ms) / seconds:.1f}/s | {errors} ({errors / len(ms):.2%}) | "
        f"{percentile(ms, 50):.0f} | {percentile(ms, 95):.0f} | {percentile(ms, 99):.0f} | {ms[-1]:.0f} |"
    )


def load_suite(
    *, url: str, children: int, seed: int, users: int, seconds: float, workers: int, think: float,
    reuse: bool, machine: Callable[[str], dict[str, str]],
) -> str:  # fmt: skip
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(
            "benchmark: the load suite needs --postgres and DATABASE_URL=postgres://…/lantern_bench"
        )
    port = _free_port()
    env = _server_env(url, port, workers)
    # This process signs the users in: the same settings as the server's (cookie names, secret key).
    shared = ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "LANTERN_PRODUCTION", "LANTERN_SECRET_KEY",
              "LANTERN_SSL_REDIRECT", "LANTERN_ALLOWED_HOSTS", "LANTERN_LOG_LEVEL")  # fmt: skip
    os.environ.update({k: env[k] for k in shared})
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if not reuse:
        print(f"benchmark: load: {children:,} children into {url}", flush=True)
        fresh_database(url)
        bundle = BENCH_DIR / f"case-{children}-seed{seed}.json"
        if not bundle.exists():
            run_step("generate", ["generate", "--children", str(children), "--seed", str(seed),
                                  "--no-progress", "--out", str(bundle)], env)  # fmt: skip
        run_step("migrate", ["migrate", "--no-input", "-v", "0"], env)
        run_step("import", ["import", "--no-progress", str(bundle)], env)
        _area_keep(url)
    else:
        _area_restore(url)
        run_step("migrate (reused database)", ["migrate", "--no-input", "-v", "0"], env)
    run_step("collectstatic", ["collectstatic", "--no-input", "-v", "0"], env)

    import django

    django.setup()
    from lantern.people.models import Person

    in_area = Person.objects.children().count()
    if not in_area:
        raise SystemExit("benchmark: the database is empty: run without --reuse first")
    people = _users(users, seed)
    names = _family_names(1000, seed)
    log = BENCH_DIR / "load-gunicorn.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "python:lantern.config.gunicorn"],
            env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        _wait_for(port, server)
        print(f"benchmark: load: {users} users for {seconds:.0f} s against gunicorn ({workers} workers, "
              f"{env.get('LANTERN_THREADS', '4')} threads each) on port {port}", flush=True)  # fmt: skip
        start = threading.Barrier(users + 1)
        stop_at = [float("inf")]
        threads = [
            threading.Thread(
                target=_user_loop, args=(u, port, names, think, start, stop_at, seed + n), daemon=True
            )
            for n, u in enumerate(people)
        ]
        for t in threads:
            t.start()
        before = os.getloadavg()[0]
        cpu_before = _cpu_seconds()
        start.wait()
        began = time.perf_counter()
        stop_at[0] = began + seconds
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - began
        after = os.getloadavg()[0]
        cpu_after = _cpu_seconds()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    samples = [s for u in people for s in u.samples]
    all_ms = sorted(s.ms for s in samples)
    errors = sum(not s.ok for s in samples)
    statuses = sorted({s.status for s in samples if not s.ok})
    met = bool(all_ms) and percentile(all_ms, 95) <= P95_TARGET_MS and errors == 0
    lines = [
        f"## Load: {users} users for {seconds:.0f} s, gunicorn ({workers} workers) on PostgreSQL, "
        f"{in_area:,} children",
        "",
        "| machine | |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in machine(url).items()],
        f"| load average (1 min) before / after | {before:.2f} / {after:.2f} |",
        f"| think time between a user's requests | uniform 0 to {2 * think:.1f} s |",
        f"| distinct professionals signed in | {len({u.name for u in people})} |",
        "",
        "| requests | count | throughput | errors | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        _row("all", samples, elapsed),
        *[_row(kind, [s for s in samples if s.kind == kind], elapsed) for kind, _ in MIX],
        "",
        "| CPU used during the run | seconds | ms a request |",
        "|---|---:|---:|",
        *[
            f"| {who} | {cpu_after[who] - cpu_before[who]:.1f} | "
            f"{1000 * (cpu_after[who] - cpu_before[who]) / max(len(samples), 1):.1f} |"
            for who in cpu_before
        ],
        "",
        f"Target p95 ≤ {P95_TARGET_MS:.0f} ms and no errors: **{'met' if met else 'NOT met'}**"
        + (f" (error statuses: {', '.join(map(str, statuses))}; 0 = no answer)" if statuses else ""),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    return text


def _wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(
                f"benchmark: gunicorn stopped (exit {server.returncode}): see var/bench/load-gunicorn.log"
            )
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz", headers={"Host": "localhost"})
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("benchmark: gunicorn did not answer within 60 s")
