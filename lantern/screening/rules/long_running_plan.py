from __future__ import annotations

import datetime as dt
from types import MappingProxyType

from lantern.screening.facts import ChildFacts
from lantern.screening.rule import Finding, Parameters, Rule, evidence


def whole_months(start: dt.date, day: dt.date) -> int:
    """Whole calendar months from ``start`` to ``day``, counted as ages are (ChildFacts.months_old).

    A plan started on 1 May turns 18 months old on 1 November of the next year. Where the anniversary day does
    not exist (started 31 August, 18 months on is February), it turns on the 1st of the month after.
    """
    return (day.year - start.year) * 12 + day.month - start.month - (day.day < start.day)


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    long = [
        plan
        for plan in facts.open_plans()
        if plan.type == "child-protection" and whole_months(plan.started_on, facts.as_of) >= p["months"]
    ]
    if not long:
        return None
    oldest = min(long, key=lambda plan: plan.started_on)
    months = whole_months(oldest.started_on, facts.as_of)
    return Finding(
        summary=f"The child protection plan has been open for {months} months (since {oldest.started_on:%B %Y}); "
        f"plans open {p['months']} months or more need a senior management review",
        evidence=evidence(*(plan.ref for plan in long)),
    )


RULE = Rule(
    code="long-running-plan",
    title="Long-running child protection plan",
    severity="high",
    trigger="child protection plan open ≥18 months",
    learning="Hope for change for families must be balanced with the absolute need to avoid case drift. Where "
    "improvements are not being sustained, professionals must decide whether legal proceedings are necessary to "
    "protect the child.",
    recommended_action="Arrange a senior management review of the plan, and consider whether legal proceedings "
    "are necessary to protect the child.",
    procedure="escalation-policy",
    check=check,
    parameters=MappingProxyType({"months": 18}),
)
