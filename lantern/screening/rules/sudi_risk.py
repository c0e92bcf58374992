from __future__ import annotations

from types import MappingProxyType

from lantern.screening.facts import ChildFacts
from lantern.screening.rule import Finding, Parameters, Rule, evidence

UNSAFE_SLEEP = "unsafe-sleep"
SUBSTANCE_MISUSE = "substance-misuse"


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    # Both limbs are about infants (sudden unexpected death *in infancy*): the age test applies to each.
    age = facts.age_in_years()
    if age is None or age >= p["age_years"]:
        return None
    observations = facts.events_of("observation", since=facts.within(p["window_days"]))
    unsafe = [e for e in observations if UNSAFE_SLEEP in e.tags]
    misuse = any(r.factor == SUBSTANCE_MISUSE for a in facts.adults for r in a.risk_factors)
    neglect = [e for e in observations if e.neglect_tagged] if misuse else []
    if not unsafe and not neglect:
        return None
    found = []
    if unsafe:
        found.append(f"unsafe sleep observed {'once' if len(unsafe) == 1 else f'{len(unsafe)} times'}")
    if neglect:
        found.append(
            f"parental substance misuse with {len(neglect)} neglect observation{'s' if len(neglect) != 1 else ''}"
        )
    return Finding(
        summary=f"A baby under {p['age_years']} with {' and '.join(found)} in the last {p['window_days']} days",
        evidence=evidence(*(e.ref for e in unsafe), *(e.ref for e in neglect)),
    )


RULE = Rule(
    code="sudi-risk",
    title="Risk of sudden unexpected death in infancy",
    severity="high",
    trigger="child under 1 with an observation tagged unsafe-sleep in the last 180 days, or adults have "
    "substance-misuse and the child has a neglect-tagged observation in the last 180 days",
    learning="Sudden Unexpected Death in Infancy (SUDI) related to neglect risk factors such as malnutrition, poor "
    "social circumstances or parental substance misuse. Newborn babies, premature babies and babies with ongoing "
    "health needs are particularly vulnerable.",
    recommended_action="Carry out a safe-sleep assessment and give the family safe-sleep advice. Make sure the "
    "health visitor is involved.",
    procedure="neglect-guidance",
    check=check,
    parameters=MappingProxyType({"age_years": 1, "window_days": 180}),
)
