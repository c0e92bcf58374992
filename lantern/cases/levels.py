"""The child's level of need on the area's continuum: set with the indicators seen and why; the history
says which decisions stepped up or down."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lantern.agencies.models import Professional
from lantern.cases.continuum import Level, continuum
from lantern.cases.models import LevelOfNeed
from lantern.people.models import Person
from lantern.screening.engine import alerts_sync


@transaction.atomic
def level_of_need_set(
    *, child: Person, by: Professional, level: str, indicators: list[str], reason: str
) -> LevelOfNeed:
    chosen = continuum().level(level)
    if chosen is None:
        raise ValidationError("Choose a level of need", code="level")
    unknown = [i for i in indicators if i not in chosen.indicators]
    if unknown:
        raise ValidationError(f"“{unknown[0]}” is not an indicator of {chosen.label}", code="indicator")
    if not reason.strip():
        raise ValidationError("Enter why the child's needs are at this level", code="reason")
    decision = LevelOfNeed.objects.create(
        child=child,
        level=chosen.code,
        rank=chosen.rank,
        indicators=[i for i in chosen.indicators if i in indicators],
        reason=reason.strip(),
        set_at=timezone.now(),
        set_by=by,
    )
    alerts_sync([child.pk])
    return decision


@dataclass(frozen=True)
class LevelDecision:
    decision: LevelOfNeed
    level: Level | None  # None: a level the area's continuum no longer has
    step: str  # "Set", "Stepped up", "Stepped down", "Confirmed"

    @property
    def label(self) -> str:
        return self.level.label if self.level else f"{self.decision.rank}. {self.decision.level}"


def level_history(*, child: Person) -> list[LevelDecision]:
    """Every decision about the child's level, newest first, each saying how it moved from the one before."""
    decisions = list(
        LevelOfNeed.objects.filter(child=child).select_related("set_by").order_by("set_at", "pk")
    )
    history: list[LevelDecision] = []
    previous: LevelOfNeed | None = None
    for decision in decisions:
        if previous is None:
            step = "Set"
        elif decision.rank > previous.rank:
            step = "Stepped up"
        elif decision.rank < previous.rank:
            step = "Stepped down"
        else:
            step = "Confirmed"
        history.append(LevelDecision(decision, continuum().level(decision.level), step))
        previous = decision
    return history[::-1]


def level_current(*, child: Person) -> LevelDecision | None:
    history = level_history(child=child)
    return history[0] if history else None
