from __future__ import annotations

from types import MappingProxyType

from lantern.screening.facts import ChildFacts
from lantern.screening.rule import Finding, Parameters, Rule, evidence


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    without = [plan for plan in facts.open_plans() if not plan.lead_professional]
    if not without:
        return None
    kinds = sorted({plan.type.replace("-", " ") for plan in without})
    plans = f"the {kinds[0]} plan" if len(without) == 1 else f"{len(without)} open plans"
    return Finding(
        summary=f"No lead professional is recorded for {plans}",
        evidence=evidence(*(plan.ref for plan in without)),
    )


RULE = Rule(
    code="no-lead-professional",
    title="No lead professional",
    severity="medium",
    trigger="an open plan with no lead professional",
    learning="When there's no long term positive change, the lead professional should co-ordinate support and "
    "services. Doing this will help agencies work effectively together. Roles and responsibilities must be clearly "
    "understood. When undertaking multi-agency assessments all agencies must be aware of which agency is leading "
    "and what action is being taken.",
    recommended_action="Allocate a lead professional to co-ordinate the plan, and tell every agency involved who "
    "it is.",
    procedure="neglect-guidance",
    check=check,
    parameters=MappingProxyType({}),
)
