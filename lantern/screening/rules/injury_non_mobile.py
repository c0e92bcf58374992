"""injury-non-mobile: an injury when the child was under 6 months old (age at the injury, not today)."""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType

from lantern.screening.facts import ChildFacts, EventFact
from lantern.screening.rule import Finding, Parameters, Rule, evidence


def months_old_on(born: dt.date, day: dt.date) -> int:
    """Whole months of age on ``day`` (as ChildFacts.months_old, at another date)."""
    return (day.year - born.year) * 12 + day.month - born.month - (day.day < born.day)


def is_injury(event: EventFact) -> bool:
    if event.type == "attendance":
        return event.reason == "injury"
    return event.type == "observation" and "injury" in event.tags


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    born = facts.date_of_birth
    if facts.is_unborn or born is None:
        return None
    injuries = [
        e
        for e in facts.events_of("attendance", "observation")
        if is_injury(e) and born <= e.occurred_on and months_old_on(born, e.occurred_on) < p["age_months"]
    ]
    if not injuries:
        return None
    count = len(injuries)
    return Finding(
        summary=f"{count} injur{'ies' if count != 1 else 'y'} recorded when the child was under "
        f"{p['age_months']} months old (not yet mobile)",
        evidence=evidence(*(e.ref for e in injuries)),
    )


RULE = Rule(
    code="injury-non-mobile",
    title="Injury to a baby who is not yet mobile",
    severity="urgent",
    trigger="an attendance with reason injury, or an observation tagged injury, when the child was under 6 "
    "months old",
    learning="Newborn babies, premature babies and babies with ongoing health needs are particularly "
    "vulnerable. Pay attention to accidents and injuries.",
    recommended_action="Urgent: follow the protocol for bruising and injuries in non-mobile babies. Hold a "
    "strategy discussion.",
    procedure="non-mobile-injury-protocol",
    check=check,
    parameters=MappingProxyType({"age_months": 6}),
)
