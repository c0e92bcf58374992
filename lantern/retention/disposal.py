"""Disposing of what the retention schedule says is due: in one transaction, with a disposal log.

The log (DisposalRun, DisposalEntry) says what kind of record went, its number, when, and under which
rule — never what it said or whom it was about. A person's record is not deleted but reduced to a
tombstone (no name, NHS number, history or needs; the year of birth only) because the access log, which
is kept for its own period and cannot be changed (ADR 0018), still points at it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.db.models import Q

from lantern.agencies.models import Involvement
from lantern.assessments.models import Assessment
from lantern.casework.models import Meeting, Plan
from lantern.chronology.models import Event
from lantern.core.batching import BATCH, objects_in_batches, values_in_batches
from lantern.health.models import FhirPatient, FhirResource, Notification
from lantern.people.models import (
    Address,
    Household,
    HouseholdMember,
    Person,
    PersonKind,
    Relationship,
    RiskFactor,
)
from lantern.retention.config import RetentionConfig, retention_config
from lantern.retention.models import DisposalEntry, DisposalRun, LookedAfterChild
from lantern.retention.schedule import DISPOSED, Schedule, retention_schedule
from lantern.screening.engine import alerts_sync
from lantern.screening.models import Alert, AlertHistory


def retention_dispose(
    *,
    as_of: dt.date,
    run_by: str,
    config: RetentionConfig | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[DisposalRun, Schedule]:
    """Work out what is due and dispose of it, all in one transaction: all of it goes, or none."""
    config = config or retention_config()
    with transaction.atomic():
        schedule = retention_schedule(as_of=as_of, config=config, progress=progress)
        run = DisposalRun.objects.create(
            as_of=as_of, run_by=run_by, configuration=config.as_json(), counts=schedule.counts()
        )
        DisposalEntry.objects.bulk_create(
            (
                DisposalEntry(
                    run=run,
                    record_type=due.record_type,
                    model=due.model,
                    record_id=due.record_id,
                    rule=due.rule,
                )
                for due in schedule.due
            ),
            batch_size=BATCH,
        )
        _dispose(schedule)
        # The children who keep a record lose some of it: their alerts are brought up to date, as at
        # today (the alerts' lifecycle is today's, whatever day the schedule was worked out as at).
        gone = set(schedule.ids("people.Person"))
        remaining = {d.person_id for d in schedule.due} - gone
        children = list(Person.objects.children().filter(pk__in=remaining).values_list("pk", flat=True))
        if children:
            alerts_sync(children)
    return run, schedule


def _delete_in_batches(model: type, ids: list[int]) -> None:
    for start in range(0, len(ids), BATCH):
        model._default_manager.filter(pk__in=ids[start : start + BATCH]).delete()  # type: ignore[attr-defined]


def _dispose(schedule: Schedule) -> None:
    _delete_in_batches(Notification, schedule.ids("health.Notification"))
    _delete_in_batches(FhirResource, schedule.ids("health.FhirResource"))
    _events_delete(schedule.ids("chronology.Event"))
    alert_ids = schedule.ids("screening.Alert")
    for start in range(0, len(alert_ids), BATCH):
        AlertHistory.objects.filter(alert__in=alert_ids[start : start + BATCH]).delete()
    _delete_in_batches(Alert, alert_ids)
    _delete_in_batches(Assessment, schedule.ids("assessments.Assessment"))
    _delete_in_batches(Meeting, schedule.ids("casework.Meeting"))
    _delete_in_batches(Plan, schedule.ids("casework.Plan"))
    _delete_in_batches(Involvement, schedule.ids("agencies.Involvement"))
    _delete_in_batches(RiskFactor, schedule.ids("people.RiskFactor"))
    member_ids = schedule.ids("people.HouseholdMember")
    households = {
        h for (h,) in values_in_batches(HouseholdMember.objects.all(), "pk", member_ids, ["household"])
    }
    _delete_in_batches(HouseholdMember, schedule.ids("people.HouseholdMember"))
    _delete_in_batches(FhirPatient, schedule.ids("health.FhirPatient"))
    _people_tombstone(schedule.ids("people.Person"))
    empty = values_in_batches(
        Household.objects.filter(members__isnull=True), "pk", households, ["pk", "address"]
    )
    _delete_in_batches(Household, [pk for pk, _ in empty])
    orphaned = values_in_batches(
        Address.objects.filter(households__isnull=True), "pk", {a for _, a in empty}, ["pk"]
    )
    _delete_in_batches(Address, [pk for (pk,) in orphaned])


def _events_delete(ids: list[int]) -> None:
    """Corrections first: an event that a remaining event supersedes cannot go before it."""
    remaining = set(ids)
    while remaining:
        chunk = list(remaining)
        superseded = set()
        for start in range(0, len(chunk), BATCH):
            superseded |= set(
                Event.objects.filter(
                    pk__in=chunk[start : start + BATCH], supersedes__isnull=False
                ).values_list("supersedes", flat=True)
            )
        deletable = sorted(remaining - superseded)
        _delete_in_batches(Event, deletable)
        remaining -= set(deletable)


def _people_tombstone(ids: list[int]) -> None:
    if not ids:
        return
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        FhirPatient.objects.filter(candidate__in=chunk).update(candidate=None, confidence=0)
        LookedAfterChild.objects.filter(child__in=chunk).delete()
    people = objects_in_batches(Person.objects.all(), "pk", ids)
    for person in people:
        person.source, person.source_id = DISPOSED, str(person.pk)
        person.given_name = person.family_name = person.given_name_index = person.family_name_index = ""
        person.nhs_number = None
        person.premature = False
        person.health_needs, person.disabilities, person.childhood_history = [], [], ""
        if person.date_of_birth:
            person.date_of_birth = dt.date(person.date_of_birth.year, 1, 1)
        if person.expected_date_of_birth:
            person.expected_date_of_birth = dt.date(person.expected_date_of_birth.year, 1, 1)
        if person.kind == PersonKind.ADULT:
            person.date_of_birth = None
    Person.objects.bulk_update(people, TOMBSTONE_FIELDS, batch_size=BATCH)
    # A link goes when both of its people have gone; one to someone still kept stays with them.
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        Relationship.objects.filter(Q(from_person__in=chunk) | Q(to_person__in=chunk)).filter(
            from_person__source=DISPOSED, to_person__source=DISPOSED
        ).delete()


TOMBSTONE_FIELDS = [
    "source",
    "source_id",
    "given_name",
    "family_name",
    "given_name_index",
    "family_name_index",
    "nhs_number",
    "premature",
    "health_needs",
    "disabilities",
    "childhood_history",
    "date_of_birth",
    "expected_date_of_birth",
]
