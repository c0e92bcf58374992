from __future__ import annotations

from types import MappingProxyType

from lantern.screening.facts import ChildFacts
from lantern.screening.rule import Finding, Parameters, Rule, evidence


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    # An action done after the screening date was not done as at it: facts give it no done_on then.
    late = [
        a
        for plan in facts.open_plans()
        for a in plan.actions
        if a.done_on is None and (facts.as_of - a.due_on).days >= p["overdue_days"]
    ]
    if not late:
        return None
    oldest = max((facts.as_of - a.due_on).days for a in late)
    if len(late) == 1:
        summary = f"1 plan action is not done {oldest} days after its due date (the limit is {p['overdue_days']} days)"
    else:
        summary = (
            f"{len(late)} plan actions are not done {p['overdue_days']} days or more after their due dates "
            f"(the oldest was due {oldest} days ago)"
        )
    return Finding(summary=summary, evidence=evidence(*(a.ref for a in late)))


RULE = Rule(
    code="overdue-actions",
    title="Overdue plan actions",
    severity="medium",
    trigger="a plan action not done whose due date is ≥28 days past",
    learning="The detail of the work agreed to by all individuals at the conference and core group (and "
    "accompanying timescales) should also be precisely and clearly set out. All partner professionals should be "
    "reminded of their responsibilities - and the different options available ranging from informal to formal - "
    "to challenge drift and delay in care planning.",
    recommended_action="The action's owner and the lead professional complete the action or agree a new date and "
    "record why. Escalate the drift under the escalation policy if it continues.",
    procedure="escalation-policy",
    check=check,
    parameters=MappingProxyType({"overdue_days": 28}),
)
