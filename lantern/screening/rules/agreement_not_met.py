"""agreement-not-met: a written agreement with parents on an open plan that is not met, or is overdue.

Only open plans count: a plan that has ended is no longer what the parents are held to (closing it needed a
review, which is where its agreements were weighed). An agreement still pending is overdue once its due date
is ``days_overdue`` days or more behind the screening date: on the due date itself it is not yet overdue.
"""

from __future__ import annotations

from types import MappingProxyType

from lantern.screening.facts import AgreementFact, ChildFacts
from lantern.screening.rule import Finding, Parameters, Rule, evidence


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    agreements: list[AgreementFact] = [a for plan in facts.open_plans() for a in plan.agreements]
    not_met = [a for a in agreements if a.status == "not-met"]
    overdue = [
        a for a in agreements if a.status == "pending" and (facts.as_of - a.due_on).days >= p["days_overdue"]
    ]
    if not not_met and not overdue:
        return None
    parts = []
    if not_met:
        parts.append(f"{len(not_met)} not met")
    if overdue:
        parts.append(f"{len(overdue)} still pending after {'its' if len(overdue) == 1 else 'their'} due date")
    return Finding(
        summary=f"Written agreements with the parents on an open plan: {' and '.join(parts)}",
        evidence=evidence(*(a.ref for a in not_met + overdue)),
    )


RULE = Rule(
    code="agreement-not-met",
    title="Written agreement not met",
    severity="medium",
    trigger="a written agreement not-met, or pending past its due date",
    learning="Be clear with parents about what needs to change and by when. Parents should be respectfully "
    "challenged when they fail to follow formal agreements.",
    recommended_action="Respectfully challenge the parents about the agreement. Review the plan.",
    procedure="neglect-guidance",
    check=check,
    parameters=MappingProxyType({"days_overdue": 1}),
)
