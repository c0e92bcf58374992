"""A GOV.UK Frontend macro's HTML for the same parameters, rendered once per process (ADR 20).

The chronology's filters are about forty checkboxes, rendered through GOV.UK Frontend's macros on every
page and every htmx answer: half the time spent rendering the page. Their parameters (the choices, which
are ticked) repeat from request to request, and a macro's HTML depends on its parameters alone, so
``rendered_once(govukCheckboxes, {...})`` keeps the HTML for each set of parameters it has seen (the most
recent ``SIZE``, least recently used first out).

For parameters without personal data only (filters, choices, settings): what is kept stays in the
process's memory, and a key is the whole set of parameters.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Any

from markupsafe import Markup

SIZE = 512


def _key_part(value: Any) -> Any:
    """The parameters as plain JSON values, markup told apart from text (they render differently)."""
    if isinstance(value, Markup):
        return {"__html__": str(value)}
    if isinstance(value, dict):
        return {str(k): _key_part(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_key_part(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"rendered_once: a parameter of type {type(value).__name__} cannot be part of a key")


class RenderedOnce:
    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._html: OrderedDict[tuple[str, str], Markup] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, macro: Any, params: dict[str, Any]) -> Markup:
        key = (macro.name, json.dumps(_key_part(params), sort_keys=True, separators=(",", ":")))
        with self._lock:
            html = self._html.get(key)
            if html is not None:
                self._html.move_to_end(key)
                return html
        html = Markup(macro(params))  # noqa: S704  # nosec B704: the macro's own output, already escaped
        with self._lock:
            self._html[key] = html
            if len(self._html) > self.size:
                self._html.popitem(last=False)
        return html

    def __len__(self) -> int:
        return len(self._html)


rendered_once = RenderedOnce()
