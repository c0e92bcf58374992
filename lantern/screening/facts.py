"""What the rules read: a child's facts as at a screening date, loaded for many children at once.

Screening reads through here only (set-based queries, a fixed number per batch of children) and never
writes anything but alerts. ``as_of`` screens as if that day were today: anything dated after it (by when
it happened, not when it was recorded) is left out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q

from lantern.agencies.models import professional_ref
from lantern.assessments.models import Assessment
from lantern.assessments.selectors import completed_assessments, household_home_conditions, household_members
from lantern.casework.models import Meeting, Plan, PlanAction, PlanAgreement, PlanReview
from lantern.chronology.models import NEGLECT_TAGS, Event
from lantern.people.models import Person, Relationship, RiskFactor

SIBLING_TYPES = {"sibling", "half-sibling"}


@dataclass(frozen=True)
class EventFact:
    ref: str
    type: str
    occurred_on: dt.date
    outcome: str = ""
    setting: str = ""
    reason: str = ""
    location: str = ""
    tags: frozenset[str] = frozenset()
    agency: str = ""  # the agency's reference
    worker: str = ""  # the professional's reference (supervision, allocation)

    @property
    def neglect_tagged(self) -> bool:
        return bool(self.tags & NEGLECT_TAGS)


@dataclass(frozen=True)
class ReviewFact:
    ref: str
    held_on: dt.date
    progress: str


@dataclass(frozen=True)
class ActionFact:
    ref: str
    due_on: dt.date
    done_on: dt.date | None


@dataclass(frozen=True)
class AgreementFact:
    ref: str
    due_on: dt.date
    status: str


@dataclass(frozen=True)
class PlanFact:
    ref: str
    type: str
    category: str
    started_on: dt.date
    ended_on: dt.date | None
    lead_professional: str
    reviews: tuple[ReviewFact, ...] = ()
    actions: tuple[ActionFact, ...] = ()
    agreements: tuple[AgreementFact, ...] = ()

    def is_open_on(self, day: dt.date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on > day)


def plans_open_on(day: dt.date) -> Q:
    """``PlanFact.is_open_on`` in the database (on ``Plan``): started by ``day``, not ended by it."""
    return Q(started_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))


@dataclass(frozen=True)
class AssessmentFact:
    ref: str
    template: str
    completed_on: dt.date
    overall: Decimal


@dataclass(frozen=True)
class MeetingFact:
    ref: str
    kind: str
    held_on: dt.date
    invited_agency_types: frozenset[str]


@dataclass(frozen=True)
class RiskFact:
    factor: str
    recorded_on: dt.date


@dataclass(frozen=True)
class AdultFact:
    """An adult who counts for the rules: parental responsibility for the child, or in the household."""

    ref: str
    risk_factors: tuple[RiskFact, ...]
    parental_responsibility: bool
    childhood_history: bool


@dataclass(frozen=True)
class SiblingFact:
    ref: str
    plans: tuple[PlanFact, ...]


@dataclass(frozen=True)
class ChildFacts:
    child_id: int
    ref: str
    as_of: dt.date
    date_of_birth: dt.date | None
    expected_date_of_birth: dt.date | None
    premature: bool
    health_needs: tuple[str, ...]
    disabilities: tuple[str, ...]
    events: tuple[EventFact, ...] = ()
    plans: tuple[PlanFact, ...] = ()
    assessments: tuple[AssessmentFact, ...] = ()
    home_conditions: tuple[AssessmentFact, ...] = ()  # the households' home conditions assessments
    meetings: tuple[MeetingFact, ...] = ()
    adults: tuple[AdultFact, ...] = ()
    siblings: tuple[SiblingFact, ...] = ()

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None or self.date_of_birth > self.as_of

    def age_in_days(self) -> int | None:
        return (
            None if self.is_unborn or self.date_of_birth is None else (self.as_of - self.date_of_birth).days
        )

    def age_in_years(self) -> int | None:
        born = self.date_of_birth
        if self.is_unborn or born is None:
            return None
        day = self.as_of
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def months_old(self) -> int | None:
        """Whole months of age (a child "under 6 months" has fewer than 6)."""
        born = self.date_of_birth
        if self.is_unborn or born is None:
            return None
        day = self.as_of
        return (day.year - born.year) * 12 + day.month - born.month - (day.day < born.day)

    def within(self, days: int) -> dt.date:
        """The first day of a window of ``days`` days that ends on (and includes) the screening date."""
        return window_start(self.as_of, days)

    def events_of(self, *types: str, since: dt.date | None = None) -> list[EventFact]:
        return [e for e in self.events if e.type in types and (since is None or e.occurred_on >= since)]

    def open_plans(self) -> list[PlanFact]:
        return [p for p in self.plans if p.is_open_on(self.as_of)]


def window_start(as_of: dt.date, days: int) -> dt.date:
    """The first day of a window of ``days`` days that ends on (and includes) ``as_of``."""
    return as_of - dt.timedelta(days=days - 1)


def current_events(as_of: dt.date, prefix: str = "") -> dict[str, Any]:
    """What the rules read of the chronology as at ``as_of``, as lookups (``prefix`` for a related model):
    current events (not superseded) that happened on or before it."""
    return {f"{prefix}is_current": True, f"{prefix}occurred_on__lte": as_of}


FACTS = frozenset({"events", "plans", "assessments", "home_conditions", "meetings", "adults", "siblings"})


class FactsNotLoaded(Exception):
    pass


class NotLoaded(tuple[Any, ...]):
    """Facts left out of a narrowed load (``child_facts(reads=…)``): reading them is an error rather than
    an empty tuple, so a rule cannot quietly read less in the batch screen than on a single child."""

    name: str

    def __new__(cls, name: str) -> NotLoaded:
        self = super().__new__(cls)
        self.name = name
        return self

    @classmethod
    def named(cls, name: str) -> NotLoaded:
        """The one instance for ``name`` (a narrowed load leaves the same facts out of every child)."""
        return _NOT_LOADED.setdefault(name, cls(name))

    def _refuse(self, *args: Any) -> Any:
        raise FactsNotLoaded(f"the child's {self.name} were not loaded for this rule")

    __iter__ = __len__ = __bool__ = __getitem__ = __contains__ = _refuse

    def __repr__(self) -> str:
        return f"NotLoaded({self.name!r})"


_NOT_LOADED: dict[str, NotLoaded] = {}


def _ref(source: str, source_id: str) -> str:
    return f"{source}:{source_id}"


def child_facts(
    child_ids: Iterable[int],
    *,
    as_of: dt.date,
    reads: frozenset[str] = FACTS,
    events: dict[str, Any] | None = None,
) -> dict[int, ChildFacts]:
    """Facts for these children as at ``as_of``: a fixed number of queries however many children.

    The batch screen narrows it for a counting rule (see counting.py): only the facts the rule ``reads``
    (the others are ``NotLoaded``), and only the events matching the lookups in ``events``.
    """
    ids = list(child_ids)
    children = Person.objects.children().filter(pk__among=ids)
    loaded: dict[str, dict[int, Any]] = {}
    if "events" in reads:
        loaded["events"] = _events(ids, as_of, events or {})
    sibling_refs: dict[int, str] = {}
    if "siblings" in reads:
        loaded["siblings"], sibling_refs = _siblings(ids)
    if reads & {"plans", "siblings"}:
        loaded["plans"] = _plans(sorted(set(ids) | set(sibling_refs)), as_of)
    if "assessments" in reads:
        loaded["assessments"] = _assessments(ids, as_of)
    # Who lives with each child: read once for both the home's assessments and the adults.
    together = household_members(ids) if reads & {"home_conditions", "adults"} else {}
    if "home_conditions" in reads:
        loaded["home_conditions"] = _assessment_facts(
            household_home_conditions(ids, as_of=as_of, together=together)
        )
    if "meetings" in reads:
        loaded["meetings"] = _meetings(ids, as_of)
    if "adults" in reads:
        loaded["adults"] = _adults(ids, as_of, together)
    plans = loaded.get("plans", {})

    def facts_of(name: str, child_id: int) -> tuple[Any, ...]:
        if name not in reads:
            return NotLoaded.named(name)
        if name == "siblings":
            return tuple(
                SiblingFact(ref=sibling_refs[s], plans=tuple(plans.get(s, ())))
                for s in loaded["siblings"].get(child_id, ())
            )
        return tuple(loaded[name].get(child_id, ()))

    facts = {}
    for pk, source, source_id, born, expected, premature, health_needs, disabilities in children.values_list(
        "pk", "source", "source_id", "date_of_birth", "expected_date_of_birth", "premature", "health_needs",
        "disabilities",
    ):  # fmt: skip
        facts[pk] = ChildFacts(
            child_id=pk,
            ref=_ref(source, source_id),
            as_of=as_of,
            date_of_birth=born,
            expected_date_of_birth=expected,
            premature=premature,
            health_needs=tuple(health_needs or ()),
            disabilities=tuple(disabilities or ()),
            events=facts_of("events", pk),
            plans=facts_of("plans", pk),
            assessments=facts_of("assessments", pk),
            home_conditions=facts_of("home_conditions", pk),
            meetings=facts_of("meetings", pk),
            adults=facts_of("adults", pk),
            siblings=facts_of("siblings", pk),
        )
    return facts


def _events(ids: list[int], as_of: dt.date, only: dict[str, Any]) -> dict[int, list[EventFact]]:
    """Each child's events, oldest first, with their tags (one row per tag: ``tags__tag``)."""
    query = (
        Event.objects.filter(child_id__among=ids, **current_events(as_of), **only)
        .values_list(
            "pk",
            "child_id",
            "source",
            "source_id",
            "type",
            "occurred_on",
            "outcome",
            "setting",
            "reason",
            "location",
            "agency__source",
            "agency__source_id",
            "worker__source",
            "worker__source_id",
            "worker__username",
            "tags__tag",
        )
        .order_by("occurred_on", "occurred_time", "pk")
    )
    rows: dict[int, tuple[Any, ...]] = {}
    tags: dict[int, set[str]] = defaultdict(set)
    for row in query:
        rows.setdefault(row[0], row)
        if row[-1] is not None:
            tags[row[0]].add(row[-1])
    by_child: dict[int, list[EventFact]] = defaultdict(list)
    for (
        pk,
        child_id,
        source,
        source_id,
        kind,
        on,
        outcome,
        setting,
        reason,
        location,
        agency_source,
        agency_id,
        worker_source,
        worker_id,
        worker_username,
        _,
    ) in rows.values():
        worker = professional_ref(worker_source, worker_id, worker_username)
        by_child[child_id].append(
            EventFact(
                ref=_ref(source, source_id),
                type=kind,
                occurred_on=on,
                outcome=outcome,
                setting=setting,
                reason=reason,
                location=location,
                tags=frozenset(tags.get(pk, ())),
                agency=_ref(agency_source, agency_id) if agency_source else "",
                worker=worker,
            )
        )
    return by_child


