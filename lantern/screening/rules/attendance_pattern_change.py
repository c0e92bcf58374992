"""attendance-pattern-change: a run of attended appointments, then a run of was-not-brought.

Appointments cancelled by the provider say nothing about the family and are skipped. Any other outcome
(a family cancellation) breaks the pattern: the trigger names only attended and was-not-brought.
"""

from __future__ import annotations

from types import MappingProxyType

from lantern.screening.facts import ChildFacts
from lantern.screening.rule import Finding, Parameters, Rule, evidence

IGNORED_OUTCOMES = frozenset({"cancelled-by-provider"})


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    missed_count, attended_count = p["recent_missed"], p["attended_before"]
    appointments = sorted(
        (e for e in facts.events_of("appointment") if e.outcome not in IGNORED_OUTCOMES),
        key=lambda e: e.occurred_on,
    )
    if len(appointments) < missed_count + attended_count:
        return None
    latest = appointments[-(missed_count + attended_count) :]
    before, recent = latest[:attended_count], latest[attended_count:]
    if not all(e.outcome == "attended" for e in before):
        return None
    if not all(e.outcome == "was-not-brought" for e in recent):
        return None
    return Finding(
        summary=f"Not brought to the {missed_count} most recent appointments, after attending the "
        f"{attended_count} before them: a sudden change in a pattern of attendance",
        evidence=evidence(*(e.ref for e in latest)),
    )


RULE = Rule(
    code="attendance-pattern-change",
    title="Sudden change in attendance at appointments",
    severity="medium",
    trigger="the child's 2 most recent appointments (ignoring cancelled-by-provider) were was-not-brought and "
    "the 3 before them were attended",
    learning="In one case, the only indication of a sudden change in parenting capability was an emerging "
    "pattern of non-attendance at appointments.",
    recommended_action="Treat this as a possible change in parenting capacity. Contact the family and the lead "
    "professional.",
    procedure="neglect-guidance",
    check=check,
    parameters=MappingProxyType({"recent_missed": 2, "attended_before": 3}),
)
