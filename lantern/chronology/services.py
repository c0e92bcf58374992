"""Recording on the chronology: short forms any professional involved with the child can fill in."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.utils import timezone

from lantern.agencies.models import Professional
from lantern.chronology.models import Event, EventTag, EventType, Significance
from lantern.people.models import Person
from lantern.screening.engine import alerts_sync

LANTERN_SOURCE = "lantern"


def _new_ref() -> str:
    return uuid.uuid4().hex[:16]


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
    event = Event(
        source=LANTERN_SOURCE,
        source_id=_new_ref(),
        child=child,
        agency=recorded_by.agency,
        type=EventType.OBSERVATION,
        occurred_on=occurred_on,
        occurred_time=occurred_time,
        recorded_at=timezone.now(),
        recorded_by=recorded_by,
        significance=significance,
        text=text,
    )
    event.full_clean()
    event.save()
    EventTag.objects.bulk_create([EventTag(event=event, tag=tag) for tag in sorted(set(tags))])
    alerts_sync([child.pk])
    return event


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
    event = Event(
        source=LANTERN_SOURCE,
        source_id=_new_ref(),
        child=child,
        agency=recorded_by.agency,
        type=EventType.HOME_VISIT,
        occurred_on=occurred_on,
        occurred_time=occurred_time,
        recorded_at=timezone.now(),
        recorded_by=recorded_by,
        significance=significance,
        location=location,
        outcome=outcome,
        announced=announced,
        text=text,
    )
    event.full_clean()
    event.save()
    alerts_sync([child.pk])
    return event
