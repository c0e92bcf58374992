from __future__ import annotations

from types import MappingProxyType

from lantern.screening.facts import ChildFacts
from lantern.screening.rule import Finding, Parameters, Rule, evidence


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    decay = [
        e
        for e in facts.events_of("observation", since=facts.within(p["window_days"]))
        if "dental-decay" in e.tags
    ]
    if not decay:
        return None
    return Finding(
        summary=f"Tooth decay observed {'once' if len(decay) == 1 else f'{len(decay)} times'} in the last "
        f"{p['window_days']} days",
        evidence=evidence(*(e.ref for e in decay)),
    )


RULE = Rule(
    code="dental-decay",
    title="Tooth decay",
    severity="low",
    trigger="an observation tagged dental-decay in the last 365 days",
    learning="Tooth decay may indicate neglect. Dental services should consider initiating further enquiries or "
    "making a safeguarding referral.",
    recommended_action="The dental service should consider making further enquiries or a safeguarding referral.",
    procedure="neglect-guidance",
    check=check,
    parameters=MappingProxyType({"window_days": 365}),
)
