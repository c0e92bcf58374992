from __future__ import annotations

from types import MappingProxyType

from lantern.screening.facts import ChildFacts
from lantern.screening.rule import Finding, Parameters, Rule, evidence

NO_PROGRESS = frozenset({"no-change", "worse"})


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    count = p["reviews"]
    refs: list[str] = []
    stuck: list[str] = []
    ago: list[int] = []
    for plan in facts.open_plans():
        latest = sorted(plan.reviews, key=lambda r: r.held_on)[-count:]
        if len(latest) == count and all(r.progress in NO_PROGRESS for r in latest):
            stuck.append(plan.type.replace("-", " "))
            refs += [plan.ref, *(r.ref for r in latest)]
            ago.append((facts.as_of - latest[-1].held_on).days)
    if not stuck:
        return None
    plans = f"the {stuck[0]} plan" if len(stuck) == 1 else f"{len(stuck)} open plans"
    return Finding(
        summary=f"The last {count} reviews of {plans} recorded no change or that things were worse "
        f"(the latest {min(ago)} days ago)",
        evidence=evidence(*refs),
    )


RULE = Rule(
    code="stuck-case",
    title="Stuck case",
    severity="high",
    trigger="an open plan whose 2 most recent reviews recorded progress no-change or worse",
    learning="Hope for change for families must be balanced with the absolute need to avoid case drift. If a case "
    "becomes 'stuck', there should be a process where practitioners can escalate the situation to senior managers. "
    "This may help to provide a fresh, objective approach to address the problems.",
    recommended_action="Escalate the case to a senior manager for a fresh, objective view. Stop and review the whole "
    "case, and consider whether legal proceedings are necessary to protect the child.",
    procedure="escalation-policy",
    check=check,
    parameters=MappingProxyType({"reviews": 2}),
)
