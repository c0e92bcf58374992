"""Local policy: each area may change a rule's parameters and link each procedure to its own document.

A JSON file named by ``LANTERN_SCREENING_CONFIG``:
``{"rules": {"was-not-brought": {"window_days": 120}}, "procedures": {"neglect-guidance": "https://…"}}``.
It is checked when Lantern starts; an unknown rule or parameter, or a value that is not a positive whole
number, stops it with a message naming what is wrong.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from lantern.screening.rule import PROCEDURES, Parameters


@dataclass(frozen=True)
class ScreeningConfig:
    parameters: dict[str, Parameters]
    procedure_links: dict[str, str]

    @cached_property
    def every_rule(self) -> dict[str, Parameters]:
        """Every rule's parameters: this configuration's, or the rule's defaults."""
        from lantern.screening.rules import RULES

        return {code: self.parameters.get(code, rule.parameters) for code, rule in RULES.items()}


def config_parse(data: Any, *, name: str) -> ScreeningConfig:
    from lantern.screening.rules import RULES

    if not isinstance(data, dict):
        raise ImproperlyConfigured(f"{name}: the screening configuration is a JSON object")
    unknown = set(data) - {"rules", "procedures"}
    if unknown:
        raise ImproperlyConfigured(f"{name}: unknown section(s) {', '.join(sorted(unknown))}")
    parameters: dict[str, Parameters] = {}
    for code, overrides in (data.get("rules") or {}).items():
        rule = RULES.get(code)
        if rule is None:
            raise ImproperlyConfigured(f"{name}: rules.{code}: there is no rule with this code")
        if not isinstance(overrides, dict):
            raise ImproperlyConfigured(f"{name}: rules.{code}: give the rule's parameters as an object")
        for key, value in overrides.items():
            if key not in rule.parameters:
                known = ", ".join(rule.parameters) or "none"
                raise ImproperlyConfigured(
                    f"{name}: rules.{code}.{key}: not a parameter of this rule (it has {known})"
                )
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ImproperlyConfigured(
                    f"{name}: rules.{code}.{key}: {value!r} must be a whole number, 1 or more"
                )
        parameters[code] = MappingProxyType({**rule.parameters, **overrides})
    links = data.get("procedures") or {}
    for procedure, link in links.items():
        if procedure not in PROCEDURES:
            raise ImproperlyConfigured(
                f"{name}: procedures.{procedure}: not a procedure ({', '.join(PROCEDURES)})"
            )
        if not isinstance(link, str) or not link.startswith(("https://", "http://", "/")):
            raise ImproperlyConfigured(f"{name}: procedures.{procedure}: {link!r} is not a link")
    return ScreeningConfig(parameters=parameters, procedure_links=dict(links))


@cache
def screening_config() -> ScreeningConfig:
    path = os.environ.get("LANTERN_SCREENING_CONFIG")
    if not path:
        return ScreeningConfig(parameters={}, procedure_links={})
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ImproperlyConfigured(f"{path}: cannot read the screening configuration: {error}") from None
    return config_parse(data, name=path)


def parameters_of(code: str) -> Parameters:
    return screening_config().every_rule[code]
