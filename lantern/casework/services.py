"""Writing plans and meetings in Lantern: each change in one transaction, with the children's screening.

Edits are optimistic (ADR 14): the editor's form carries the ``version`` it was loaded at, and the change
is one ``UPDATE … WHERE version = <that version>`` that also adds one to it. Of two people saving the same
record at once, the database lets exactly one UPDATE match; the other changes no row and is told
(``EditConflict``), with nothing saved. This needs no row lock, so it works the same on SQLite (which has
no ``SELECT … FOR UPDATE``) and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from lantern.agencies.models import Agency, Professional
from lantern.casework.models import (
    Meeting,
    MeetingAction,
    MeetingKind,
    Plan,
    PlanAction,
    PlanAgreement,
    PlanOutcome,
    PlanReview,
    PlanReviewOutcome,
    PlanType,
)
from lantern.chronology.models import EventType, Significance
from lantern.chronology.services import LANTERN_SOURCE, event_record
from lantern.core.concurrency import EditConflict as EditConflict  # views and tests catch it from here
from lantern.core.concurrency import versioned_update
from lantern.people.models import Person
from lantern.screening.engine import alerts_sync

_versioned_update = versioned_update


def _plan_children(plan: Plan) -> list[Person]:
    return list(plan.children.order_by("date_of_birth", "pk"))


def _plan_name(plan: Plan) -> str:
    name = str(PlanType(plan.type).label).lower()
    return f"{name} ({plan.category})" if plan.category else name


def _significance(plan: Plan) -> str:
    return Significance.KEY if plan.type == PlanType.CHILD_PROTECTION else Significance.SIGNIFICANT


def _plan_clean(plan: Plan) -> None:
    if plan.type == PlanType.CHILD_PROTECTION and not plan.category:
        raise ValidationError({"category": "Select the category of the child protection plan"})
    if plan.type != PlanType.CHILD_PROTECTION and plan.category:
        raise ValidationError({"category": "Only a child protection plan has a category"})


@transaction.atomic
def plan_create(
    *,
    children: list[Person],
    recorded_by: Professional,
    type: str,
    category: str,
    started_on: dt.date,
    lead_professional: Professional | None,
    lead_agency: Agency | None,
) -> Plan:
    """A plan for one child or a sibling group, on each child's chronology from its start."""
    plan = Plan(
        source=LANTERN_SOURCE,
        source_id=uuid.uuid4().hex[:16],
        type=type,
        category=category,
        started_on=started_on,
        lead_professional=lead_professional,
        lead_agency=lead_agency,
    )
    _plan_clean(plan)
    plan.full_clean()
    plan.save()
    plan.children.set(children)
    for child in children:
        event_record(
            child=child,
            recorded_by=recorded_by,
            type_=EventType.PLAN_STARTED,
            screen=False,
            plan=plan,
            occurred_on=started_on,
            significance=_significance(plan),
            text=f"{_plan_name(plan).capitalize()} plan started",
        )
    alerts_sync([c.pk for c in children])
    return plan


@transaction.atomic
def plan_update(
    *,
    plan: Plan,
    version: int,
    recorded_by: Professional,
    type: str,
    category: str,
    started_on: dt.date,
    ended_on: dt.date | None,
    lead_professional: Professional | None,
    lead_agency: Agency | None,
) -> Plan:
    """Change the plan's details; ending it puts "plan ended" on each child's chronology."""
    was_ended = plan.ended_on
    plan.type, plan.category = type, category
    _plan_clean(plan)
    _versioned_update(
        plan,
        version=version,
        type=type,
        category=category,
        started_on=started_on,
        ended_on=ended_on,
        lead_professional=lead_professional,
        lead_agency=lead_agency,
    )
    children = _plan_children(plan)
    if ended_on and not was_ended:
        for child in children:
            event_record(
                child=child,
                recorded_by=recorded_by,
                type_=EventType.PLAN_ENDED,
                screen=False,
                plan=plan,
                occurred_on=ended_on,
                significance=_significance(plan),
                text=f"{_plan_name(plan).capitalize()} plan ended",
            )
    alerts_sync([c.pk for c in children])
    return plan


def _screen_plan(plan: Plan) -> None:
    alerts_sync(plan.children.values_list("pk", flat=True))


@transaction.atomic
def plan_outcome_add(*, plan: Plan, description: str, measure: str) -> PlanOutcome:
    outcome = PlanOutcome(plan=plan, description=description, measure=measure)
    outcome.full_clean()
    outcome.save()
    _screen_plan(plan)
    return outcome


@transaction.atomic
def plan_outcome_update(*, outcome: PlanOutcome, version: int, description: str, measure: str) -> PlanOutcome:
    _versioned_update(outcome, version=version, description=description, measure=measure)
    _screen_plan(outcome.plan)
    return outcome


