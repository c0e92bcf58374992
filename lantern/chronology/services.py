"""Recording on the chronology: short forms any professional involved with the child can fill in.

Each recording screens the child in the same transaction (the alerts are up to date when it commits).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from lantern.agencies.models import Professional
from lantern.chronology.models import Event, EventTag, EventType, Significance
from lantern.people.models import Person
from lantern.screening.engine import alerts_sync

LANTERN_SOURCE = "lantern"


def event_record(
    *,
    child: Person,
    recorded_by: Professional,
    type_: str,
    tags: list[str] | None = None,
    screen: bool = True,
    **fields: Any,
) -> Event:
    """A new entry on the child's chronology, in the caller's transaction; ``screen=False`` when the caller
    screens the child itself after writing more (a plan and its entries, say)."""
    event = Event(
        source=LANTERN_SOURCE,
        source_id=uuid.uuid4().hex[:16],
        child=child,
        agency=recorded_by.agency,
        type=type_,
        recorded_at=timezone.now(),
        recorded_by=recorded_by,
        **fields,
    )
    event.full_clean()
    event.save()
    EventTag.objects.bulk_create([EventTag(event=event, tag=tag) for tag in sorted(set(tags or []))])
    if screen:
        alerts_sync([child.pk])
    return event


@transaction.atomic
def observation_record(
    *,
    child: Person,
    recorded_by: Professional,
    occurred_on: dt.date,
    occurred_time: dt.time | None,
    tags: list[str],
    text: str,
    significance: str = Significance.ROUTINE,
) -> Event:
    return event_record(
        child=child,
        recorded_by=recorded_by,
        type_=EventType.OBSERVATION,
        tags=tags,
        occurred_on=occurred_on,
        occurred_time=occurred_time,
        significance=significance,
        text=text,
    )


@transaction.atomic
def home_visit_record(
    *,
    child: Person,
    recorded_by: Professional,
    occurred_on: dt.date,
    occurred_time: dt.time | None,
    location: str,
    outcome: str,
    announced: bool | None,
    text: str,
    significance: str = Significance.ROUTINE,
) -> Event:
    return event_record(
        child=child,
        recorded_by=recorded_by,
        type_=EventType.HOME_VISIT,
        occurred_on=occurred_on,
        occurred_time=occurred_time,
        significance=significance,
        location=location,
        outcome=outcome,
        announced=announced,
        text=text,
    )
