"""Counting triggers: "at least n events of a kind in the last d days", defined once and read two ways.

A rule such as ``was-not-brought`` or ``repeated-ae-attendance`` declares its trigger as a
:class:`Counted`: which events it counts (types, outcomes), the window (a parameter), how many are enough
(a parameter), and optionally "or at least one while the child is on an open plan of this type". From
that one declaration:

* ``events`` and ``matches`` read one child's facts: the rule's ``check`` uses them on every screening;
* ``children`` asks the database which children match, with ``GROUP BY child_id HAVING count(*) >= n``
  over the events table (the same query on SQLite and PostgreSQL). The batch screen of many children
  (engine.py) then loads, for those children only, just the facts the rule reads and runs the same
  ``check``, so the alert (summary, evidence, severity) is the one the rule gives a single child.

The two readings are tied by tests (``test_counting.py``): the batch path gives what the per-child path
gives for every child of a varied generated area, at the window's edges, with provider cancellations,
superseded events, events after the screening date and plans opening and closing around it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from lantern.casework.models import Plan
from lantern.chronology.models import Event
from lantern.screening.facts import ChildFacts, EventFact, current_events, plans_open_on, window_start
from lantern.screening.rule import Parameters


@dataclass(frozen=True)
class Counted:
    """At least ``p[at_least]`` events of ``types`` (with one of ``outcomes``, if given) in the last
    ``p[window]`` days, the screening date included; or, with ``or_one_on_plan``, at least one while the
    child is on an open plan of that type."""

    types: tuple[str, ...]
    outcomes: tuple[str, ...] = ()
    window: str = "window_days"
    at_least: str = "count"
    or_one_on_plan: str = ""

    @property
    def reads(self) -> frozenset[str]:
        """The facts ``matches`` reads (and so the batch screen loads for the children it finds)."""
        return frozenset({"events", "plans"} if self.or_one_on_plan else {"events"})

    # -- one child's facts ----------------------------------------------------------------------------

    def events(self, facts: ChildFacts, p: Parameters) -> list[EventFact]:
        return [
            e
            for e in facts.events_of(*self.types, since=facts.within(p[self.window]))
            if not self.outcomes or e.outcome in self.outcomes
        ]

    def matches(self, facts: ChildFacts, p: Parameters, counted: list[EventFact]) -> bool:
        if len(counted) >= p[self.at_least]:
            return True
        return bool(counted) and self.on_plan(facts)

    def on_plan(self, facts: ChildFacts) -> bool:
        return bool(self.or_one_on_plan) and any(
            plan.type == self.or_one_on_plan for plan in facts.open_plans()
        )

    # -- the database ---------------------------------------------------------------------------------

    def lookups(self, p: Parameters, as_of: dt.date) -> dict[str, Any]:
        """The counted events as ``Event`` lookups (besides ``current_events``)."""
        found: dict[str, Any] = {
            "type__in": list(self.types),
            "occurred_on__gte": window_start(as_of, p[self.window]),
        }
        if self.outcomes:
            found["outcome__in"] = list(self.outcomes)
        return found

    def children(self, p: Parameters, as_of: dt.date) -> QuerySet[Event, int]:
        """The ids of the children (of the whole area) that match, as at ``as_of``."""
        enough = Q(counted__gte=p[self.at_least])
        if self.or_one_on_plan:
            on_plan = Plan.children.through.objects.filter(
                plan__in=Plan.objects.filter(plans_open_on(as_of), type=self.or_one_on_plan)
            ).values("person_id")
            enough |= Q(child_id__in=on_plan)
        return (
            Event.objects.filter(**current_events(as_of), **self.lookups(p, as_of))
            .values("child_id")
            .annotate(counted=Count("*"))
            .filter(enough)
            .values_list("child_id", flat=True)
            .order_by("child_id")
        )
