"""overlooked-teenager: a teenager whose brother or sister is on a plan, and who has none and no assessment.

Any assessment (of any template) in the window shows the teenager was looked at in their own right.
"""

from __future__ import annotations

from types import MappingProxyType

from lantern.screening.facts import ChildFacts
from lantern.screening.rule import Finding, Parameters, Rule, evidence


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    age = facts.age_in_years()
    if age is None or not p["min_age_years"] <= age <= p["max_age_years"]:
        return None
    if facts.open_plans():
        return None
    since = facts.within(p["window_days"])
    if any(a.completed_on >= since for a in facts.assessments):
        return None
    sibling_plans = [plan for s in facts.siblings for plan in s.plans if plan.is_open_on(facts.as_of)]
    if not sibling_plans:
        return None
    on_plans = sum(1 for s in facts.siblings if any(plan.is_open_on(facts.as_of) for plan in s.plans))
    return Finding(
        summary=f"The child, aged {age}, has no plan and no assessment in the last {p['window_days']} days, while "
        f"{on_plans} brother{'s or sisters are' if on_plans != 1 else ' or sister is'} on a plan",
        evidence=evidence(*(plan.ref for plan in sibling_plans)),
    )


RULE = Rule(
    code="overlooked-teenager",
    title="Teenager overlooked beside younger siblings",
    severity="medium",
    trigger="child aged 13–17 with a sibling on an open plan, while the teenager has no open plan and no "  # noqa: RUF001 (DESIGN.md's words)
    "assessment in the last 365 days",
    learning="Teenagers' needs can be missed especially where there are younger siblings. Professionals should "
    "understand the impact of long term neglect on a teenager's emotional wellbeing and consider the risk of "
    "self-harm and suicide.",
    recommended_action="Assess the teenager in their own right, including their emotional wellbeing.",
    procedure="neglect-guidance",
    check=check,
    parameters=MappingProxyType({"min_age_years": 13, "max_age_years": 17, "window_days": 365}),
)
