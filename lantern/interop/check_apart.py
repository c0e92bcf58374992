"""Checking a large case-bundle file in a second process while this one writes it (ADR 21).

The check is the whole of `case_bundle_validate`, exactly as before writing: the schema item by item,
references, duplicates, NHS numbers already used. It reads the database through its own connection, so
it sees the database as it was before the import (the import's transaction is not committed yet). The
writer waits for its answer before it commits; if the bundle is invalid, the writer rolls back and the
import fails with the check's problems, so an invalid bundle still leaves the database unchanged.

The second process is ``python -P -m lantern.interop.check_apart``: a new interpreter that shares
nothing with the writer (no open connection, no state), does not depend on how the writer was started,
and does not put the working directory on its path (``-P``: no module is taken from where the bundle
lies). It reads what to check as JSON on its standard input (the database's password among it, never
on the command line) and answers with one line of JSON on its output. Both sides note the file's
identity (device, inode, size, modification time): a file replaced or changed during the import fails
it. This module imports nothing of Lantern's at the top, so that it can set Django up first.
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

from lantern.interop.bundle_text import CHANGED, file_identity  # the standard library's only

CONNECTION_KEYS = ("NAME", "USER", "PASSWORD", "HOST", "PORT")  # the rest comes from the same settings


def check_apart_possible(path: Path | None) -> bool:
    """A file large enough to gain from it, and a database another process can see as it was: not in
    memory, and no transaction of this process holding changes it would not see."""
    if path is None or connection.in_atomic_block or not connection.get_autocommit():
        return False
    if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        return False
    try:
        return path.stat().st_size >= settings.LANTERN_IMPORT_CHECK_APART_BYTES
    except OSError:
        return False  # the check in this process says what is wrong with it


class Checker:
    """The second process, started at once, and its answer once it has given it."""

    def __init__(self, path: Path, name: str, *, identity: list[int], scratch: Path) -> None:
        """``identity``: the file as the writer opened it (``file_identity``); ``scratch``: a private
        directory for what the check says on its error output (read if it fails)."""
        self.name = name
        self.identity = identity
        self.peak_kib = 0
        self._answer: dict[str, Any] | None = None
        self._errors = scratch / "check-errors.txt"
        request = {
            "path": str(path),
            "name": name,
            # Not settings.SETTINGS_MODULE alone: overridden settings (tests) have none.
            "settings": os.environ.get("DJANGO_SETTINGS_MODULE") or settings.SETTINGS_MODULE,
            "database": {k: connection.settings_dict[k] for k in CONNECTION_KEYS},
        }
        # This interpreter and a fixed module: nothing from the bundle is on the command line.
        with self._errors.open("w") as errors:
            self._process = subprocess.Popen(  # nosec B603
                [sys.executable, "-P", "-m", "lantern.interop.check_apart"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
            )
        stdin, self._process.stdin = self._process.stdin, None  # written here, not by communicate()
        assert stdin is not None
        with stdin:
            stdin.write(json.dumps(request))

    def raise_if_invalid(self, *, wait: bool) -> None:
        """Raise BundleInvalid with the check's problems once it has answered (``wait``: wait for it).
        A check that could not be made is an error too: nothing is committed without one."""
        from lantern.interop.bundle_schema import BundleInvalid, Problem

        if self._answer is None:
            if not wait and self._process.poll() is None:
                return
            output, _ = self._process.communicate()
            lines = output.strip().splitlines()
            try:
                self._answer = json.loads(lines[-1])
            except (IndexError, ValueError):
                said = self._errors.read_text(errors="replace").strip().splitlines()[-1:]
                self._answer = {"failed": (said or [f"exit status {self._process.returncode}"])[0]}
        if "failed" in self._answer:
            raise RuntimeError(f"{self.name}: the bundle could not be checked: {self._answer['failed']}")
        if self._answer["identity"] != self.identity:
            raise BundleInvalid([Problem("$", CHANGED)], name=self.name)
        self.peak_kib = self._answer["peak_kib"]
        if self._answer["problems"]:
            raise BundleInvalid([Problem(*p) for p in self._answer["problems"]], name=self.name)

    def close(self) -> None:
        """End the check if it has not answered (the import failed or was interrupted)."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()


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

    path = Path(request["path"])
    problems: list[list[str]] = []
    try:
        identity = file_identity(path)
        case_bundle_validate(path, name=request["name"])
        if file_identity(path) != identity:
            problems = [["$", CHANGED]]
    except BundleInvalid as invalid:
        problems = [[p.path, p.message] for p in invalid.problems]
    except Exception as error:  # said to the writer, which fails the import with it
        return {"failed": f"{type(error).__name__}: {error}"}
    finally:
        connections.close_all()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"problems": problems, "identity": identity, "peak_kib": peak_kib}


if __name__ == "__main__":
    print(json.dumps(_check(json.loads(sys.stdin.read()))))
