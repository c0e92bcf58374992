"""Building a child's facts for rule tests: rules are pure, so their tests need no database."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace
from decimal import Decimal
from typing import Any

from lantern.screening.config import parameters_of
from lantern.screening.facts import (
    ActionFact,
    AdultFact,
    AgreementFact,
    AssessmentFact,
    ChildFacts,
    EventFact,
    MeetingFact,
    PlanFact,
    ReviewFact,
    RiskFact,
    SiblingFact,
)
from lantern.screening.rule import Finding
from lantern.screening.rules import RULES

AS_OF = dt.date(2026, 11, 1)
_ids = itertools.count(1)


def days_ago(n: int) -> dt.date:
    """The day ``n`` days before the screening date: days_ago(0) is the screening date itself."""
    return AS_OF - dt.timedelta(days=n)


def child(
    *, born: dt.date | None = dt.date(2020, 1, 1), due: dt.date | None = None, **changes: Any
) -> ChildFacts:
    facts = ChildFacts(
        child_id=1,
        ref="t:c1",
        as_of=AS_OF,
        date_of_birth=born,
        expected_date_of_birth=due,
        premature=False,
        health_needs=(),
        disabilities=(),
    )
    return replace(facts, **changes)


def event(type_: str, on: dt.date, **fields: Any) -> EventFact:
    tags = frozenset(fields.pop("tags", ()))
    return EventFact(ref=f"t:e{next(_ids)}", type=type_, occurred_on=on, tags=tags, **fields)


def plan(
    type_: str = "child-protection",
    *,
    started: dt.date = dt.date(2026, 1, 1),
    ended: dt.date | None = None,
    category: str = "neglect",
    lead: str = "t:sw1",
    **fields: Any,
) -> PlanFact:
    return PlanFact(
        ref=f"t:p{next(_ids)}",
        type=type_,
        category=category,
        started_on=started,
        ended_on=ended,
        lead_professional=lead,
        **fields,
    )


def review(on: dt.date, progress: str) -> ReviewFact:
    return ReviewFact(ref=f"plan-review:{next(_ids)}", held_on=on, progress=progress)


def action(due: dt.date, done: dt.date | None = None) -> ActionFact:
    return ActionFact(ref=f"plan-action:{next(_ids)}", due_on=due, done_on=done)


def agreement(due: dt.date, status: str) -> AgreementFact:
    return AgreementFact(ref=f"plan-agreement:{next(_ids)}", due_on=due, status=status)


def assessment(on: dt.date, overall: str | float, template: str = "graded-care") -> AssessmentFact:
    return AssessmentFact(
        ref=f"t:a{next(_ids)}", template=template, completed_on=on, overall=Decimal(str(overall))
    )


def meeting(kind: str, on: dt.date, invited: tuple[str, ...] = ("social-care",)) -> MeetingFact:
    return MeetingFact(ref=f"t:g{next(_ids)}", kind=kind, held_on=on, invited_agency_types=frozenset(invited))


def adult(
    *factors: str, pr: bool = True, history: bool = False, on: dt.date = dt.date(2026, 1, 1)
) -> AdultFact:
    return AdultFact(
        ref=f"t:m{next(_ids)}",
        risk_factors=tuple(RiskFact(f, on) for f in factors),
        parental_responsibility=pr,
        childhood_history=history,
    )


def sibling(*plans: PlanFact) -> SiblingFact:
    return SiblingFact(ref=f"t:s{next(_ids)}", plans=plans)


def run(code: str, facts: ChildFacts) -> Finding | None:
    """The rule's check with the area's (here: the default) parameters."""
    return RULES[code].check(facts, parameters_of(code))
