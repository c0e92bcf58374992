from __future__ import annotations

from types import MappingProxyType

from lantern.screening.facts import ChildFacts
from lantern.screening.rule import Finding, Parameters, Rule, evidence


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    missed = [
        e
        for e in facts.events_of("appointment", since=facts.within(p["window_days"]))
        if e.outcome == "was-not-brought"
    ]
    if not missed:
        return None
    on_cp_plan = any(plan.type == "child-protection" for plan in facts.open_plans())
    if len(missed) >= p["count"] or on_cp_plan:
        why = " while on a child protection plan" if on_cp_plan and len(missed) < p["count"] else ""
        return Finding(
            summary=f"Not brought to {len(missed)} appointment{'s' if len(missed) != 1 else ''} in the last "
            f"{p['window_days']} days{why}",
            evidence=evidence(*(e.ref for e in missed)),
        )
    return None


RULE = Rule(
    code="was-not-brought",
    title="Missed health appointments",
    severity="medium",
    trigger="≥2 appointments with outcome was-not-brought in the last 180 days, or ≥1 while the child is on an "
    "open child protection plan",
    learning="Professionals in all agencies should understand the significance of missed medical appointments "
    "for children. A system should be in place that allows missed appointments to be monitored.",
    recommended_action="The lead professional or referrer follows the local was-not-brought procedure; consider "
    "a safeguarding referral.",
    procedure="was-not-brought-procedure",
    check=check,
    parameters=MappingProxyType({"window_days": 180, "count": 2}),
)
