"""Recording a share, or a decision not to share (ADR 17)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from lantern.agencies.models import Professional
from lantern.people.models import Person
from lantern.screening.engine import alerts_sync
from lantern.sharing.models import SharingRecord

WITHOUT_CONSENT_REFUSED = (
    "Sharing without consent needs a manager's decision: ask your team manager to record this share"
)


@transaction.atomic
def sharing_record(*, child: Person, recorded_by: Professional, **fields: Any) -> SharingRecord:
    """Record a share or a decision not to share; sharing without consent needs its own permission."""
    record = SharingRecord(child=child, recorded_by=recorded_by, **fields)
    record.full_clean()
    if record.without_consent and not recorded_by.has_perm("sharing.share_without_consent", child):
        raise ValidationError({"consent": WITHOUT_CONSENT_REFUSED})
    record.save()
    alerts_sync([child.pk])
    return record
