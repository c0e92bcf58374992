"""pre-birth-risk: an unborn child, and a risk factor on an expectant parent.

An expectant parent is an adult with parental responsibility for the unborn child; other members of the
household do not count here (they do for cumulative-risk).
"""

from __future__ import annotations

from types import MappingProxyType

from lantern.screening.facts import ChildFacts
from lantern.screening.rule import Finding, Parameters, Rule, evidence


def in_words(factors: set[str] | frozenset[str]) -> str:
    return ", ".join(sorted(f.replace("-", " ") for f in factors))


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    if not facts.is_unborn:
        return None
    parents = [a for a in facts.adults if a.parental_responsibility and a.risk_factors]
    factors = {r.factor for a in parents for r in a.risk_factors}
    if len(factors) < p["risk_factors"]:
        return None
    return Finding(
        summary=f"An unborn baby whose expectant parent{'s have' if len(parents) != 1 else ' has'} "
        f"{len(factors)} risk factor{'s' if len(factors) != 1 else ''}: {in_words(factors)}",
        evidence=evidence(*(a.ref for a in parents)),
    )


RULE = Rule(
    code="pre-birth-risk",
    title="Risk factors before birth",
    severity="medium",
    trigger="unborn child and ≥1 risk factor on an expectant parent",
    learning="Newborn babies, premature babies and babies with ongoing health needs are particularly "
    "vulnerable. Risk factors highlighted in these case reviews impact on the parents' ability to provide safe "
    "and appropriate care and to meet their children's needs.",
    recommended_action="Complete a pre-birth assessment under the local pre-birth procedures.",
    procedure="pre-birth-procedures",
    check=check,
    parameters=MappingProxyType({"risk_factors": 1}),
)
