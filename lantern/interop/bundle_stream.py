"""Reading a case bundle without holding it (ADR 11, ADR 21). A file's sections other than ``events``
are kept on disk while it is imported, one item a line, each item checked against the schema as it
passes; events (which grow without limit) are checked one by one as they stream past, their ids
remembered on disk, and read again, in batches, when they are written. Memory holds ids and references,
not records: it grows with the number of people, far more slowly than the file.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from lantern.core.batching import chunks
from lantern.interop.bundle_schema import (
    Bundle,
    BundleInvalid,
    Problem,
    case_bundle_schema,
    explained,
    fast_validator,
    item_problems,
    json_path,
    schema_arrays,
)
from lantern.interop.bundle_text import CHANGED, SpooledSection, bundle_items, file_identity

STREAMED = "events"
EVENT_BATCH = 5000


@cache
def _event_schemas() -> dict[str, dict[str, Any]]:
    """One small schema per event type (the schema's if/then branches), so each event is checked once."""
    schema = case_bundle_schema()
    branches = schema["properties"]["events"]["items"]["allOf"]
    return {b["if"]["properties"]["type"]["const"]: {"$defs": schema["$defs"], **b["then"]} for b in branches}


@cache
def _event_validators() -> dict[str, Draft202012Validator]:
    return {
        kind: Draft202012Validator(s, format_checker=Draft202012Validator.FORMAT_CHECKER)
        for kind, s in _event_schemas().items()
    }


@cache
def _fast_event_validators() -> dict[str, Callable[[Any], Any]]:
    return {kind: fast_validator(s) for kind, s in _event_schemas().items()}


def event_problems(index: int, event: Any) -> list[Problem]:
    """What the schema says is wrong with one event (its path in the whole bundle)."""
    if not isinstance(event, dict):
        return [Problem(json_path(["events", index]), f"{event!r} is not of type 'object'")]
    validator = _event_validators().get(event.get("type"))  # type: ignore[arg-type]
    if validator is None:
        kinds = ", ".join(repr(k) for k in _event_validators())
        return [
            Problem(json_path(["events", index, "type"]), f"{event.get('type')!r} is not one of [{kinds}]")
        ]
    return explained(_fast_event_validators()[event["type"]], validator, ["events", index], event)


@dataclass
class EventReferences:
    """What the streamed events refer to, with the first event that refers to each (for the message)."""

    children: dict[str, int] = field(default_factory=dict)
    agencies: dict[str, tuple[int, str]] = field(default_factory=dict)
    professionals: dict[str, tuple[int, str]] = field(default_factory=dict)
    count: int = 0


class _SeenIds:
    """The events' ids seen so far, each with the index of its first event, in a scratch SQLite file: a
    million ids held in a dict would take about 100 MB, and events have no limit."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path)  # one transaction, never committed: the file is thrown away
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.execute("CREATE TABLE seen (id TEXT PRIMARY KEY, first INTEGER NOT NULL) WITHOUT ROWID")
        self.pending: list[tuple[str, int]] = []

    def add(self, ref: str, index: int) -> list[Problem]:
        self.pending.append((ref, index))
        return self.flush() if len(self.pending) >= EVENT_BATCH else []

    def flush(self) -> list[Problem]:
        """Record the pending ids; a problem for each that was seen before (in this batch or earlier)."""
        pending, self.pending = self.pending, []
        before = self.db.total_changes
        self.db.executemany("INSERT OR IGNORE INTO seen VALUES (?, ?)", pending)
        if self.db.total_changes - before == len(pending):
            return []
        problems = []
        for ref, index in pending:
            (first,) = self.db.execute("SELECT first FROM seen WHERE id = ?", (ref,)).fetchone()
            if first != index:
                message = f"duplicate id {ref!r} (first at $.events[{first}])"
                problems.append(Problem(json_path(["events", index, "id"]), message))
        return problems

    def close(self) -> None:
        self.db.close()


class BundleSource:
    """A bundle from a file (streamed) or from a dict already in memory (tests, the demo). Used as a
    context manager: a file's sections are kept on disk while it is imported, and removed after."""

    def __init__(self, bundle: Bundle | Path, *, name: str) -> None:
        self.name = name
        self.path = bundle if isinstance(bundle, Path) else None
        self.document = None if isinstance(bundle, Path) else bundle
        self.kept: Bundle = {}
        self.references = EventReferences()
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        self.identity: list[int] | None = None  # the file as first opened (``file_identity``)

    def __enter__(self) -> BundleSource:
        self._scratch = tempfile.TemporaryDirectory(prefix="lantern-import-")
        if self.path is not None and self.path.exists():
            self.identity = file_identity(self.path)
        return self

    @property
    def scratch(self) -> Path:
        """A private directory for the import's own files (removed when it ends)."""
        assert self._scratch is not None, "inside `with BundleSource(…)`"
        return Path(self._scratch.name)

    def unchanged(self) -> None:
        """Raise BundleInvalid if the file is not the one first opened: replaced, or changed, while it
        was read twice (once to check, once for the events), so what was checked may not be written."""
        if self.path is not None and file_identity(self.path) != self.identity:
            raise BundleInvalid([Problem("$", CHANGED)], name=self.name)

    def __exit__(self, *exc: object) -> None:
        if self._scratch is not None:
            self._scratch.cleanup()

    def _items(self) -> Iterator[tuple[str, int | None, Any, str | None]]:
        """(section, index, item, text) for each item of a top-level array, (key, None, value, text) for
        the rest; ``text`` (the item's JSON) only from a file."""
        if self.document is not None:
            for key, value in self.document.items():
                if isinstance(value, list):
                    for index, item in enumerate(value):
                        yield key, index, item, None
                else:
                    yield key, None, value, None
            return
        assert self.path is not None
        yield from bundle_items(self.path)

    def _section(self, key: str) -> list[Any] | SpooledSection:
        """Where a kept array's items go: on disk for a file's arrays that the schema knows, else a list."""
        if self.path is None or key not in schema_arrays():
            return []
        return SpooledSection(self.scratch / f"{key}.jsonl")

    def read(
        self, progress: Callable[[str, int], None], *, check: bool = True
    ) -> tuple[list[Problem], list[Problem]]:
        """First pass: keep every section but events (each item checked against the schema as it
        passes); check each event. The problems of the kept sections' items, and of the events.
        ``check`` False: keep the sections, check nothing (another process checks, ADR 21)."""
        kept_problems: list[Problem] = []
        problems: list[Problem] = []
        arrays: set[str] = set()
        seen = (
            _SeenIds(self.scratch / "ids.sqlite3" if self._scratch else Path(":memory:")) if check else None
        )
        try:
            for key, index, item, text in self._items():
                if index is None:
                    self.kept[key] = item
                    continue
                if key != STREAMED:
                    if key not in arrays:
                        arrays.add(key)
                        self.kept[key] = self._section(key)
                    if check:
                        kept_problems.extend(item_problems(key, index, item))
                    section = self.kept[key]
                    if isinstance(section, SpooledSection):
                        section.append(text)  # type: ignore[arg-type]
                    else:
                        section.append(item)
                    if len(kept_problems) > 1000:
                        break
                    continue
                arrays.add(key)
                self.references.count += 1
                if seen is not None:
                    problems.extend(self._event_checked(index, item, seen))
                if self.references.count % EVENT_BATCH == 0:
                    progress("checking events" if check else "reading", EVENT_BATCH)
                if len(problems) > 1000:
                    break  # enough to say what is wrong; nothing will be written
            if seen is not None:
                problems.extend(seen.flush())
        finally:
            if seen is not None:
                seen.close()
        if STREAMED in arrays:
            self.kept.setdefault(STREAMED, [])
        return kept_problems, sorted(problems, key=_event_index)

    def _event_checked(self, index: int, item: Any, seen: _SeenIds) -> list[Problem]:
        """One event's problems; what it refers to, noted for the checks that need the whole bundle."""
        found = event_problems(index, item)
        if found:
            return found
        found = seen.add(item["id"], index)
        refs = self.references
        refs.children.setdefault(item["child"], index)
        for key in ("agency", "to_agency"):
            if key in item:
                refs.agencies.setdefault(item[key], (index, key))
        for key in ("recorded_by", "worker", "supervisor"):
            if key in item:
                refs.professionals.setdefault(item[key], (index, key))
        if "recorded_at" in item and item["recorded_at"][:10] < item["at"][:10]:
            where = json_path(["events", index, "recorded_at"])
            found.append(Problem(where, "an event cannot be recorded before it happened"))
        return found

    def event_batches(self) -> Iterator[list[dict[str, Any]]]:
        """Second pass: the events again, in batches, for writing."""
        if self.document is not None:
            events: Iterable[Any] = self.document.get(STREAMED, [])
        else:
            assert self.path is not None
            items = bundle_items(self.path, only={STREAMED})
            events = (item for _, index, item, _ in items if index is not None)
        yield from chunks(events, EVENT_BATCH)


def _event_index(problem: Problem) -> int:
    """The event a problem is about (``$.events[12].id`` → 12), so that they are listed in file order."""
    return int(problem.path.split("[", 2)[1].split("]", 1)[0])
