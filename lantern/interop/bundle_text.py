"""Reading a large JSON bundle one top-level item at a time, without holding the file.

The outer object and its arrays are walked here; each item (a person, an event…) is decoded by the
standard library's JSON decoder (in C) straight from a buffer of about a megabyte, refilled as it is
consumed. That is several times quicker than a token-by-token parser building each item in Python
(ADR 0011). A syntax error is reported with its line and column in the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

CHUNK = 1 << 20
ITEM_LIMIT = 64 << 20  # no item of a bundle is this long: stop reading ahead for one that will not end
_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_AFTER_NUMBER = frozenset(" \t\n\r,]}")


CHANGED = "the file changed while it was being imported: import it again once it is complete"


def file_identity(path: Path) -> list[int]:
    """What tells a file from another put in its place, or from itself changed: device, inode, size and
    modification time."""
    found = path.stat()
    return [found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns]


class BundleSyntaxError(ValueError):
    """The file is not JSON, or not a JSON object; the message names the line and column."""


class _Text:
    """A window on the file's text: ``buffer[position:]`` is what has not been read yet."""

    def __init__(self, path: Path) -> None:
        self.handle = path.open(encoding="utf-8")
        self.buffer = ""
        self.position = 0
        self.line = 1  # the line at ``buffer[0]``
        self.column_start = 0  # the offset of that line's first character (may be negative)
        self.done = False
        self.start = 0  # where the last value decoded began: its text is ``buffer[start:position]``

    def close(self) -> None:
        self.handle.close()

    def more(self) -> bool:
        """Read another chunk, dropping what has been consumed. False at the end of the file."""
        if self.done:
            return False
        chunk = self.handle.read(CHUNK)
        if not chunk:
            self.done = True
            return False
        consumed = self.buffer[: self.position]
        newlines = consumed.count("\n")
        if newlines:
            self.line += newlines
            self.column_start = consumed.rindex("\n") + 1 - self.position
        else:
            self.column_start -= self.position
        self.buffer = self.buffer[self.position :] + chunk
        self.position = 0
        return True

    def skip_space(self) -> str:
        """The next character that is not white space ("" at the end of the file)."""
        while True:
            self.position = _SPACE.match(self.buffer, self.position).end()  # type: ignore[union-attr]
            if self.position < len(self.buffer):
                return self.buffer[self.position]
            if not self.more():
                return ""

    def expect(self, wanted: str, what: str) -> str:
        found = self.skip_space()
        if found == "" or found not in wanted:
            self.fail(f"expected {what}")
        self.position += 1
        return found

    def value(self) -> Any:
        """Decode the JSON value that starts here; read more of the file while it is cut short."""
        self.skip_space()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buffer, self.position)
            except json.JSONDecodeError as error:
                if len(self.buffer) - self.position < ITEM_LIMIT and self.more():
                    continue
                self.fail(error.msg, error.pos)
            # A number cut by the buffer's end ("-4." of "-4.5e3") decodes as a shorter number: it ends
            # only where white space, ',', ']' or '}' follows.
            if (
                isinstance(value, (int, float))
                and (end == len(self.buffer) or self.buffer[end] not in _AFTER_NUMBER)
                and self.more()
            ):
                continue
            self.start, self.position = self.position, end
            return value

    def where(self, position: int) -> tuple[int, int]:
        before = self.buffer[:position]
        newlines = before.count("\n")
        if newlines:
            return self.line + newlines, position - before.rindex("\n")
        return self.line, position - self.column_start + 1

    def fail(self, message: str, position: int | None = None) -> None:
        line, column = self.where(self.position if position is None else position)
        raise BundleSyntaxError(f"{message}: line {line} column {column}")


def bundle_items(path: Path, *, only: set[str] | None = None) -> Iterator[tuple[str, int | None, Any, str]]:
    """(key, index, item, text) for each item of each top-level array, (key, None, value, text) for the
    other top-level values, in the order of the file; ``text`` is the value's JSON text as it is in the
    file. With ``only``, arrays not named are skipped (still checked as JSON) and other values are not
    returned."""
    text = _Text(path)
    try:
        if text.skip_space() != "{":
            raise BundleSyntaxError("a case bundle is a JSON object")
        text.position += 1
        if text.skip_space() == "}":
            text.position += 1
            return
        keys: set[str] = set()
        while True:
            if text.skip_space() != '"':
                text.fail("expected a key in double quotes")
            key = text.value()
            if key in keys:  # one section in two places would be read as one, or one replace the other
                text.fail(f"the key {key!r} appears twice in the bundle", text.start)
            keys.add(key)
            text.expect(":", "':'")
            wanted = only is None or key in only
            if text.skip_space() != "[":
                value = text.value()
                if only is None:
                    yield key, None, value, text.buffer[text.start : text.position]
            else:
                text.position += 1
                index = 0
                if text.skip_space() == "]":
                    text.position += 1
                else:
                    while True:
                        item = text.value()
                        if wanted:
                            yield key, index, item, text.buffer[text.start : text.position]
                        index += 1
                        if text.expect(",]", "',' or ']'") == "]":
                            break
            if text.expect(",}", "',' or '}'") == "}":
                break
        if text.skip_space() != "":
            text.fail("extra data after the bundle")
    finally:
        text.close()


class SpooledSection:
    """A top-level array of a bundle file kept on disk, one item's JSON text a line, while the file is
    checked and written: it can be read again (each item decoded afresh) as often as needed, and memory
    holds only the items in use (ADR 21)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: TextIO | None = path.open("w", encoding="utf-8", newline="\n")
        self.count = 0

    def append(self, text: str) -> None:
        """Keep one item, given as its JSON text (a line break in it can only be white space)."""
        assert self._handle is not None, "a section is written before it is read"
        self._handle.write(text.replace("\n", " ") if "\n" in text else text)
        self._handle.write("\n")
        self.count += 1

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[Any]:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        with self.path.open(encoding="utf-8", newline="\n") as handle:
            for line in handle:
                yield json.loads(line)
