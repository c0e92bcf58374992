from __future__ import annotations

from types import MappingProxyType

from lantern.screening.facts import ChildFacts
from lantern.screening.rule import Finding, Parameters, Rule, evidence


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    if not facts.open_plans():
        return None
    allocations = facts.events_of("allocation", since=facts.within(p["window_days"]))
    if len(allocations) < p["count"]:
        return None
    return Finding(
        summary=f"A new worker has been allocated {len(allocations)} times in the last {p['window_days']} days "
        "while the child is on a plan",
        evidence=evidence(*(e.ref for e in allocations)),
    )


RULE = Rule(
    code="worker-turnover",
    title="Frequent change of worker",
    severity="medium",
    trigger="open plan and ≥3 allocation events (each a newly allocated worker) in the last 365 days",
    learning="High caseloads and understaffing may result in absence of supervision and support for social "
    "workers. High staff turnover makes it difficult to establish meaningful relationships with families.",
    recommended_action="The team manager reviews the allocations and plans for continuity of worker, so that the "
    "family can build a relationship with one worker.",
    procedure="neglect-strategy",
    check=check,
    parameters=MappingProxyType({"count": 3, "window_days": 365}),
)
