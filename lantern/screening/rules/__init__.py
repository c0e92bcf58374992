"""The rule catalogue (DESIGN.md): one module per rule, registered here under its stable code."""

from __future__ import annotations

from importlib import import_module

from lantern.screening.rule import Rule

# Order of DESIGN.md's table. Adding a rule: write its module, add its name here.
MODULES = (
    "was_not_brought",
    "repeated_ae_attendance",
)

RULES: dict[str, Rule] = {}
for _module in MODULES:
    _rule: Rule = import_module(f"{__name__}.{_module}").RULE
    assert _rule.code not in RULES, f"two rules have the code {_rule.code}"
    RULES[_rule.code] = _rule