PLAN_ITEM_ORDER = ("due_on", "description", "pk")


def plan_item_ref(plan_ref: str, kind: str, position: int) -> str:
    """A plan action's or agreement's reference: its plan's, its kind, its place by due date (from 1)."""
    return f"{plan_ref}/{kind}/{position}"


def _plans(ids: list[int], as_of: dt.date) -> dict[int, list[PlanFact]]:
    """Plans of these children as at ``as_of``: one that ended after it was still open then."""
    plan_children = Plan.children.through.objects.filter(person_id__among=ids, plan__started_on__lte=as_of)
    links: list[tuple[int, int]] = []
    plans: dict[int, tuple[Any, ...]] = {}
    for row in plan_children.values_list(
        "person_id", "plan_id", "plan__source", "plan__source_id", "plan__type", "plan__category",
        "plan__started_on", "plan__ended_on", "plan__lead_professional__source",
        "plan__lead_professional__source_id", "plan__lead_professional__username",
    ):  # fmt: skip
        links.append((row[1], row[0]))
        plans[row[1]] = row[1:]  # the plan's own columns, from its id on
    plan_ids = list(plans)
    plan_refs = {pk: _ref(row[1], row[2]) for pk, row in plans.items()}
    # A plan's actions, agreements and reviews are named after the plan (``demo:p1/actions/2``), so that
    # evidence reads the same on every database and after every re-import (see plan_item_ref).
    reviews: dict[int, list[ReviewFact]] = defaultdict(list)
    for plan_id, held_on, progress in (
        PlanReview.objects.filter(plan_id__among=plan_ids, held_on__lte=as_of)
        .values_list("plan_id", "held_on", "progress")
        .order_by("held_on", "pk")
    ):
        ref = f"{plan_refs[plan_id]}/reviews/{held_on.isoformat()}"
        reviews[plan_id].append(ReviewFact(ref=ref, held_on=held_on, progress=progress))
    actions: dict[int, list[ActionFact]] = defaultdict(list)
    for plan_id, due_on, done_on in (
        PlanAction.objects.filter(plan_id__among=plan_ids)
        .values_list("plan_id", "due_on", "done_on")
        .order_by("plan_id", *PLAN_ITEM_ORDER)
    ):
        ref = plan_item_ref(plan_refs[plan_id], "actions", len(actions[plan_id]) + 1)
        actions[plan_id].append(
            ActionFact(ref=ref, due_on=due_on, done_on=done_on if done_on and done_on <= as_of else None)
        )
    agreements: dict[int, list[AgreementFact]] = defaultdict(list)
    for plan_id, due_on, status in (
        PlanAgreement.objects.filter(plan_id__among=plan_ids)
        .values_list("plan_id", "due_on", "status")
        .order_by("plan_id", *PLAN_ITEM_ORDER)
    ):
        ref = plan_item_ref(plan_refs[plan_id], "agreements", len(agreements[plan_id]) + 1)
        agreements[plan_id].append(AgreementFact(ref=ref, due_on=due_on, status=status))
    by_id: dict[int, PlanFact] = {}
    for (
        pk,
        _,
        _,
        type_,
        category,
        started_on,
        ended_on,
        lead_source,
        lead_id,
        lead_username,
    ) in plans.values():
        by_id[pk] = PlanFact(
            ref=plan_refs[pk],
            type=type_,
            category=category,
            started_on=started_on,
            ended_on=ended_on if ended_on and ended_on <= as_of else None,
            lead_professional=professional_ref(lead_source, lead_id, lead_username),
            reviews=tuple(reviews[pk]),
            actions=tuple(actions[pk]),
            agreements=tuple(agreements[pk]),
        )
    by_child: dict[int, list[PlanFact]] = defaultdict(list)
    for plan_id, child_id in links:
        by_child[child_id].append(by_id[plan_id])
    for child_plans in by_child.values():
        child_plans.sort(key=lambda p: (p.started_on, p.ref))
    return by_child


