"""self-harm-risk: a child of 11 or more who has self-harmed or spoken of suicide, against a background of
neglect (an open neglect plan, or a neglect-tagged observation).

DESIGN.md's "in the last 2 years" is read as the rule's one window: both the self-harm (or suicidal
ideation) observation and the neglect-tagged observation must fall in it. An urgent alert should rest on
something current; the full history stays in the chronology.
"""

from __future__ import annotations

from types import MappingProxyType

from lantern.screening.facts import ChildFacts
from lantern.screening.rule import Finding, Parameters, Rule, evidence

SELF_HARM_TAGS = frozenset({"self-harm", "suicidal-ideation"})


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    age = facts.age_in_years()
    if age is None or age < p["min_age_years"]:
        return None
    observations = facts.events_of("observation", since=facts.within(p["window_days"]))
    self_harm = [e for e in observations if e.tags & SELF_HARM_TAGS]
    if not self_harm:
        return None
    neglect_plans = [plan for plan in facts.open_plans() if plan.category == "neglect"]
    neglect = [e for e in observations if e.neglect_tagged]
    if not neglect_plans and not neglect:
        return None
    background = (
        "is on an open neglect plan"
        if neglect_plans
        else f"has {len(neglect)} observation{'s' if len(neglect) != 1 else ''} of neglect"
    )
    return Finding(
        summary=f"The child, aged {age}, has {len(self_harm)} observation{'s' if len(self_harm) != 1 else ''} "
        f"of self-harm or suicidal thoughts in the last {p['window_days']} days, and {background}",
        evidence=evidence(*(e.ref for e in self_harm + neglect), *(plan.ref for plan in neglect_plans)),
    )


RULE = Rule(
    code="self-harm-risk",
    title="Risk of self-harm or suicide",
    severity="urgent",
    trigger="child aged ≥11 with an observation tagged self-harm or suicidal-ideation, and an open neglect plan "
    "or any neglect-tagged observation in the last 2 years",
    learning="Professionals should understand the impact of long term neglect on a teenager's emotional "
    "wellbeing and consider the risk of self-harm and suicide. In these case reviews, children died or suffered "
    "serious harm in the following ways: attempted suicide of a young person as a result of the effect of long "
    "term neglect on mental health.",
    recommended_action="Urgent: arrange a mental health assessment and agree a safety plan with the young person.",
    procedure="neglect-guidance",
    check=check,
    parameters=MappingProxyType({"min_age_years": 11, "window_days": 730}),
)
