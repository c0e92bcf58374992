"""Checking a large case-bundle file in a second process while this one writes it (ADR 21).

The check is the whole of `case_bundle_validate`, exactly as before writing: the schema item by item,
references, duplicates, NHS numbers already used. It reads the database through its own connection, so
it sees the database as it was before the import (the import's transaction is not committed yet). The
writer waits for its answer before it commits; if the bundle is invalid, the writer rolls back and the
import fails with the check's problems, so an invalid bundle still leaves the database unchanged.

The second process is ``python -m lantern.interop.check_apart``: a new interpreter that shares nothing
with the writer (no open connection, no state) and does not depend on how the writer was started. It
reads what to check as JSON on its standard input and answers with one line of JSON on its output.
This module imports nothing of Lantern's at the top, so that it can set Django up first.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

CHECK_APART_BYTES = int(os.environ.get("LANTERN_IMPORT_CHECK_APART_BYTES", 8 << 20))


def check_apart_possible(path: Path | None) -> bool:
    """A file large enough to gain from it, and a database another process can see as it was: not in
    memory, and no transaction of this process holding changes it would not see."""
    if path is None or connection.in_atomic_block:
        return False
    if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        return False
    try:
        return path.stat().st_size >= CHECK_APART_BYTES
    except OSError:
        return False  # the check in this process says what is wrong with it


class Checker:
    """The second process, started at once, and its answer once it has given it."""

    def __init__(self, path: Path, name: str) -> None:
        self.name = name
        self.peak_kib = 0
        self._answer: dict[str, Any] | None = None
        database = {k: v for k, v in connection.settings_dict.items() if k != "TEST"}
        request = {
            "path": str(path),
            "name": name,
            "settings": settings.SETTINGS_MODULE,
            "database": database,
        }
        # This interpreter and a fixed module: nothing from the bundle is on the command line.
        self._process = subprocess.Popen(  # nosec B603
            [sys.executable, "-m", "lantern.interop.check_apart"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        stdin, self._process.stdin = self._process.stdin, None  # written here, not by communicate()
        assert stdin is not None
        with stdin:
            stdin.write(json.dumps(request, default=str))

    def raise_if_invalid(self, *, wait: bool) -> None:
        """Raise BundleInvalid with the check's problems once it has answered (``wait``: wait for it).
        A check that could not be made is an error too: nothing is committed without one."""
        from lantern.interop.bundle_schema import BundleInvalid, Problem

        if self._answer is None:
            if not wait and self._process.poll() is None:
                return
            output, errors = self._process.communicate()
            lines = output.strip().splitlines()
            try:
                self._answer = json.loads(lines[-1])
            except (IndexError, ValueError):
                detail = errors.strip().splitlines()[-1:] or [f"exit status {self._process.returncode}"]
                self._answer = {"failed": detail[0]}
        if "failed" in self._answer:
            raise RuntimeError(f"{self.name}: the bundle could not be checked: {self._answer['failed']}")
        self.peak_kib = self._answer["peak_kib"]
        if self._answer["problems"]:
            raise BundleInvalid([Problem(*p) for p in self._answer["problems"]], name=self.name)

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.communicate()


def _check(request: dict[str, Any]) -> dict[str, Any]:
    """In the second process: the check's answer, ``{"problems": [[path, message], …], "peak_kib": n}``
    (no problems: the bundle is valid) or ``{"failed": message}``."""
    os.environ["DJANGO_SETTINGS_MODULE"] = request["settings"]
    import django

    django.setup()
    from django.db import connections

    connections["default"].settings_dict.update(request["database"])  # the writer's (a test's, say)
    from lantern.interop.bundle_schema import BundleInvalid
    from lantern.interop.case_bundle import case_bundle_validate

    problems: list[list[str]] = []
    try:
        case_bundle_validate(Path(request["path"]), name=request["name"])
    except BundleInvalid as invalid:
        problems = [[p.path, p.message] for p in invalid.problems]
    except Exception as error:  # said to the writer, which fails the import with it
        return {"failed": f"{type(error).__name__}: {error}"}
    finally:
        connections.close_all()
    return {"problems": problems, "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}


if __name__ == "__main__":
    print(json.dumps(_check(json.loads(sys.stdin.read()))))
