"""A progress bar on the terminal for long imports and generation (tqdm, on standard error)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tqdm import tqdm


@contextmanager
def terminal_progress(description: str, *, enabled: bool = True) -> Iterator[Callable[[str, int], None]]:
    """Yield ``progress(section, count)``; the bar counts records and names the current section."""
    bar = tqdm(desc=description, unit=" records", disable=not enabled or not sys.stderr.isatty(), leave=True)

    def progress(section: str, count: int) -> None:
        bar.set_postfix_str(section, refresh=False)
        bar.update(count)

    try:
        yield progress
    finally:
        bar.close()
