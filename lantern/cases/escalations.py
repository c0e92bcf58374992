"""Escalation of a stuck case to a senior manager, and professional challenge between agencies: one
workflow. Raised (informal) with an owner who must respond by a date, perhaps made formal with a new owner
and date, and resolved with an outcome. Every step is an immutable ``EscalationStep``.

"If a case becomes 'stuck', there should be a process where practitioners can escalate the situation to
senior managers." "Thresholds for intervention should be clearly understood across agencies so that
professionals can challenge each other with confidence."
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from lantern.agencies.models import Agency, Professional, Role
from lantern.agencies.selectors import RECORD_ROLES, child_is_visible, involvements_current
from lantern.cases.models import (
    Escalation,
    EscalationKind,
    EscalationStage,
    EscalationStep,
    EscalationSubject,
)
from lantern.core.formatting import govuk_date
from lantern.people.models import Person
from lantern.screening.engine import alerts_sync
from lantern.screening.models import Alert, AlertStatus
from lantern.screening.services import alert_action_record

MANAGERS = (Role.MANAGER, Role.SENIOR_MANAGER)


def escalation_owners(
    *, child: Person, kind: str, stage: str = EscalationStage.INFORMAL
) -> list[Professional]:
    """Who can own it: someone who can see the child's record. A stuck case goes to a senior manager; a
    challenge to anyone involved at first, and to a manager once it is formal."""
    involved = involvements_current().filter(child=child)
    candidates = Professional.objects.filter(
        is_active=True, role__in=RECORD_ROLES, agency_id__in=involved.values("agency_id")
    )
    if kind == EscalationKind.STUCK_CASE:
        candidates = candidates.filter(role=Role.SENIOR_MANAGER)
    elif stage == EscalationStage.FORMAL:
        candidates = candidates.filter(role__in=MANAGERS)
    else:
        candidates = candidates.filter(role__in=MANAGERS) | candidates.filter(
            pk__in=involved.values("professional_id")
        )
    return [
        p for p in candidates.order_by("name").distinct() if child_is_visible(viewer=p, child_id=child.pk)
    ]


def _owner_checked(owner: Professional, *, child: Person, kind: str, stage: str) -> None:
    if owner not in escalation_owners(child=child, kind=kind, stage=stage):
        who = "a senior manager" if kind == EscalationKind.STUCK_CASE else "someone"
        raise ValidationError(
            f"{owner.name} cannot own this: choose {who} who can see {child.display_name}'s record"
            + (" (a manager, at the formal stage)" if stage == EscalationStage.FORMAL else ""),
            code="owner",
        )


def _due_checked(due_on: dt.date) -> None:
    if due_on < timezone.localdate():
        raise ValidationError("The date a response is due must be today or later", code="due")


def _note(text: str, missing: str) -> str:
    if not text.strip():
        raise ValidationError(missing, code="required")
    return text.strip()


@transaction.atomic
def escalation_raise(
    *,
    child: Person,
    by: Professional,
    kind: str,
    subject: str,
    concern: str,
    owner: Professional,
    due_on: dt.date,
    challenged_agency: Agency | None = None,
    alert: Alert | None = None,
) -> Escalation:
    """Raise it at the informal stage. From a ``stuck-case`` alert, the alert records the escalation."""
    if alert is not None and (alert.child_id != child.pk or alert.rule != "stuck-case"):
        raise ValidationError("Only a stuck case alert for this child is escalated this way", code="alert")
    concern = _note(concern, "Enter what the concern is and what you want to happen")
    if kind == EscalationKind.CHALLENGE:
        if challenged_agency is None:
            raise ValidationError("Choose the agency you are challenging", code="agency")
        if challenged_agency.pk == by.agency_id:
            raise ValidationError(
                "A professional challenge is to another agency: raise a concern in your own agency with "
                "your manager",
                code="own-agency",
            )
    else:
        challenged_agency = None
        subject = EscalationSubject.CASE_DRIFT
    if subject not in EscalationSubject.values:
        raise ValidationError("Choose what the disagreement is about", code="subject")
    _owner_checked(owner, child=child, kind=kind, stage=EscalationStage.INFORMAL)
    _due_checked(due_on)
    escalation = Escalation(
        child=child,
        kind=kind,
        subject=subject,
        concern=concern,
        raised_on=timezone.localdate(),
        raised_by=by,
        challenged_agency=challenged_agency,
        alert=alert,
        owner=owner,
        due_on=due_on,
    )
    escalation.full_clean()
    escalation.save()
    EscalationStep.objects.create(
        escalation=escalation,
        kind=EscalationStep.Kind.RAISED,
        at=timezone.now(),
        by=by,
        owner=owner,
        due_on=due_on,
        note=concern,
    )
    if alert is not None and alert.status != AlertStatus.RESOLVED:
        alert_action_record(
            alert=alert,
            by=by,
            action_taken=f"Escalated to {owner.name}, senior manager, for a response by {govuk_date(due_on)}",
        )
    alerts_sync([child.pk])
    return escalation


def _open(escalation: Escalation) -> Escalation:
    locked = Escalation.objects.select_for_update().select_related("child").get(pk=escalation.pk)
    if not locked.is_open:
        raise ValidationError(f"This was resolved on {govuk_date(locked.resolved_on)}", code="resolved")
    return locked


@transaction.atomic
def escalation_make_formal(
    *, escalation: Escalation, by: Professional, owner: Professional, due_on: dt.date, note: str
) -> Escalation:
    """Informal discussion did not resolve it: the formal stage, with a (manager) owner and a new date."""
    escalation = _open(escalation)
    if escalation.stage == EscalationStage.FORMAL:
        raise ValidationError("This is at the formal stage already", code="formal")
    note = _note(note, "Enter why it is being made formal")
    _owner_checked(owner, child=escalation.child, kind=escalation.kind, stage=EscalationStage.FORMAL)
    _due_checked(due_on)
    escalation.stage, escalation.owner, escalation.due_on = EscalationStage.FORMAL, owner, due_on
    escalation.save(update_fields=["stage", "owner", "due_on"])
    EscalationStep.objects.create(
        escalation=escalation,
        kind=EscalationStep.Kind.FORMAL,
        at=timezone.now(),
        by=by,
        owner=owner,
        due_on=due_on,
        note=note,
    )
    alerts_sync([escalation.child_id])
    return escalation


@transaction.atomic
def escalation_resolve(*, escalation: Escalation, by: Professional, outcome: str) -> Escalation:
    """Record the outcome: by its owner, or by whoever raised it."""
    escalation = _open(escalation)
    if by.pk not in (escalation.owner_id, escalation.raised_by_id):
        raise ValidationError("Only its owner or whoever raised it can record the outcome", code="not-owner")
    outcome = _note(outcome, "Enter the outcome")
    escalation.resolved_on, escalation.outcome = timezone.localdate(), outcome
    escalation.save(update_fields=["resolved_on", "outcome"])
    EscalationStep.objects.create(
        escalation=escalation, kind=EscalationStep.Kind.RESOLVED, at=timezone.now(), by=by, note=outcome
    )
    alerts_sync([escalation.child_id])
    return escalation


def escalations_of(*, child: Person) -> QuerySet[Escalation]:
    return (
        Escalation.objects.filter(child=child)
        .select_related("owner", "raised_by", "challenged_agency")
        .order_by(F("resolved_on").desc(nulls_first=True), "due_on", "pk")
    )
