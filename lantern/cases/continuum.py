"""The area's continuum of need: its levels, in its own words, and the indicators of each.

A JSON file: Lantern's default (``continuum.json`` here: 1 universal, 2 early help, 3 child in need,
4 child protection, as DESIGN.md says), or the area's own named by ``LANTERN_CONTINUUM``. It is checked
when Lantern starts; anything wrong stops it with a message naming the file and the place in it.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

DEFAULT = Path(__file__).with_name("continuum.json")
_CODE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Level:
    rank: int  # 1 is the least need
    code: str
    name: str
    description: str
    indicators: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.rank}. {self.name}"


@dataclass(frozen=True)
class Continuum:
    title: str
    levels: tuple[Level, ...]

    def level(self, code: str) -> Level | None:
        return next((level for level in self.levels if level.code == code), None)


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ImproperlyConfigured(f"{where}: write some text here")
    return value.strip()


def continuum_parse(data: Any, *, name: str) -> Continuum:
    if not isinstance(data, dict):
        raise ImproperlyConfigured(f"{name}: the continuum of need is a JSON object")
    unknown = set(data) - {"title", "levels"}
    if unknown:
        raise ImproperlyConfigured(f"{name}: unknown key(s) {', '.join(sorted(unknown))}")
    title = _text(data.get("title"), f"{name}: title")
    raw = data.get("levels")
    if not isinstance(raw, list) or len(raw) < 2:
        raise ImproperlyConfigured(f"{name}: levels: give at least 2 levels, least need first")
    levels: list[Level] = []
    for rank, item in enumerate(raw, start=1):
        where = f"{name}: levels[{rank - 1}]"
        if not isinstance(item, dict):
            raise ImproperlyConfigured(
                f"{where}: a level is an object with code, name, description, indicators"
            )
        unknown = set(item) - {"code", "name", "description", "indicators"}
        if unknown:
            raise ImproperlyConfigured(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        code = item.get("code")
        if not isinstance(code, str) or not _CODE.match(code) or len(code) > 40:
            raise ImproperlyConfigured(
                f"{where}.code: {code!r} must be lower-case words joined by hyphens, like early-help"
            )
        if any(level.code == code for level in levels):
            raise ImproperlyConfigured(f"{where}.code: {code!r} is the code of an earlier level too")
        indicators = item.get("indicators")
        if not isinstance(indicators, list) or not indicators:
            raise ImproperlyConfigured(f"{where}.indicators: list at least one indicator")
        texts = tuple(_text(text, f"{where}.indicators[{i}]") for i, text in enumerate(indicators))
        if len(set(texts)) != len(texts):
            raise ImproperlyConfigured(f"{where}.indicators: an indicator is listed twice")
        levels.append(
            Level(
                rank=rank,
                code=code,
                name=_text(item.get("name"), f"{where}.name"),
                description=_text(item.get("description"), f"{where}.description"),
                indicators=texts,
            )
        )
    return Continuum(title=title, levels=tuple(levels))


@cache
def continuum() -> Continuum:
    path = Path(os.environ.get("LANTERN_CONTINUUM") or DEFAULT)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ImproperlyConfigured(f"{path}: cannot read the continuum of need: {error}") from None
    return continuum_parse(data, name=str(path))
