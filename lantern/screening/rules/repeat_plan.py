from __future__ import annotations

from types import MappingProxyType

from lantern.screening.facts import ChildFacts
from lantern.screening.rule import Finding, Parameters, Rule, evidence


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    current = [plan for plan in facts.open_plans() if plan.type == "child-protection"]
    if not current:
        return None
    first_start = min(plan.started_on for plan in current)
    # An earlier plan: a child protection plan that started before the open one and had ended by the screening
    # date (facts leave out plans not yet started, and show one ending after the screening date as open).
    earlier = [
        plan
        for plan in facts.plans
        if plan.type == "child-protection" and plan not in current and plan.started_on < first_start
    ]
    if not earlier:
        return None
    n = len(earlier)
    return Finding(
        summary=f"On a child protection plan again, after {n} earlier child protection plan{'s' if n != 1 else ''} "
        f"(the first started in {min(plan.started_on for plan in earlier):%B %Y})",
        evidence=evidence(*(plan.ref for plan in current), *(plan.ref for plan in earlier)),
    )


RULE = Rule(
    code="repeat-plan",
    title="Second or later child protection plan",
    severity="medium",
    trigger="an open child protection plan for a child who had an earlier child protection plan",
    learning="Always take the full history of the family into account and patterns of previous episodes of "
    "neglect.",
    recommended_action="Review the previous episodes of child protection planning with the current plan, and "
    "consider the long-term pattern of neglect rather than this episode alone.",
    procedure="neglect-guidance",
    check=check,
    parameters=MappingProxyType({}),
)
