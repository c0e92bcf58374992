from __future__ import annotations

import datetime as dt
from types import MappingProxyType

from lantern.screening.facts import ChildFacts, EventFact
from lantern.screening.rule import Finding, Parameters, Rule, evidence


def _followed(facts: ChildFacts, case: EventFact, last_day: dt.date) -> bool:
    """A strategy discussion held, or a child protection plan open, on any day from the decision to last_day."""
    decided = case.occurred_on
    return any(
        m.kind == "strategy-discussion" and decided <= m.held_on <= last_day for m in facts.meetings
    ) or any(
        plan.type == "child-protection"
        and plan.started_on <= last_day
        and (plan.ended_on is None or plan.ended_on > decided)
        for plan in facts.plans
    )


def check(facts: ChildFacts, p: Parameters) -> Finding | None:
    """Reads "followed within 30 days" as windows are read here: the ``follow_up_days`` days that begin with
    the decision day (day 0 to day 29 after it). Until they have run out at the screening date there is still
    time for a follow-up, so nothing is raised; from day 30 on it is raised if nothing followed in them. A
    plan already open on the decision day counts: the child was under child protection procedures then."""
    days = p["follow_up_days"]
    unfollowed = []
    for case in facts.events_of("criminal-case"):
        if case.outcome != "no-prosecution":
            continue
        last_day = case.occurred_on + dt.timedelta(days=days - 1)
        if facts.as_of > last_day and not _followed(facts, case, last_day):
            unfollowed.append(case)
    if not unfollowed:
        return None
    latest = max(unfollowed, key=lambda e: e.occurred_on)
    ago = (facts.as_of - latest.occurred_on).days
    cases = "A criminal case" if len(unfollowed) == 1 else f"{len(unfollowed)} criminal cases"
    return Finding(
        summary=f"{cases} about the child ended with no prosecution ({ago} days ago"
        f"{'' if len(unfollowed) == 1 else ' for the latest'}), and no strategy discussion or child protection plan "
        f"followed within {days} days",
        evidence=evidence(*(e.ref for e in unfollowed)),
    )


RULE = Rule(
    code="no-prosecution-follow-up",
    title="No child protection follow-up after no prosecution",
    severity="high",
    trigger="a criminal case about the child ended in no-prosecution and no strategy discussion or open child "
    "protection plan followed within 30 days",
    learning="Where neglect coexists with physical or sexual abuse, a criminal prosecution for abuse shouldn't be "
    "viewed as the only means of child protection. Where criminal cases don't result in a prosecution, child "
    "protection proceedings may still be necessary to keep the children safe from harm.",
    recommended_action="Consider child protection procedures, starting with a strategy discussion: the decision "
    "not to prosecute does not mean the child is safe.",
    procedure="thresholds-document",
    check=check,
    parameters=MappingProxyType({"follow_up_days": 30}),
)
