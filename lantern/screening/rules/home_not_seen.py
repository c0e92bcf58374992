"""home-not-seen: home visits go on, but none of them sees the child at the main home.

A visit counts as seeing the child at the main home only when both hold: location main-home and outcome
seen. Seeing the child elsewhere, or going to the main home and not getting in, does not.
"""

from __future__ import annotations

from types import MappingProxyType

from lantern.screening.facts import ChildFacts, EventFact
from lantern.screening.rule import Finding, Parameters, Rule, evidence


def seen_at_main_home(visit: EventFact) -> bool:
    return visit.location == "main-home" and visit.outcome == "seen"


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    visits = facts.events_of("home-visit", since=facts.within(p["window_days"]))
    if len(visits) < p["count"] or any(seen_at_main_home(v) for v in visits):
        return None
    elsewhere = sum(1 for v in visits if v.location == "elsewhere")
    where = f" ({elsewhere} of them took place elsewhere)" if elsewhere else ""
    return Finding(
        summary=f"{len(visits)} home visits in the last {p['window_days']} days and none saw the child at the "
        f"main home{where}",
        evidence=evidence(*(v.ref for v in visits)),
    )


RULE = Rule(
    code="home-not-seen",
    title="Child not seen at the main home",
    severity="high",
    trigger="≥2 home visits in the last 90 days and none of them saw the child at the main home",
    learning="It is important for professionals to access the main home where a family lives and ensure the "
    "property is suitable for the family and not be distracted by families insisting on visits away from the "
    "main home.",
    recommended_action="Make an unannounced visit to the main home and see the child there. Complete a home "
    "conditions assessment.",
    procedure="neglect-guidance",
    check=check,
    parameters=MappingProxyType({"window_days": 90, "count": 2}),
)
