"""Reading a case bundle without holding it: every section but ``events`` is kept (they grow with the
population), while events (which grow without limit) are checked one by one as they stream past and
read again, in batches, when they are written. Memory then grows with the number of children, not with
the size of the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator

from lantern.interop.bundle_schema import (
    Bundle,
    Problem,
    _specific,
    case_bundle_schema,
    fast_validator,
    json_path,
)
from lantern.interop.bundle_text import bundle_items

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
    fast = _fast_event_validators().get(event.get("type"))  # type: ignore[arg-type]
    if fast is not None:
        try:
            fast(event)
            return []
        except fastjsonschema.JsonSchemaException:
            pass  # jsonschema says exactly what is wrong, below
    validator = _event_validators().get(event.get("type"))  # type: ignore[arg-type]
    if validator is None:
        kinds = ", ".join(repr(k) for k in _event_validators())
        return [
            Problem(json_path(["events", index, "type"]), f"{event.get('type')!r} is not one of [{kinds}]")
        ]
    return [
        Problem(json_path(["events", index, *specific.absolute_path]), specific.message)
        for error in validator.iter_errors(event)
        for specific in _specific(error)
    ]


@dataclass
class EventReferences:
    """What the streamed events refer to, with the first event that refers to each (for the message)."""

    ids: dict[str, int] = field(default_factory=dict)
    children: dict[str, int] = field(default_factory=dict)
    agencies: dict[str, tuple[int, str]] = field(default_factory=dict)
    professionals: dict[str, tuple[int, str]] = field(default_factory=dict)
    count: int = 0


class BundleSource:
    """A bundle from a file (streamed) or from a dict already in memory (tests, the demo)."""

    def __init__(self, bundle: Bundle | Path, *, name: str) -> None:
        self.name = name
        self.path = bundle if isinstance(bundle, Path) else None
        self.document = None if isinstance(bundle, Path) else bundle
        self.kept: Bundle = {}
        self.references = EventReferences()

    def _items(self) -> Iterator[tuple[str, int | None, Any]]:
        """(section, index, item) for each item of a top-level array, (key, None, value) for the rest."""
        if self.document is not None:
            for key, value in self.document.items():
                if isinstance(value, list):
                    for index, item in enumerate(value):
                        yield key, index, item
                else:
                    yield key, None, value
            return
        assert self.path is not None
        yield from bundle_items(self.path)

    def read(self, progress: Callable[[str, int], None]) -> list[Problem]:
        """First pass: keep every section but events; check each event as it passes."""
        problems: list[Problem] = []
        arrays: set[str] = set()
        refs = self.references
        for key, index, item in self._items():
            if index is None:
                self.kept[key] = item
                continue
            if key != STREAMED:
                if key not in arrays:
                    arrays.add(key)
                    self.kept[key] = []
                self.kept[key].append(item)
                continue
            arrays.add(key)
            refs.count += 1
            found = event_problems(index, item)
            problems.extend(found)
            if not found:
                first = refs.ids.get(item["id"])
                if first is not None:
                    message = f"duplicate id {item['id']!r} (first at $.events[{first}])"
                    problems.append(Problem(json_path(["events", index, "id"]), message))
                refs.ids.setdefault(item["id"], index)
                refs.children.setdefault(item["child"], index)
                for key_ in ("agency", "to_agency"):
                    if key_ in item:
                        refs.agencies.setdefault(item[key_], (index, key_))
                for key_ in ("recorded_by", "worker", "supervisor"):
                    if key_ in item:
                        refs.professionals.setdefault(item[key_], (index, key_))
                if "recorded_at" in item and item["recorded_at"][:10] < item["at"][:10]:
                    problems.append(Problem(json_path(["events", index, "recorded_at"]),
                                            "an event cannot be recorded before it happened"))  # fmt: skip
            if refs.count % EVENT_BATCH == 0:
                progress("checking events", EVENT_BATCH)
            if len(problems) > 1000:
                break  # enough to say what is wrong; nothing will be written
        if STREAMED in arrays:
            self.kept.setdefault(STREAMED, [])
        return problems

    def event_batches(self) -> Iterator[list[dict[str, Any]]]:
        """Second pass: the events again, in batches, for writing."""
        if self.document is not None:
            events = self.document.get(STREAMED, [])
            for start in range(0, len(events), EVENT_BATCH):
                yield events[start : start + EVENT_BATCH]
            return
        batch: list[dict[str, Any]] = []
        for key, index, item in self._items():
            if key == STREAMED and index is not None:
                batch.append(item)
                if len(batch) == EVENT_BATCH:
                    yield batch
                    batch = []
        if batch:
            yield batch
