from __future__ import annotations

from types import MappingProxyType

from lantern.screening.facts import ChildFacts
from lantern.screening.rule import Finding, Parameters, Rule, evidence

SUPERVISION_TAGS = frozenset({"inadequate-supervision", "left-with-unsuitable-carer"})


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    # An observation with both tags is one observation.
    observations = [
        e
        for e in facts.events_of("observation", since=facts.within(p["window_days"]))
        if e.tags & SUPERVISION_TAGS
    ]
    if len(observations) < p["count"]:
        return None
    return Finding(
        summary=f"{len(observations)} observations of inadequate supervision or of the child left with an "
        f"unsuitable carer in the last {p['window_days']} days",
        evidence=evidence(*(e.ref for e in observations)),
    )


RULE = Rule(
    code="supervision-concern",
    title="Lack of supervision",
    severity="medium",
    trigger="≥2 observations tagged inadequate-supervision or left-with-unsuitable-carer in the last 365 days",
    learning="Frequently accidents may be an indicator of poor quality parenting through lack of supervision or "
    "living in an unsafe home. Lack of supervision may include inappropriate supervision such as unacceptably "
    "young babysitters or unsuitable adults. Record all circumstances which may affect the level of care the "
    "child receives, for example substance misuse, and establish any patterns of care, such as the child being "
    "left with neighbours.",
    recommended_action="Record the pattern of care the child receives. Assess the parents' capacity to supervise "
    "the child safely.",
    procedure="neglect-guidance",
    check=check,
    parameters=MappingProxyType({"window_days": 365, "count": 2}),
)
