from __future__ import annotations

from types import MappingProxyType

from lantern.screening.facts import ChildFacts
from lantern.screening.rule import Finding, Parameters, Rule, evidence


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    """Overdue when, as at the screening date, more than ``first_review_days`` have passed since the plan
    started with no review yet, or more than ``review_interval_days`` since the last review."""
    refs: list[str] = []
    sentences: list[str] = []
    for plan in facts.open_plans():
        if plan.type != "child-protection":
            continue
        if plan.reviews:
            last = max(plan.reviews, key=lambda r: r.held_on)
            days = (facts.as_of - last.held_on).days
            if days > p["review_interval_days"]:
                sentences.append(
                    f"The child protection plan was last reviewed {days} days ago "
                    f"(reviews are due within {p['review_interval_days']} days of the last one)"
                )
                refs += [plan.ref, last.ref]
        else:
            days = (facts.as_of - plan.started_on).days
            if days > p["first_review_days"]:
                sentences.append(
                    f"The child protection plan started {days} days ago and has not been reviewed "
                    f"(the first review is due within {p['first_review_days']} days)"
                )
                refs.append(plan.ref)
    if not sentences:
        return None
    return Finding(summary="; ".join(sentences), evidence=evidence(*refs))


RULE = Rule(
    code="review-overdue",
    title="Child protection plan review overdue",
    severity="high",
    trigger="open child protection plan with no review within 92 days of its start, or later within 183 days of "
    "the last review",
    learning="Interventions must be linked to specific improved outcomes. Professionals should undertake regular "
    "reviews to check improvements are being made.",
    recommended_action="Convene the review child protection conference.",
    procedure="neglect-guidance",
    check=check,
    parameters=MappingProxyType({"first_review_days": 92, "review_interval_days": 183}),
)