def _owner_fields(owner: Person | Professional) -> dict[str, Any]:
    if isinstance(owner, Professional):
        return {"owner": None, "owner_professional": owner}
    return {"owner": owner, "owner_professional": None}


@transaction.atomic
def plan_action_add(
    *, plan: Plan, description: str, owner: Person | Professional, due_on: dt.date, done_on: dt.date | None
) -> PlanAction:
    action = PlanAction(
        plan=plan, description=description, due_on=due_on, done_on=done_on, **_owner_fields(owner)
    )
    action.full_clean()
    action.save()
    _screen_plan(plan)
    return action


@transaction.atomic
def plan_action_update(
    *,
    action: PlanAction,
    version: int,
    description: str,
    owner: Person | Professional,
    due_on: dt.date,
    done_on: dt.date | None,
) -> PlanAction:
    _versioned_update(
        action,
        version=version,
        description=description,
        due_on=due_on,
        done_on=done_on,
        **_owner_fields(owner),
    )
    _screen_plan(action.plan)
    return action


@transaction.atomic
def plan_agreement_add(*, plan: Plan, description: str, due_on: dt.date, status: str) -> PlanAgreement:
    agreement = PlanAgreement(plan=plan, description=description, due_on=due_on, status=status)
    agreement.full_clean()
    agreement.save()
    _screen_plan(plan)
    return agreement


@transaction.atomic
def plan_agreement_update(
    *, agreement: PlanAgreement, version: int, description: str, due_on: dt.date, status: str
) -> PlanAgreement:
    _versioned_update(agreement, version=version, description=description, due_on=due_on, status=status)
    _screen_plan(agreement.plan)
    return agreement


@transaction.atomic
def plan_review_record(
    *,
    plan: Plan,
    recorded_by: Professional,
    held_on: dt.date,
    progress: str,
    needs_met: bool | None,
    text: str,
    outcome_progress: Mapping[int, str],
) -> PlanReview:
    """A review: progress against every outcome of the plan, and overall; on each child's chronology."""
    outcomes = list(plan.outcomes.all())
    missing = [n for n, o in enumerate(outcomes, 1) if o.pk not in outcome_progress]
    if missing:
        raise ValidationError(f"Record progress against outcome {missing[0]}")
    if PlanReview.objects.filter(plan=plan, held_on=held_on).exists():
        raise ValidationError({"held_on": "A review of this plan is already recorded on that date"})
    review = PlanReview(plan=plan, held_on=held_on, progress=progress, needs_met=needs_met, text=text)
    review.full_clean()
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:  # someone recorded a review on the same day in the meantime
        raise ValidationError({"held_on": "A review of this plan is already recorded on that date"}) from None
    PlanReviewOutcome.objects.bulk_create(
        [PlanReviewOutcome(review=review, outcome=o, progress=outcome_progress[o.pk]) for o in outcomes]
    )
    for child in _plan_children(plan):
        event_record(
            child=child,
            recorded_by=recorded_by,
            type_=EventType.PLAN_REVIEW,
            screen=False,
            plan=plan,
            review=review,
            occurred_on=held_on,
            significance=Significance.SIGNIFICANT,
            text=f"Review of the {_plan_name(plan)} plan: {review.get_progress_display().lower()}",
        )
    _screen_plan(plan)
    return review


CONFERENCES = {MeetingKind.INITIAL_CONFERENCE, MeetingKind.REVIEW_CONFERENCE}


@transaction.atomic
def meeting_record(
    *,
    child: Person,
    recorded_by: Professional,
    kind: str,
    held_on: dt.date,
    invited: Iterable[Agency],
    attended: Iterable[Agency],
    decisions: str,
) -> Meeting:
    invited, attended = list(invited), list(attended)
    not_invited = sorted(a.name for a in attended if a not in invited)
    if not_invited:
        raise ValidationError(
            {"attended": f"{not_invited[0]} attended but is not among the agencies invited"}
        )
    meeting = Meeting(
        source=LANTERN_SOURCE,
        source_id=uuid.uuid4().hex[:16],
        child=child,
        kind=kind,
        held_on=held_on,
        decisions=decisions,
    )
    meeting.full_clean()
    meeting.save()
    meeting.invited_agencies.set(invited)
    meeting.attended_agencies.set(attended)
    event_record(
        child=child,
        recorded_by=recorded_by,
        type_=EventType.MEETING,
        meeting=meeting,
        occurred_on=held_on,
        significance=Significance.KEY if kind in CONFERENCES else Significance.SIGNIFICANT,
        text=str(MeetingKind(kind).label),
    )
    return meeting


@transaction.atomic
def meeting_action_add(
    *, meeting: Meeting, description: str, owner: Person | Professional, due_on: dt.date
) -> MeetingAction:
    action = MeetingAction(meeting=meeting, description=description, due_on=due_on, **_owner_fields(owner))
    action.full_clean()
    action.save()
    alerts_sync([meeting.child_id])
    return action
