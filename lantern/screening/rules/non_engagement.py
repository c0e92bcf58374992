from __future__ import annotations

from types import MappingProxyType

from lantern.screening.facts import ChildFacts
from lantern.screening.rule import Finding, Parameters, Rule, evidence


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    # A declined early help offer is recorded as a referral (to early help) with this outcome.
    declined = [
        e
        for e in facts.events_of("referral", since=facts.within(p["window_days"]))
        if e.outcome == "declined-by-family"
    ]
    if not declined:
        return None
    n = len(declined)
    return Finding(
        summary=f"The family declined {n} referral{'s' if n != 1 else ''} or offer{'s' if n != 1 else ''} of "
        f"early help in the last {p['window_days']} days",
        evidence=evidence(*(e.ref for e in declined)),
    )


RULE = Rule(
    code="non-engagement",
    title="Family declined help",
    severity="info",
    trigger="the family declined a referral or an early help offer in the last 365 days",
    learning="Where families refuse to engage with early assessments, this shouldn't prevent professionals from "
    "sharing information or making referrals about child protection concerns.",
    recommended_action="Share information with the agencies involved, and make a referral where there are "
    "concerns: the family's refusal does not prevent either.",
    procedure="thresholds-document",
    check=check,
    parameters=MappingProxyType({"window_days": 365}),
)
