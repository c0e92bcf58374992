"""What professionals do with an alert: acknowledge it, record the action taken, or dismiss it (with why)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lantern.agencies.models import Professional
from lantern.screening.models import Alert, AlertHistory, AlertStatus


def _move(alert: Alert, status: str, by: Professional, note: str) -> Alert:
    if alert.status == AlertStatus.RESOLVED:
        raise ValidationError("This alert is resolved: the rule no longer matches")
    now = timezone.now()
    alert.status = status
    alert.updated_at = now
    alert.save()
    AlertHistory.objects.create(alert=alert, at=now, status=status, by=by, note=note, evidence=alert.evidence)
    return alert


@transaction.atomic
def alert_acknowledge(*, alert: Alert, by: Professional) -> Alert:
    return _move(alert, AlertStatus.ACKNOWLEDGED, by, "Acknowledged")


@transaction.atomic
def alert_action_record(*, alert: Alert, by: Professional, action_taken: str) -> Alert:
    if not action_taken.strip():
        raise ValidationError("Enter the action you took")
    alert.action_taken = action_taken.strip()
    return _move(alert, AlertStatus.ACTIONED, by, action_taken.strip())


@transaction.atomic
def alert_dismiss(*, alert: Alert, by: Professional, reason: str) -> Alert:
    if not reason.strip():
        raise ValidationError("Enter why you are dismissing the alert")
    alert.dismissed_reason = reason.strip()
    alert.dismissed_evidence = list(alert.evidence)
    return _move(alert, AlertStatus.DISMISSED, by, reason.strip())
