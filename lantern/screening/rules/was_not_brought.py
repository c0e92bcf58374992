from __future__ import annotations

from types import MappingProxyType

from lantern.screening.counting import Counted
from lantern.screening.facts import ChildFacts
from lantern.screening.rule import Finding, Parameters, Rule, evidence

# Provider cancellations (and every other outcome) never count.
MISSED = Counted(types=("appointment",), outcomes=("was-not-brought",), or_one_on_plan="child-protection")


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    missed = MISSED.events(facts, p)
    if not MISSED.matches(facts, p, missed):
        return None
    why = " while on a child protection plan" if len(missed) < p["count"] else ""
    return Finding(
        summary=f"Not brought to {len(missed)} appointment{'s' if len(missed) != 1 else ''} in the last "
        f"{p['window_days']} days{why}",
        evidence=evidence(*(e.ref for e in missed)),
    )


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
    counts=MISSED,
    parameters=MappingProxyType({"window_days": 180, "count": 2}),
)
