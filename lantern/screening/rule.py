"""A screening rule: a stable code, what the briefing learned, what to do, its parameters, and ``check``,
a pure function from a child's facts (as at the screening date) to a finding or nothing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from lantern.screening.facts import ChildFacts

if TYPE_CHECKING:
    from lantern.screening.counting import Counted

SEVERITIES = ("info", "low", "medium", "high", "urgent")
# The local procedures an area links its alerts to (configured per area; see config.py).
PROCEDURES = (
    "neglect-strategy",
    "neglect-guidance",
    "pre-birth-procedures",
    "abuse-of-disabled-children",
    "thresholds-document",
    "escalation-policy",
    "was-not-brought-procedure",
    "non-mobile-injury-protocol",
)


@dataclass(frozen=True)
class Finding:
    """What a rule found: a summary, the evidence (references), and its severity if not the rule's."""

    summary: str
    evidence: tuple[str, ...]
    severity: str | None = None


Parameters = Mapping[str, int]


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    severity: str
    trigger: str  # DESIGN.md's default trigger, in words
    learning: str  # the briefing's words
    recommended_action: str
    procedure: str
    check: Callable[[ChildFacts, Parameters], Finding | None]
    parameters: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    # A counting trigger (counting.py) that ``check`` reads through: the batch screen then asks the
    # database which children match rather than running ``check`` for every child.
    counts: Counted | None = None

    def __post_init__(self) -> None:
        assert self.severity in SEVERITIES, self.code
        assert self.procedure in PROCEDURES, self.code


def evidence(*refs: str) -> tuple[str, ...]:
    """Evidence in a stable order (so the same data gives the same alert, byte for byte)."""
    return tuple(sorted(set(refs)))
