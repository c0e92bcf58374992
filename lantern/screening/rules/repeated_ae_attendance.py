from __future__ import annotations

from types import MappingProxyType

from lantern.screening.counting import Counted
from lantern.screening.facts import ChildFacts
from lantern.screening.rule import Finding, Parameters, Rule, evidence

ATTENDANCES = Counted(types=("attendance",))


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    attendances = ATTENDANCES.events(facts, p)
    if not ATTENDANCES.matches(facts, p, attendances):
        return None
    return Finding(
        summary=f"{len(attendances)} A&E, urgent care or minor injuries attendances in the last {p['window_days']} days",
        evidence=evidence(*(e.ref for e in attendances)),
    )


RULE = Rule(
    code="repeated-ae-attendance",
    title="Repeated A&E attendances",
    severity="medium",
    trigger="≥3 attendances (A&E, urgent care, minor injuries) in the last 365 days",
    learning="Frequently accidents may be an indicator of poor quality parenting through lack of supervision or "
    "living in an unsafe home. Repeated visits to A&E should raise concern.",
    recommended_action="Review the attendances together; share with the health visitor or school nurse and the GP.",
    procedure="neglect-guidance",
    check=check,
    counts=ATTENDANCES,
    parameters=MappingProxyType({"window_days": 365, "count": 3}),
)
