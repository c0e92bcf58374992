from __future__ import annotations

from types import MappingProxyType

from lantern.screening.facts import ChildFacts
from lantern.screening.rule import Finding, Parameters, Rule, evidence


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    if not facts.disabilities:
        return None
    plans = [plan for plan in facts.open_plans() if plan.category == "neglect"]
    observations = [
        e for e in facts.events_of("observation", since=facts.within(p["window_days"])) if e.neglect_tagged
    ]
    if not plans and not observations:
        return None
    found = []
    if plans:
        found.append("is on a neglect plan")
    if observations:
        n = len(observations)
        found.append(
            f"has {n} neglect observation{'s' if n != 1 else ''} in the last {p['window_days']} days"
        )
    return Finding(
        summary=f"A disabled child ({', '.join(facts.disabilities)}) {' and '.join(found)}",
        evidence=evidence(*(plan.ref for plan in plans), *(e.ref for e in observations)),
    )


RULE = Rule(
    code="disabled-child",
    title="Disabled child and neglect",
    severity="high",
    trigger="child with a recorded disability and an open neglect plan or a neglect-tagged observation in the last "
    "365 days",
    learning="Be aware of children who are more vulnerable to neglect. The main focus should always be whether the "
    "child's needs are being met and how that can be achieved to prevent significant harm.",
    recommended_action="Follow the procedure for the abuse of disabled children, and make sure the child's own "
    "communication is heard.",
    procedure="abuse-of-disabled-children",
    check=check,
    parameters=MappingProxyType({"window_days": 365}),
)