def _assessments(ids: list[int], as_of: dt.date) -> dict[int, list[AssessmentFact]]:
    return _assessment_facts(completed_assessments(ids, as_of=as_of))


def _assessment_facts(found: dict[int, list[Assessment]]) -> dict[int, list[AssessmentFact]]:
    by_child: dict[int, list[AssessmentFact]] = defaultdict(list)
    for child_id, assessments in found.items():
        for assessment in assessments:
            overall = assessment.overall
            if overall is not None and assessment.completed_on is not None:
                by_child[child_id].append(
                    AssessmentFact(
                        ref=assessment.ref,
                        template=assessment.template,
                        completed_on=assessment.completed_on,
                        overall=overall,
                    )
                )
    return by_child


def _meetings(ids: list[int], as_of: dt.date) -> dict[int, list[MeetingFact]]:
    """Each child's meetings, oldest first, with the types of the agencies invited (a row for each)."""
    meetings: dict[int, tuple[Any, ...]] = {}
    invited: dict[int, set[str]] = defaultdict(set)
    for row in (
        Meeting.objects.filter(child_id__among=ids, held_on__lte=as_of)
        .values_list("pk", "child_id", "source", "source_id", "kind", "held_on", "invited_agencies__type")
        .order_by("held_on", "pk")
    ):
        meetings.setdefault(row[0], row)
        if row[-1] is not None:
            invited[row[0]].add(row[-1])
    by_child: dict[int, list[MeetingFact]] = defaultdict(list)
    for pk, child_id, source, source_id, kind, held_on, _ in meetings.values():
        by_child[child_id].append(
            MeetingFact(
                ref=_ref(source, source_id),
                kind=kind,
                held_on=held_on,
                invited_agency_types=frozenset(invited[pk]),
            )
        )
    return by_child


