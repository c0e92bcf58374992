"""cumulative-risk: several risk factors on the adults around the child.

High when the adults between them have at least 2 of domestic abuse, substance misuse and parental mental
health problems (the briefing's first risk factor); otherwise medium when they have at least 3 distinct
risk factors of any kind. Factors are distinct across adults: a factor two adults share counts once.
Only the codes named count towards the first test (postnatal depression, say, counts towards the second).
"""

from __future__ import annotations

from types import MappingProxyType

from lantern.screening.facts import ChildFacts
from lantern.screening.rule import Finding, Parameters, Rule, evidence

HIGHEST_RISK = frozenset({"domestic-abuse", "substance-misuse", "parental-mental-health"})


def in_words(factors: set[str] | frozenset[str]) -> str:
    return ", ".join(sorted(f.replace("-", " ") for f in factors))


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    factors = {r.factor for a in facts.adults for r in a.risk_factors}
    highest = factors & HIGHEST_RISK
    if len(highest) >= p["highest_risk_count"]:
        severity, found = "high", highest
    elif len(factors) >= p["distinct_count"]:
        severity, found = "medium", factors
    else:
        return None
    if severity == "high":
        summary = (
            f"The adults around the child have {len(found)} of the {len(HIGHEST_RISK)} risk factors domestic "
            f"abuse, substance misuse and parental mental health: {in_words(found)}"
        )
    else:
        summary = f"The adults around the child have {len(found)} different risk factors: {in_words(found)}"
    return Finding(
        summary=summary,
        evidence=evidence(*(a.ref for a in facts.adults if any(r.factor in found for r in a.risk_factors))),
        severity=severity,
    )


RULE = Rule(
    code="cumulative-risk",
    title="Cumulative risk factors",
    severity="medium",  # the finding gives high for the first test
    trigger="adults have ≥2 of domestic-abuse, substance-misuse, parental-mental-health (high), or ≥3 distinct "
    "risk factors of any kind (medium)",
    learning="Understand the impact of cumulative and long term effects of neglect. Risk factors highlighted in "
    "these case reviews impact on the parents' ability to provide safe and appropriate care and to meet their "
    "children's needs: living with domestic abuse, drug and alcohol misuse, and parents with mental health "
    "problems; young parents; postnatal depression; financial problems including housing problems, "
    "homelessness, poverty and unemployment.",
    recommended_action="Arrange a multi-agency assessment of the cumulative harm to the child.",
    procedure="thresholds-document",
    check=check,
    parameters=MappingProxyType({"highest_risk_count": 2, "distinct_count": 3}),
)
