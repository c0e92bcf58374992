from __future__ import annotations

from types import MappingProxyType

from lantern.screening.facts import ChildFacts
from lantern.screening.rule import Finding, Parameters, Rule, evidence

GRADED_CARE = "graded-care"


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    neglect = [plan for plan in facts.open_plans() if plan.category == "neglect"]
    if not neglect:
        return None
    since = facts.within(p["window_days"])
    if any(a.template == GRADED_CARE and a.completed_on >= since for a in facts.assessments):
        return None
    earlier = [a for a in facts.assessments if a.template == GRADED_CARE]
    latest = max(earlier, key=lambda a: a.completed_on) if earlier else None
    last = (
        f"the last was {(facts.as_of - latest.completed_on).days} days ago"
        if latest
        else "there has never been one"
    )
    return Finding(
        summary=f"On a neglect plan with no graded care assessment in the last {p['window_days']} days ({last})",
        evidence=evidence(*(plan.ref for plan in neglect), *([latest.ref] if latest else [])),
    )


RULE = Rule(
    code="assessment-overdue",
    title="Graded care assessment overdue",
    severity="medium",
    trigger="open plan with category neglect and no graded assessment in the last 365 days",
    learning="Use a risk assessment toolkit and approach such as the Graded Care Profile (GCP), which seeks to "
    "prevent case drift by focusing on specific areas of need. Ensure the assessment is timely.",
    recommended_action="Complete a graded care assessment with the family.",
    procedure="neglect-guidance",
    check=check,
    parameters=MappingProxyType({"window_days": 365}),
)
