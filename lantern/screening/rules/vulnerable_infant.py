"""vulnerable-infant: a baby (older if premature or with ongoing health needs) and a risk factor on an adult.

The adults are those the facts hold: parental responsibility for the child, or living in the household.
Risk factors are counted as distinct factors across the adults (two adults who misuse substances are one
factor); a risk factor has no end date, so every one recorded by the screening date counts.
"""

from __future__ import annotations

from types import MappingProxyType

from lantern.screening.facts import ChildFacts
from lantern.screening.rule import Finding, Parameters, Rule, evidence


def in_words(factors: set[str] | frozenset[str]) -> str:
    return ", ".join(sorted(f.replace("-", " ") for f in factors))


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    months = facts.months_old()
    if months is None:
        return None
    more_vulnerable = facts.premature or bool(facts.health_needs)
    age_limit = p["vulnerable_age_months"] if more_vulnerable else p["age_months"]
    if months >= age_limit:
        return None
    factors = {r.factor for a in facts.adults for r in a.risk_factors}
    if len(factors) < p["risk_factors"]:
        return None
    why = ", ".join(
        reason
        for reason, applies in (
            ("premature", facts.premature),
            ("with ongoing health needs", facts.health_needs),
        )
        if applies
    )
    why = f" ({why})" if why else ""
    return Finding(
        summary=f"A baby under {age_limit} months old{why}, and {len(factors)} risk "
        f"factor{'s' if len(factors) != 1 else ''} recorded on the adults around them: {in_words(factors)}",
        evidence=evidence(*(a.ref for a in facts.adults if a.risk_factors)),
    )


RULE = Rule(
    code="vulnerable-infant",
    title="Vulnerable baby with a risk factor at home",
    severity="medium",
    trigger="child under 1 (under 2 if premature or with ongoing health needs) and ≥1 risk factor on an adult",
    learning="Newborn babies, premature babies and babies with ongoing health needs are particularly "
    "vulnerable. Neonatal professionals have a key role in identifying neglect.",
    recommended_action="Monitor the baby more closely. Involve neonatal and health visiting services.",
    procedure="neglect-guidance",
    check=check,
    parameters=MappingProxyType({"age_months": 12, "vulnerable_age_months": 24, "risk_factors": 1}),
)
