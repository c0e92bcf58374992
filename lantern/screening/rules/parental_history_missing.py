from __future__ import annotations

from types import MappingProxyType

from lantern.screening.facts import ChildFacts
from lantern.screening.rule import Finding, Parameters, Rule, evidence


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    neglect = [plan for plan in facts.open_plans() if plan.category == "neglect"]
    if not neglect:
        return None
    responsible = [a for a in facts.adults if a.parental_responsibility]
    if any(a.childhood_history for a in responsible):
        return None
    if responsible:
        n = len(responsible)
        who = "the adult" if n == 1 else f"any of the {n} adults"
        summary = (
            f"On a neglect plan, and no childhood history is recorded for {who} with parental responsibility"
        )
    else:
        summary = (
            "On a neglect plan, and no adult with parental responsibility is recorded, so neither is any "
        )
        summary += "parent's own childhood history"
    return Finding(summary=summary, evidence=evidence(*(plan.ref for plan in neglect)))


RULE = Rule(
    code="parental-history-missing",
    title="Parents' own childhood history not recorded",
    severity="low",
    trigger="open neglect plan and no adult with parental responsibility has their own childhood history recorded",
    learning="Always take the full history of the family into account and patterns of previous episodes of "
    "neglect. Include background information of the parents' own childhood to better assess parenting capability.",
    recommended_action="Record the family history, including the background of each parent's own childhood.",
    procedure="neglect-guidance",
    check=check,
    parameters=MappingProxyType({}),
)
