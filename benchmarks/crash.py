"""The crash drill (``make bench BENCH_ARGS="--suite crash"``): ``lantern import`` killed with SIGKILL,
first importing a case bundle, then a FHIR batch bundle.

A case bundle from ``lantern generate`` is imported once into a freshly migrated SQLite database to learn
how long it takes and what it writes (every table's row count). Then, again and again, the import starts
in a child process on a copy of the empty database and is killed (``kill -9``) at a random moment of
that time. After each kill: ``PRAGMA integrity_check`` must say ok, every table must hold either what the
empty database held or what the whole import wrote (all or nothing), and a re-run of the import must
leave exactly the complete import's counts (one copy, nothing twice).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from lantern.core.backup import sqlite_integrity

ROOT = Path(__file__).resolve().parents[1]


def table_counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as connection:
        catalogue = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        tables = [r[0] for r in connection.execute(catalogue)]
        # Table names from the catalogue, not from input.
        return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _env(database: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "lantern.config.settings",
    }


def _lantern(argv: list[str], database: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "lantern.cli", *argv], env=_env(database), cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def _run(argv: list[str], database: Path) -> float:
    started = time.perf_counter()
    process = _lantern(argv, database)
    _, stderr = process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"lantern {' '.join(argv)} failed: {stderr.decode()[-2000:]}")
    return time.perf_counter() - started


def _fresh_copy(source: Path, to: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{to}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, to)


@dataclass
class Kill:
    after_seconds: float
    killed: bool  # False: the import had already finished
    state: str  # "nothing", "all", or "PARTIAL" (a failure)
    integrity: str
    rerun_exact: bool

    @property
    def passed(self) -> bool:
        return self.integrity == "ok" and self.state in {"nothing", "all"} and self.rerun_exact


@dataclass
class CrashReport:
    import_seconds: float
    rows_written: int
    startup_seconds: float
    kills: list[Kill] = field(default_factory=list)

    @property
    def killed(self) -> int:
        return sum(k.killed for k in self.kills)

    @property
    def passed(self) -> bool:
        return bool(self.kills) and all(k.passed for k in self.kills)


def _checkpointed(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return table_counts(path)


def _kills(
    *,
    argv: list[str],
    pristine: Path,
    database: Path,
    kills: int,
    rng: random.Random,
    say: Callable[[str], None],
    logs: frozenset[str] = frozenset(),
) -> CrashReport:
    """Run ``lantern *argv`` once whole on a copy of ``pristine``, then again, killed at random moments,
    until it has been killed ``kills`` times while running.

    ``logs``: tables that record each run itself (a FHIR bundle's ``InboundMessage``): a complete re-run
    after a complete import adds its own row there, and only there.
    """
    empty = table_counts(pristine)
    _fresh_copy(pristine, database)
    seconds = _run(argv, database)
    full = table_counts(database)
    startup = _run(["import", "--help"], database)  # Python and Django starting: nothing written yet
    report = CrashReport(seconds, sum(full.values()) - sum(empty.values()), startup)
    say(f"  whole run: {seconds:.2f} s (starting {startup:.2f} s), {report.rows_written:,} rows; "
        f"now {kills} kills at random moments after the start")  # fmt: skip
    # Rounds until ``kills`` signals have landed in a running process (a signal due after the run ended
    # is a round too, checked the same way, but not counted as a kill), at most twice as many rounds.
    n = 0
    while sum(k.killed for k in report.kills) < kills and n < 2 * kills:
        n += 1
        _fresh_copy(pristine, database)
        after = rng.uniform(startup * 0.9, seconds)
        process = _lantern(argv, database)
        time.sleep(after)
        killed = process.poll() is None
        if killed:
            process.send_signal(signal.SIGKILL)
        process.wait()
        integrity = sqlite_integrity(database)
        counts = table_counts(database)
        state = "nothing" if counts == empty else "all" if counts == full else "PARTIAL"
        _run(argv, database)
        expected = {t: c + (t in logs and state == "all") for t, c in full.items()}
        kill = Kill(after, killed, state, integrity, table_counts(database) == expected)
        report.kills.append(kill)
        rerun = "exactly one copy" if kill.rerun_exact else "WRONG"
        say(f"  round {n:>2} after {after:5.2f} s: {'killed' if killed else 'had finished'}, {state}, "
            f"integrity {integrity}, re-run {rerun}")  # fmt: skip
    return report


def crash_drill(
    *, bundle: Path, workdir: Path, kills: int, seed: int, say: Callable[[str], None] = print
) -> CrashReport:
    """``lantern import`` of a case bundle into an empty database, killed ``kills`` times."""
    pristine, database = workdir / "pristine.sqlite3", workdir / "crash.sqlite3"
    _fresh_copy(Path(os.devnull), pristine)
    _run(["migrate", "--no-input", "-v", "0"], pristine)
    _checkpointed(pristine)
    argv = ["import", "--no-progress", str(bundle)]
    return _kills(
        argv=argv, pristine=pristine, database=database, kills=kills, rng=random.Random(seed), say=say
    )


def fhir_crash_drill(
    *, bundle: Path, workdir: Path, kills: int, seed: int, resources: int, say: Callable[[str], None] = print
) -> CrashReport:
    """``lantern import`` of a FHIR bundle (patients of the case bundle's children, their appointments and
    attendances: matching, chronology entries, notifications, screening) into a database holding the
    case bundle, killed ``kills`` times."""
    pristine, database = workdir / "fhir-pristine.sqlite3", workdir / "fhir-crash.sqlite3"
    _fresh_copy(Path(os.devnull), pristine)
    _run(["migrate", "--no-input", "-v", "0"], pristine)
    _run(["import", "--no-progress", str(bundle)], pristine)
    fhir = workdir / f"fhir-{resources}.json"
    written = subprocess.run(
        [sys.executable, "-m", "benchmarks.children", "fhir-bundle", str(fhir), str(resources), str(seed)],
        env=_env(pristine), cwd=ROOT, capture_output=True, check=False,
    )  # fmt: skip
    if written.returncode != 0:
        raise RuntimeError(f"writing the FHIR bundle failed: {written.stderr.decode()[-2000:]}")
    _checkpointed(pristine)
    argv = ["import", "--no-progress", str(fhir)]
    return _kills(argv=argv, pristine=pristine, database=database, kills=kills, rng=random.Random(seed + 1),
                  say=say, logs=frozenset({"health_inboundmessage"}))  # fmt: skip


def _summary(title: str, report: CrashReport, detail: str) -> list[str]:
    killed = [k for k in report.kills if k.killed]
    rounds = len(report.kills)
    states = {state: sum(k.state == state for k in report.kills) for state in ("nothing", "all", "PARTIAL")}
    return [
        f"### {title}",
        "",
        f"* whole run: {report.import_seconds:.1f} s ({report.startup_seconds:.1f} s of it starting), "
        f"{report.rows_written:,} rows, {detail}",
        f"* rounds: {rounds}; killed while running: {len(killed)} (in the rest the run had finished when "
        "the signal was due)",
        f"* afterwards nothing: {states['nothing']}, all: {states['all']}, partial: {states['PARTIAL']}",
        f"* integrity check ok: {sum(k.integrity == 'ok' for k in report.kills)} of {rounds}",
        f"* re-run left exactly one copy: {sum(k.rerun_exact for k in report.kills)} of {rounds}",
        f"* **{'passed' if report.passed else 'FAILED'}**",
        "",
    ]


def crash_suite(
    *, children: int, kills: int, fhir_kills: int, fhir_resources: int, seed: int, workdir: Path,
    machine: dict[str, str],
) -> str:  # fmt: skip
    """Both drills on a generated bundle, as Markdown for docs/performance.md and docs/security.md."""
    workdir.mkdir(parents=True, exist_ok=True)
    bundle = workdir / f"crash-{children}.json"
    generate = ["generate", "--children", str(children), "--seed", str(seed), "--out", str(bundle)]
    _run([*generate, "--no-progress"], workdir / "unused.sqlite3")
    before = os.getloadavg()[0]
    started = time.perf_counter()
    print(f"benchmark: crash drill, {children:,} children, {kills} kills", flush=True)
    report = crash_drill(bundle=bundle, workdir=workdir, kills=kills, seed=seed)
    reports = [report]
    lines = [f"## Crash drill: `lantern import` killed with SIGKILL (SQLite, {children:,} children)", ""]
    lines += ["| machine | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in machine.items()]
    summaries = _summary(f"Case bundle, {kills} kills", report,
                         f"{bundle.stat().st_size / 2**20:.1f} MiB of JSON")  # fmt: skip
    if fhir_kills:
        print(
            f"benchmark: crash drill, FHIR batch of {fhir_resources:,} resources, {fhir_kills} kills",
            flush=True,
        )
        fhir = fhir_crash_drill(bundle=bundle, workdir=workdir, kills=fhir_kills, seed=seed,
                                resources=fhir_resources)  # fmt: skip
        reports.append(fhir)
        summaries += _summary(f"FHIR batch bundle of {fhir_resources:,} resources, {fhir_kills} kills", fhir,
                              "into the database holding the case bundle")  # fmt: skip
    lines += [
        f"| load average (1 min) before / after | {before:.2f} / {os.getloadavg()[0]:.2f} |",
        f"| drill wall time | {time.perf_counter() - started:.0f} s |",
        "",
        *summaries,
    ]
    text = "\n".join(lines)
    print(text)
    if not all(r.passed for r in reports):
        raise SystemExit("benchmark: the crash drill failed")
    return text
