from __future__ import annotations

from types import MappingProxyType

from lantern.screening.facts import ChildFacts
from lantern.screening.rule import Finding, Parameters, Rule, evidence

NO_ACCESS_OUTCOMES = frozenset({"no-access", "cancelled-by-family"})


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    visits = [
        v
        for v in facts.events_of("home-visit", since=facts.within(p["window_days"]))
        if v.outcome in NO_ACCESS_OUTCOMES
    ]
    if len(visits) < p["count"]:
        return None
    return Finding(
        summary=f"{len(visits)} home visits in the last {p['window_days']} days with no access or cancelled by "
        "the family",
        evidence=evidence(*(v.ref for v in visits)),
    )


RULE = Rule(
    code="no-access-visits",
    title="Home visits with no access",
    severity="high",
    trigger="≥2 home visits with outcome no-access or cancelled-by-family in the last 90 days",
    learning="Be aware of the possibility of disguised compliance.",
    recommended_action="Discuss the visits in supervision. Consider whether the family's compliance is disguised.",
    procedure="neglect-guidance",
    check=check,
    parameters=MappingProxyType({"window_days": 90, "count": 2}),
)
