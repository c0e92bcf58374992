"""What is due for disposal as at a day, and why: the retention schedule applied to every record.

A child's records are grouped by record type (config.py). Each has a retention end (a birthday, counted
from the expected date of birth for an unborn child); a record is due the day after it. Nothing is due
while a legal hold covers it, or while a subject access request about the person is open (destroying
data a request covers is an offence: DPA 2018 section 173). A child's person record is reduced to a
tombstone (see disposal.py) only when every other record about the child is due; an adult in a child's
life goes only when every child they are linked to has gone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from lantern.agencies.models import AgencyType, Involvement
from lantern.assessments.models import Assessment
from lantern.casework.models import Meeting, Plan, PlanAction, PlanType
from lantern.chronology.models import Event
from lantern.core.batching import BATCH, values_in_batches
from lantern.core.models import AccessLogEntry
from lantern.health.models import FhirPatient, FhirResource, Notification
from lantern.people.models import HouseholdMember, Person, PersonKind, Relationship, RiskFactor
from lantern.retention.config import RetentionConfig, retention_config
from lantern.retention.deadlines import birthday
from lantern.retention.models import LegalHold, LookedAfterChild, SubjectAccessRequest
from lantern.screening.models import Alert

# A disposed person's record keeps its number (the access log points at it) under this source.
DISPOSED = "disposed"
ADULT = "adult"  # not a configurable type: an adult goes with the last child they are linked to
ADULT_RULE = "adult: with the records of every child they are linked to"


@dataclass(frozen=True)
class Due:
    record_type: str
    model: str
    record_id: int
    person_id: int
    person: str
    ended_on: dt.date | None
    rule: str

    def as_json(self) -> dict[str, Any]:
        return {
            "record_type": self.record_type,
            "model": self.model,
            "id": self.record_id,
            "person": self.person,
            "retention_ended_on": self.ended_on.isoformat() if self.ended_on else None,
            "rule": self.rule,
        }


@dataclass(frozen=True)
class Held:
    person: str
    record_type: str
    records: int
    why: str

    def as_json(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "record_type": self.record_type,
            "records": self.records,
            "why": self.why,
        }


@dataclass
class Schedule:
    as_of: dt.date
    due: list[Due] = field(default_factory=list)
    held: list[Held] = field(default_factory=list)
    access_log_due: int = 0

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for due in self.due:
            counts[due.record_type] += 1
        return dict(sorted(counts.items()))

    def ids(self, model: str) -> list[int]:
        return [d.record_id for d in self.due if d.model == model]


def _rule(config: RetentionConfig, code: str, *, later: bool = False) -> str:
    period = config.periods[code]
    if later and period.until_age_if_17_or_over:
        return f"{code}: until the {period.until_age_if_17_or_over}th birthday (made when 17 or over)"
    return f"{code}: {period.describe()}"


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return dt.date(day.year - years, 2, 28)


@dataclass
class _Child:
    pk: int
    ref: str
    born: dt.date
    case_type: str
    holds: dict[str, str]  # record type ("" for everything) → reason
    blocked: bool = False  # something about the child is kept, so the person record stays


def retention_schedule(
    *,
    as_of: dt.date,
    config: RetentionConfig | None = None,
    progress: Callable[[int], None] | None = None,
) -> Schedule:
    config = config or retention_config()
    schedule = Schedule(as_of=as_of)
    youngest = min(p.until_age for p in config.periods.values() if p.until_age is not None)
    # A child born after this day cannot have reached the end of any period: not read at all.
    born_by = _years_before(as_of, youngest)
    candidates = (
        Person.objects.children()
        .exclude(source=DISPOSED)
        .filter(
            Q(date_of_birth__lte=born_by) | Q(date_of_birth__isnull=True, expected_date_of_birth__lte=born_by)
        )
        .order_by("pk")
        .values_list("pk", "source", "source_id", "date_of_birth", "expected_date_of_birth")
    )
    gone_children: set[int] = set(
        Person.objects.children().filter(source=DISPOSED).values_list("pk", flat=True)
    )
    batch: list[tuple[Any, ...]] = []
    for row in candidates.iterator(chunk_size=BATCH):
        batch.append(row)
        if len(batch) == BATCH:
            gone_children |= _children_schedule(batch, schedule=schedule, config=config)
            if progress:
                progress(len(batch))
            batch = []
    if batch:
        gone_children |= _children_schedule(batch, schedule=schedule, config=config)
        if progress:
            progress(len(batch))
    _plans_schedule(gone_children, schedule=schedule, config=config)
    _adults_schedule(gone_children, schedule=schedule)
    access_log = config.periods["access-log"]
    assert access_log.years_after is not None
    schedule.access_log_due = AccessLogEntry.objects.filter(
        at__date__lt=_years_before(as_of, access_log.years_after)
    ).count()
    return schedule


def _holds_of(person_ids: list[int]) -> dict[int, dict[str, str]]:
    holds: dict[int, dict[str, str]] = defaultdict(dict)
    for person_id, record_type, reason in (
        LegalHold.objects.active()
        .filter(person__in=person_ids)
        .values_list("person", "record_type", "reason")
    ):
        holds[person_id][record_type] = f"legal hold: {reason}"
    for person_id, received_on in SubjectAccessRequest.objects.filter(
        person__in=person_ids, completed_on__isnull=True
    ).values_list("person", "received_on"):
        holds[person_id][""] = f"subject access request received {received_on:%d/%m/%Y} is open"
    return holds


def _children_schedule(
    rows: list[tuple[Any, ...]], *, schedule: Schedule, config: RetentionConfig
) -> set[int]:
    """Add what is due for these children; return the children whose person record goes too."""
    ids = [row[0] for row in rows]
    holds = _holds_of(ids)
    looked_after = set(LookedAfterChild.objects.filter(child__in=ids).values_list("child", flat=True))
    protection = set(
        Plan.children.through.objects.filter(
            person__in=ids, plan__type=PlanType.CHILD_PROTECTION
        ).values_list("person", flat=True)
    )
    children: dict[int, _Child] = {}
    for pk, source, source_id, born, expected in rows:
        case_type = (
            "looked-after-child"
            if pk in looked_after
            else "child-protection"
            if pk in protection
            else "child-social-care"
        )
        children[pk] = _Child(pk, f"{source}:{source_id}", born or expected, case_type, holds.get(pk, {}))

    held: dict[tuple[int, str], int] = defaultdict(int)

    def consider(child: _Child, record_type: str, model: str, record_id: int, *, later: bool = False) -> bool:
        period = config.periods[record_type]
        age = period.until_age_if_17_or_over if later and period.until_age_if_17_or_over else period.until_age
        assert age is not None
        ends = birthday(child.born, age)
        if schedule.as_of <= ends:
            child.blocked = True
            return False
        if "" in child.holds or record_type in child.holds:
            child.blocked = True
            held[(child.pk, record_type)] += 1
            return False
        rule = _rule(config, record_type, later=later)
        schedule.due.append(Due(record_type, model, record_id, child.pk, child.ref, ends, rule))
        return True

    event_types: dict[int, str] = {}
    events = list(
        Event.objects.filter(child__in=ids)
        .order_by("pk")
        .values_list("pk", "child", "agency__type", "occurred_on", "supersedes", "assessment", "meeting")
    )
    for event_id, child_id, agency_type, occurred_on, *_ in events:
        child = children[child_id]
        if agency_type == AgencyType.HEALTH:
            later = birthday(child.born, 17) <= occurred_on
            record_type = "health-event"
        else:
            later = False
            record_type = "police-event" if agency_type == AgencyType.POLICE else child.case_type
        if consider(child, record_type, "chronology.Event", event_id, later=later):
            event_types[event_id] = record_type
    _corrections_kept_together(events, event_types, children=children, schedule=schedule)

    resources = FhirResource.objects.filter(event__child__in=ids).values_list("pk", "event", "event__child")
    for resource_id, event_id, child_id in resources.order_by("pk"):
        if event_id in event_types:
            consider(children[child_id], event_types[event_id], "health.FhirResource", resource_id)
    notifications = Notification.objects.filter(child__in=ids).values_list("pk", "child", "event")
    for notification_id, child_id, event_id in notifications.order_by("pk"):
        if event_id in event_types:
            consider(children[child_id], event_types[event_id], "health.Notification", notification_id)
        else:
            children[child_id].blocked = True

    for alert_id, child_id in Alert.objects.filter(child__in=ids).order_by("pk").values_list("pk", "child"):
        consider(children[child_id], "alert", "screening.Alert", alert_id)

    # An assessment or meeting that a kept event points at is kept with it.
    kept = [event for event in events if event[0] not in event_types]
    kept_parts = {
        "assessments.Assessment": {event[5] for event in kept},
        "casework.Meeting": {event[6] for event in kept},
    }
    case_parts: list[tuple[str, Any]] = [
        ("assessments.Assessment", Assessment.objects.filter(child__in=ids)),
        ("casework.Meeting", Meeting.objects.filter(child__in=ids)),
        ("agencies.Involvement", Involvement.objects.filter(child__in=ids)),
        ("people.RiskFactor", RiskFactor.objects.filter(person__in=ids)),
        ("people.HouseholdMember", HouseholdMember.objects.filter(person__in=ids)),
    ]
    person_field = {"people.RiskFactor": "person", "people.HouseholdMember": "person"}
    for model, queryset in case_parts:
        rows_of = queryset.order_by("pk").values_list("pk", person_field.get(model, "child"))
        for record_id, child_id in rows_of:
            if record_id in kept_parts.get(model, ()):
                continue
            consider(children[child_id], children[child_id].case_type, model, record_id)

    gone: set[int] = set()
    for child in children.values():
        kept_for_something = child.blocked
        if consider(child, child.case_type, "people.Person", child.pk):
            if kept_for_something:  # the person record stays while anything about the child does
                schedule.due.pop()
            else:
                gone.add(child.pk)
    # Patients and resources that never became an event go with the person record they belong to.
    patients = FhirPatient.objects.filter(child__in=gone).values_list("pk", "child")
    for patient_id, child_id in patients.order_by("pk"):
        consider(children[child_id], "health-event", "health.FhirPatient", patient_id)
    waiting = FhirResource.objects.filter(patient__child__in=gone, event__isnull=True)
    for resource_id, child_id in waiting.values_list("pk", "patient__child").order_by("pk"):
        consider(children[child_id], "health-event", "health.FhirResource", resource_id)
    for (child_id, record_type), count in sorted(held.items()):
        child = children[child_id]
        why = child.holds.get(record_type) or child.holds[""]
        schedule.held.append(Held(child.ref, record_type, count, why))
    return gone


def _corrections_kept_together(
    events: list[tuple[Any, ...]],
    event_types: dict[int, str],
    *,
    children: dict[int, _Child],
    schedule: Schedule,
) -> None:
    """A corrected event goes only with its correction (which points at it), so a chain goes together."""
    corrections = [(event[0], event[4], event[1]) for event in events if event[4] is not None]
    kept: set[int] = set()
    while True:
        newly = {
            original
            for correction, original, _ in corrections
            if original in event_types and correction not in event_types
        }
        if not newly:
            break
        for _, original, child_id in corrections:
            if original in newly:
                children[child_id].blocked = True
        for original in newly:
            del event_types[original]
        kept |= newly
    if kept:
        schedule.due[:] = [
            d for d in schedule.due if not (d.model == "chronology.Event" and d.record_id in kept)
        ]


def _plans_schedule(gone_children: set[int], *, schedule: Schedule, config: RetentionConfig) -> None:
    """A plan (for one child or several) goes when every child it was for has gone."""
    newly_gone = {d.record_id: d for d in schedule.due if d.model == "people.Person"}
    if not newly_gone:
        return
    through = Plan.children.through.objects.all()
    plan_ids = {plan for (plan,) in values_in_batches(through, "person", newly_gone, ["plan"])}
    plans: dict[int, list[int]] = defaultdict(list)
    for plan_id, person_id in values_in_batches(through, "plan", plan_ids, ["plan", "person"]):
        plans[plan_id].append(person_id)
    for plan_id, person_ids in sorted(plans.items()):
        if all(p in gone_children for p in person_ids):
            # The longest-kept of its children decides the rule it goes under.
            child = max(
                (newly_gone[p] for p in person_ids if p in newly_gone),
                key=lambda d: d.ended_on or dt.date.min,
            )
            due = Due(
                child.record_type,
                "casework.Plan",
                plan_id,
                child.person_id,
                child.person,
                child.ended_on,
                child.rule,
            )
            schedule.due.append(due)


def _adults_schedule(gone_children: set[int], *, schedule: Schedule) -> None:
    """An adult goes when every child they are linked to has gone and nothing holds them.

    Links between adults (partners, grandparents) do not keep an adult: only children do.
    """
    newly_gone = set(schedule.ids("people.Person"))
    if not newly_gone:
        return
    columns = ["from_person", "to_person", "from_person__kind", "to_person__kind"]
    candidates: set[int] = set()
    for side in ("from_person", "to_person"):
        for from_id, to_id, from_kind, to_kind in values_in_batches(
            Relationship.objects.all(), side, newly_gone, columns
        ):
            if from_kind == PersonKind.ADULT:
                candidates.add(from_id)
            if to_kind == PersonKind.ADULT:
                candidates.add(to_id)
    candidates -= {
        pk for (pk,) in values_in_batches(Person.objects.filter(source=DISPOSED), "pk", candidates, ["pk"])
    }
    if not candidates:
        return
    children_of: dict[int, set[int]] = defaultdict(set)
    for side in ("from_person", "to_person"):
        for from_id, to_id, from_kind, to_kind in values_in_batches(
            Relationship.objects.all(), side, candidates, columns
        ):
            if from_id in candidates and to_kind == PersonKind.CHILD:
                children_of[from_id].add(to_id)
            if to_id in candidates and from_kind == PersonKind.CHILD:
                children_of[to_id].add(from_id)
    holds = _holds_of(list(candidates))
    plans_going = set(schedule.ids("casework.Plan"))
    owning: dict[int, set[int]] = defaultdict(set)
    for owner_id, plan_id in values_in_batches(
        PlanAction.objects.all(), "owner", candidates, ["owner", "plan"]
    ):
        owning[owner_id].add(plan_id)
    names = {
        pk: f"{source}:{source_id}"
        for pk, source, source_id in values_in_batches(
            Person.objects.all(), "pk", candidates, ["pk", "source", "source_id"]
        )
    }
    going = set()
    for adult_id in sorted(candidates):
        if holds.get(adult_id):
            schedule.held.append(Held(names[adult_id], ADULT, 1, next(iter(holds[adult_id].values()))))
        elif children_of[adult_id] <= gone_children and owning[adult_id] <= plans_going:
            going.add(adult_id)
            schedule.due.append(
                Due(ADULT, "people.Person", adult_id, adult_id, names[adult_id], None, ADULT_RULE)
            )
    for model, queryset in (
        ("people.RiskFactor", RiskFactor.objects.all()),
        ("people.HouseholdMember", HouseholdMember.objects.all()),
    ):
        for record_id, adult_id in sorted(values_in_batches(queryset, "person", going, ["pk", "person"])):
            schedule.due.append(Due(ADULT, model, record_id, adult_id, names[adult_id], None, ADULT_RULE))
