"""Reading a child's chronology: every agency's events in time order, filtered."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from lantern.agencies.models import Agency, Professional
from lantern.agencies.selectors import involvements_reaching
from lantern.chronology.models import Event, EventTag, Significance
from lantern.people.models import Person, Relationship

SIBLING_TYPES = ("sibling", "half-sibling")


@dataclass
class ChronologyFilter:
    agencies: list[int] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    significance: list[str] = field(default_factory=list)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    with_siblings: bool = False
    with_corrections: bool = False
    oldest_first: bool = False

    @property
    def key_events_only(self) -> bool:
        return self.significance == [Significance.KEY]


def siblings_visible(*, child: Person, viewer: Professional) -> list[Person]:
    """The child's brothers and sisters whose records the viewer may also see."""
    linked = Relationship.objects.filter(type__in=SIBLING_TYPES)
    ids = set(linked.filter(from_person=child).values_list("to_person_id", flat=True))
    ids |= set(linked.filter(to_person=child).values_list("from_person_id", flat=True))
    reachable = involvements_reaching(viewer=viewer).filter(child_id=OuterRef("pk"))
    return list(Person.objects.filter(pk__in=ids).filter(Exists(reachable)).order_by("date_of_birth", "pk"))


def child_chronology(
    *, child: Person, chronology_filter: ChronologyFilter, siblings: list[Person] | None = None
) -> QuerySet[Event]:
    """Events for the child (and, if asked, siblings' significant and key events), newest first.

    Only current events, unless corrections are asked for (managers), when superseded rows show too.
    """
    f = chronology_filter
    scope = Q(child=child)
    if f.with_siblings and siblings:
        scope |= Q(child__in=siblings, significance__in=[Significance.SIGNIFICANT, Significance.KEY])
    events = Event.objects.filter(scope)
    if not f.with_corrections:
        events = events.filter(is_current=True)
    if f.agencies:
        events = events.filter(agency_id__in=f.agencies)
    if f.types:
        events = events.filter(type__in=f.types)
    if f.significance:
        events = events.filter(significance__in=f.significance)
    if f.tags:
        events = events.filter(Exists(EventTag.objects.filter(event=OuterRef("pk"), tag__in=f.tags)))
    if f.date_from:
        events = events.filter(occurred_on__gte=f.date_from)
    if f.date_to:
        events = events.filter(occurred_on__lte=f.date_to)
    order = ["occurred_on", "occurred_time", "pk"]
    if not f.oldest_first:
        order = [f"-{o}" for o in order]
    return (
        events.select_related("agency", "recorded_by", "worker", "child")
        .prefetch_related(Prefetch("tags", EventTag.objects.order_by("tag")))
        .order_by(*order)
    )


def chronology_agencies(*, child: Person) -> QuerySet[Agency]:
    """The agencies that have recorded something on the child's chronology, for the filter."""
    return Agency.objects.filter(pk__in=Event.objects.filter(child=child).values("agency_id")).order_by(
        "name"
    )
