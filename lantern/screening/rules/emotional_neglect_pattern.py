"""emotional-neglect-pattern: observations of emotional neglect from more than one agency.

An observation with no recorded agency counts towards the number of observations but not towards the
number of agencies.
"""

from __future__ import annotations

from types import MappingProxyType

from lantern.screening.facts import ChildFacts
from lantern.screening.rule import Finding, Parameters, Rule, evidence


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    observations = [
        e
        for e in facts.events_of("observation", since=facts.within(p["window_days"]))
        if "emotional-neglect" in e.tags
    ]
    agencies = {e.agency for e in observations if e.agency}
    if len(observations) < p["count"] or len(agencies) < p["agencies"]:
        return None
    return Finding(
        summary=f"{len(observations)} observations of emotional neglect from {len(agencies)} agencies in the "
        f"last {p['window_days']} days",
        evidence=evidence(*(e.ref for e in observations)),
    )


RULE = Rule(
    code="emotional-neglect-pattern",
    title="Emotional neglect seen by several agencies",
    severity="medium",
    trigger="≥3 observations tagged emotional-neglect from ≥2 agencies in the last 180 days",
    learning="Emotional neglect is particularly difficult to evidence. Individual observations of emotional "
    "neglect should be systematically collated.",
    recommended_action="Collate the observations of emotional neglect. Consider an assessment of emotional "
    "neglect.",
    procedure="neglect-guidance",
    check=check,
    parameters=MappingProxyType({"window_days": 180, "count": 3, "agencies": 2}),
)
