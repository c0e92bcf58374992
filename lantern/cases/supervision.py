"""Reflective case supervision: the supervisor records it, and it is the chronology's ``supervision`` entry
that ``supervision-overdue`` reads (one source of truth), screened in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from lantern.agencies.models import Professional
from lantern.agencies.selectors import RECORD_ROLES, involvements_current
from lantern.cases.models import CaseSupervision
from lantern.chronology.models import EventType
from lantern.chronology.services import event_record
from lantern.people.models import Person


def supervisees(*, child: Person) -> QuerySet[Professional]:
    """Whom a supervision about the child can be with: the professionals currently involved with them."""
    involved = involvements_current().filter(child=child, professional__isnull=False)
    return Professional.objects.filter(
        pk__in=involved.values("professional_id"), is_active=True, role__in=RECORD_ROLES
    ).order_by("name")


@transaction.atomic
def supervision_record(
    *,
    child: Person,
    supervisor: Professional,
    worker: Professional,
    held_on: dt.date,
    reflections: str,
    decisions: str,
) -> CaseSupervision:
    if held_on > timezone.localdate():
        raise ValidationError("The date of the supervision must be today or in the past", code="future")
    if worker == supervisor:
        raise ValidationError(
            "Case supervision is with another worker: choose who was supervised", code="self"
        )
    if not supervisees(child=child).filter(pk=worker.pk).exists():
        raise ValidationError(f"{worker.name} is not involved with {child.display_name}", code="worker")
    reflections, decisions = reflections.strip(), decisions.strip()
    if not reflections:
        raise ValidationError("Enter the reflections from the supervision", code="reflections")
    if not decisions:
        raise ValidationError("Enter the decisions made in the supervision", code="decisions")
    event = event_record(
        child=child,
        recorded_by=supervisor,
        type_=EventType.SUPERVISION,
        occurred_on=held_on,
        occurred_time=None,
        worker=worker,
        supervisor=supervisor,
        text=decisions,
    )
    return CaseSupervision.objects.create(event=event, reflections=reflections)


def supervisions_of(*, child: Person) -> QuerySet[CaseSupervision]:
    return (
        CaseSupervision.objects.filter(event__child=child, event__is_current=True)
        .select_related("event__worker", "event__supervisor")
        .order_by("-event__occurred_on", "-pk")
    )
