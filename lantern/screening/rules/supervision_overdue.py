from __future__ import annotations

from types import MappingProxyType

from lantern.screening.facts import ChildFacts
from lantern.screening.rule import Finding, Parameters, Rule, evidence


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    plans = facts.open_plans()
    if not plans:
        return None
    allocations = sorted((e for e in facts.events_of("allocation") if e.worker), key=lambda e: e.occurred_on)
    allocation = allocations[-1] if allocations else None
    # The allocated worker: the latest allocation's, else each plan's lead professional.
    workers = sorted({allocation.worker} if allocation else {plan.lead_professional for plan in plans} - {""})
    supervisions = facts.events_of("supervision")
    since = facts.within(p["window_days"])
    for worker in workers:
        theirs = [e for e in supervisions if e.worker == worker]
        if any(e.occurred_on >= since for e in theirs):
            continue
        last = max(theirs, key=lambda e: e.occurred_on) if theirs else None
        when = (
            f"the last was {(facts.as_of - last.occurred_on).days} days ago"
            if last
            else "there has been none"
        )
        return Finding(
            summary=f"The allocated social worker ({worker}) has no case supervision about this child recorded in "
            f"the last {p['window_days']} days ({when})",
            evidence=evidence(
                *(plan.ref for plan in plans),
                *([allocation.ref] if allocation else []),
                *([last.ref] if last else []),
            ),
        )
    return None


RULE = Rule(
    code="supervision-overdue",
    title="Case supervision overdue",
    severity="medium",
    trigger="open plan whose allocated social worker has no supervision record for this child in the last 56 days",
    learning="Lack of resources. High caseloads and understaffing may result in absence of supervision and support "
    "for social workers. Effective and reflective supervision should enable practitioners to assess children's "
    "development and behaviours in families with high levels of need.",
    recommended_action="Book case supervision about this child for the allocated social worker.",
    procedure="neglect-strategy",
    check=check,
    parameters=MappingProxyType({"window_days": 56}),
)
