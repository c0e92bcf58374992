"""Records about a child for retention tests: events from each kind of agency, plans, alerts."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from lantern.agencies.models import Agency
from lantern.agencies.tests.factories import AgencyFactory, InvolvementFactory
from lantern.casework.models import Plan
from lantern.chronology.models import Event, EventTag
from lantern.people.models import Person
from lantern.people.tests.factories import ChildFactory
from lantern.screening.models import Alert, AlertHistory

_ids = itertools.count(1)


def agency(type_: str) -> Agency:
    return Agency.objects.filter(type=type_).first() or AgencyFactory(type=type_, name=f"Test {type_}")


def child_born(born: dt.date | None, **fields: object) -> Person:
    if born is None:
        return ChildFactory(date_of_birth=None, **fields)
    return ChildFactory(date_of_birth=born, **fields)


def event(
    child: Person, *, agency_type: str = "social-care", on: dt.date, supersedes: Event | None = None
) -> Event:
    recorded = Event.objects.create(
        source="test",
        source_id=f"e{next(_ids)}",
        child=child,
        agency=agency(agency_type),
        type="observation",
        occurred_on=on,
        recorded_at=timezone.now(),
        text="Observed at home",
        supersedes=supersedes,
    )
    EventTag.objects.create(event=recorded, tag="physical-neglect")
    return recorded


def involvement(child: Person) -> None:
    InvolvementFactory(child=child, agency=agency("social-care"))


def protection_plan(*children: Person, started_on: dt.date = dt.date(2005, 1, 1)) -> Plan:
    plan = Plan.objects.create(
        source="test", source_id=f"p{next(_ids)}", type="child-protection", started_on=started_on
    )
    plan.children.set(children)
    return plan


def alert(child: Person) -> Alert:
    now = timezone.now()
    raised = Alert.objects.create(
        child=child,
        rule="home-not-seen",
        severity="high",
        summary="Not seen at home",
        raised_at=now,
        updated_at=now,
    )
    AlertHistory.objects.create(alert=raised, at=now, status="raised")
    return raised