def _adults(ids: list[int], as_of: dt.date, together: dict[int, set[int]]) -> dict[int, list[AdultFact]]:
    """DESIGN.md: adults with parental responsibility for the child, or living in the child's household
    (``together``: the people in each child's households, ``household_members``)."""
    # No join on the person's kind in these queries: with it, SQLite walks every adult in the area.
    # Each query uses its foreign key's index; who is an adult is asked once, of the few people found.
    links = list(
        Relationship.objects.filter(to_person_id__among=ids, parental_responsibility=True).values_list(
            "from_person_id", "to_person_id"
        )
    )
    candidates = {a for a, _ in links}.union(*together.values())
    people = {
        pk: (_ref(source, source_id), bool(history.strip()))
        for pk, source, source_id, history in Person.objects.adults()
        .filter(pk__among=candidates)
        .values_list("pk", "source", "source_id", "childhood_history")
    }
    responsible: dict[int, set[int]] = defaultdict(set)
    for adult_id, child_id in links:
        if adult_id in people:
            responsible[child_id].add(adult_id)
    living = {child_id: {p for p in together[child_id] if p in people} for child_id in ids}
    risks: dict[int, list[RiskFact]] = defaultdict(list)
    for person_id, factor, recorded_on in (
        RiskFactor.objects.filter(person_id__among=list(people), recorded_on__lte=as_of)
        .values_list("person_id", "factor", "recorded_on")
        .order_by("recorded_on", "pk")
    ):
        risks[person_id].append(RiskFact(factor=factor, recorded_on=recorded_on))
    by_child: dict[int, list[AdultFact]] = defaultdict(list)
    for child_id in ids:
        for adult_id in sorted(responsible[child_id] | living[child_id]):
            ref, childhood_history = people[adult_id]
            by_child[child_id].append(
                AdultFact(
                    ref=ref,
                    risk_factors=tuple(risks[adult_id]),
                    parental_responsibility=adult_id in responsible[child_id],
                    childhood_history=childhood_history,
                )
            )
    return by_child


def _siblings(ids: list[int]) -> tuple[dict[int, list[int]], dict[int, str]]:
    """Each child's brothers and sisters (ids), and their references."""
    pairs = Relationship.objects.filter(type__in=SIBLING_TYPES)
    pairs = pairs.filter(Q(from_person_id__among=ids) | Q(to_person_id__among=ids))
    sibling_of: dict[int, set[int]] = defaultdict(set)
    for a, b in pairs.values_list("from_person_id", "to_person_id"):
        sibling_of[a].add(b)
        sibling_of[b].add(a)
    wanted = set(ids)
    others = {s for c in ids for s in sibling_of[c]}
    refs = {
        p.pk: p.ref
        for p in Person.objects.children().filter(pk__among=others).only("pk", "source", "source_id")
    }
    return {c: sorted(s for s in sibling_of[c] if s in refs and s != c) for c in wanted}, refs
