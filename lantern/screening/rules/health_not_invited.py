from __future__ import annotations

from types import MappingProxyType

from lantern.screening.facts import ChildFacts
from lantern.screening.rule import Finding, Parameters, Rule, evidence

# Conferences (initial or review), core groups and team-around-the-family meetings; not strategy discussions.
KINDS = frozenset({"initial-conference", "review-conference", "core-group", "team-around-the-family"})
HEALTH = "health"


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    since = facts.within(p["window_days"])
    missed = [
        m
        for m in facts.meetings
        if m.kind in KINDS and m.held_on >= since and HEALTH not in m.invited_agency_types
    ]
    if not missed:
        return None
    n = len(missed)
    latest = max(missed, key=lambda m: m.held_on)
    return Finding(
        summary=f"No health agency was invited to {n} meeting{'s' if n != 1 else ''} about the child in the last "
        f"{p['window_days']} days ({'the latest, ' if n != 1 else ''}a {latest.kind.replace('-', ' ')}, "
        f"{(facts.as_of - latest.held_on).days} days ago)",
        evidence=evidence(*(m.ref for m in missed)),
    )


RULE = Rule(
    code="health-not-invited",
    title="Health not invited to meetings",
    severity="low",
    trigger="a conference, core group or team-around-the-family meeting in the last 365 days with no health agency "
    "invited",
    learning="Work closely with other agencies to identify concerns and plan interventions. Invite health "
    "professionals such as the health visitor or school nurse to meetings.",
    recommended_action="Invite health, such as the health visitor or school nurse, to the next meeting.",
    procedure="neglect-guidance",
    check=check,
    parameters=MappingProxyType({"window_days": 365}),
)
