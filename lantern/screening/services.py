"""What professionals do with an alert: acknowledge it, record the action taken, or dismiss it (with why).

Each is saved with one conditional UPDATE on the alert's ``version`` (the one the professional's page
showed, or else the one just read): of two responses to the same alert at once, or a response to an alert
that changed since the page was opened, one is saved and the other raises ``EditConflict`` (ADR 14)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lantern.agencies.models import Professional
from lantern.core.concurrency import versioned_update
from lantern.screening.models import Alert, AlertHistory, AlertStatus


def _move(
    alert: Alert, status: str, by: Professional, note: str, version: int | None, **values: Any
) -> Alert:
    if alert.status == AlertStatus.RESOLVED:
        raise ValidationError("This alert is resolved: the rule no longer matches")
    now = timezone.now()
    versioned_update(alert, version=alert.version if version is None else version, clean=False,
                     status=status, updated_at=now, **values)  # fmt: skip
    AlertHistory.objects.create(alert=alert, at=now, status=status, by=by, note=note, evidence=alert.evidence)
    return alert


@transaction.atomic
def alert_acknowledge(*, alert: Alert, by: Professional, version: int | None = None) -> Alert:
    return _move(alert, AlertStatus.ACKNOWLEDGED, by, "Acknowledged", version)


@transaction.atomic
def alert_action_record(
    *, alert: Alert, by: Professional, action_taken: str, version: int | None = None
) -> Alert:
    if not action_taken.strip():
        raise ValidationError("Enter the action you took")
    text = action_taken.strip()
    return _move(alert, AlertStatus.ACTIONED, by, text, version, action_taken=text)


@transaction.atomic
def alert_dismiss(*, alert: Alert, by: Professional, reason: str, version: int | None = None) -> Alert:
    if not reason.strip():
        raise ValidationError("Enter why you are dismissing the alert")
    text = reason.strip()
    return _move(alert, AlertStatus.DISMISSED, by, text, version, dismissed_reason=text,
                 dismissed_evidence=list(alert.evidence))  # fmt: skip
