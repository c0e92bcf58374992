"""What a health administrator does: resolve the unmatched queue, issue and revoke system tokens, replay."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from lantern.agencies.models import Professional
from lantern.health.ingest import IngestResult, fhir_bundle_ingest, resource_apply
from lantern.health.models import FhirPatient, FhirResource, HealthSystem, InboundMessage, SystemToken
from lantern.people.models import Person
from lantern.screening.engine import alerts_sync


@transaction.atomic
def patient_match_resolve(*, patient: FhirPatient, child: Person | None, resolved_by: Professional) -> int:
    """Match a queued patient to a child (or record that it is no child known to Lantern); the
    resources that waited for it go onto the chronology. Returns how many did."""
    patient.child = child
    patient.match = FhirPatient.Match.MANUAL if child else FhirPatient.Match.REJECTED
    patient.resolved_by = resolved_by
    patient.resolved_at = timezone.now()
    patient.save()
    if child is None:
        return 0
    waiting = list(
        FhirResource.objects.filter(patient=patient, state=FhirResource.State.WAITING)
        .select_related("patient", "message__system__agency")
        .order_by("received_at", "pk")
    )
    for record in waiting:
        resource_apply(record, system=record.message.system)
    alerts_sync([child.pk])
    return len(waiting)


def system_token_issue(*, system: HealthSystem, issued_by: Professional) -> str:
    """A new token for ``system``; only its digest is kept, so this is the one time it can be read."""
    token = f"lnt_{secrets.token_urlsafe(32)}"
    SystemToken.objects.create(
        system=system, digest=SystemToken.digest_of(token), prefix=token[:10], issued_by=issued_by
    )
    return token


def system_token_revoke(*, token: SystemToken, revoked_by: Professional) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = revoked_by
        token.save(update_fields=["revoked_at", "revoked_by"])


def system_for_token(token: str) -> HealthSystem | None:
    """The active system a presented token belongs to, or None (unknown, revoked or system disabled)."""
    found = (
        SystemToken.objects.select_related("system__agency")
        .filter(digest=SystemToken.digest_of(token), revoked_at__isnull=True, system__is_active=True)
        .first()
    )
    if found is None:
        return None
    SystemToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    return found.system


def message_replay(*, message: InboundMessage) -> IngestResult:
    """Process a received bundle again (after a fix, or a match): what was done already changes nothing."""
    return fhir_bundle_ingest(body=message.body, system=message.system, replay_of=message)
