"""Writes: legal holds, marking a child as looked after, and subject access requests."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lantern.agencies.models import Professional
from lantern.people.models import Person
from lantern.retention.config import RECORD_TYPES
from lantern.retention.models import LegalHold, LookedAfterChild, SubjectAccessRequest


def legal_hold_place(*, person: Person, record_type: str, reason: str, placed_by: Professional) -> LegalHold:
    if record_type and (
        record_type not in RECORD_TYPES or not RECORD_TYPES[record_type].disposed_by_this_command
    ):
        raise ValidationError({"record_type": f"{record_type!r} is not a record type that is disposed of"})
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the records must be kept"})
    with transaction.atomic():
        return LegalHold.objects.create(
            person=person, record_type=record_type, reason=reason.strip(), placed_by=placed_by
        )


def legal_hold_lift(*, hold: LegalHold, reason: str, lifted_by: Professional) -> LegalHold:
    if not reason.strip():
        raise ValidationError({"lifted_reason": "Enter why the hold can be lifted"})
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if hold.lifted_at is not None:
            raise ValidationError(f"This hold was already lifted on {hold.lifted_at:%d/%m/%Y}")
        hold.lifted_at, hold.lifted_by, hold.lifted_reason = timezone.now(), lifted_by, reason.strip()
        hold.save(update_fields=["lifted_at", "lifted_by", "lifted_reason"])
        return hold


def looked_after_record(*, child: Person, recorded_by: Professional) -> LookedAfterChild:
    if child.kind != "child":
        raise ValidationError("Only a child can have been looked after")
    marker, _ = LookedAfterChild.objects.get_or_create(child=child, defaults={"recorded_by": recorded_by})
    return marker


def subject_access_request_record(
    *,
    person: Person,
    requester_name: str,
    requester: str,
    received_on: dt.date,
    identity_verified_on: dt.date | None,
    identity_evidence: str,
    recorded_by: Professional,
) -> SubjectAccessRequest:
    request = SubjectAccessRequest(
        person=person,
        requester_name=requester_name.strip(),
        requester=requester,
        received_on=received_on,
        identity_verified_on=identity_verified_on,
        identity_evidence=identity_evidence.strip(),
        recorded_by=recorded_by,
    )
    _sar_check(request)
    with transaction.atomic():
        request.save()
    return request


def _sar_check(request: SubjectAccessRequest) -> None:
    today = timezone.localdate()
    if request.received_on > today:
        raise ValidationError({"received_on": "The date received must be today or in the past"})
    verified = request.identity_verified_on
    if verified is not None:
        if verified < request.received_on:
            raise ValidationError(
                {"identity_verified_on": "Identity is verified on or after the request came"}
            )
        if verified > today:
            raise ValidationError({"identity_verified_on": "The date verified must be today or in the past"})
        if not request.identity_evidence:
            raise ValidationError({"identity_evidence": "Say how the requester's identity was verified"})
    request.full_clean(exclude=["person", "recorded_by"])


def subject_access_identity_verify(
    *, request: SubjectAccessRequest, verified_on: dt.date, evidence: str
) -> SubjectAccessRequest:
    if request.identity_verified_on is not None:
        raise ValidationError("The requester's identity is already verified")
    request.identity_verified_on, request.identity_evidence = verified_on, evidence.strip()
    _sar_check(request)
    with transaction.atomic():
        request.save(update_fields=["identity_verified_on", "identity_evidence"])
    return request


def subject_access_extend(
    *, request: SubjectAccessRequest, months: int, reason: str, today: dt.date | None = None
) -> SubjectAccessRequest:
    """Extend by ``months`` more (two at most in all), with a reason, while the first month runs.

    UK GDPR article 12(3): the requester must be told of an extension, and why, within one month of
    receipt, so an extension decided after the first deadline is refused.
    """
    today = today or timezone.localdate()
    if not request.is_open:
        raise ValidationError("The request has been answered")
    if request.first_due_on is None:
        raise ValidationError("The month has not started: verify the requester's identity first")
    if today > request.first_due_on:
        raise ValidationError(
            {"months": f"The first month ended on {request.first_due_on:%d/%m/%Y}: it is too late to extend"}
        )
    if months < 1 or request.extension_months + months > 2:
        raise ValidationError({"months": "A request can be extended by two further months at most"})
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the request is complex or one of many"})
    request.extension_months += months
    reason_line = f"{today:%d/%m/%Y}: {reason.strip()}"
    request.extension_reason = f"{request.extension_reason}\n{reason_line}".strip()
    with transaction.atomic():
        request.save(update_fields=["extension_months", "extension_reason"])
    return request


def subject_access_complete(*, request: SubjectAccessRequest, completed_on: dt.date) -> SubjectAccessRequest:
    if not request.is_open:
        raise ValidationError("The request has already been answered")
    if completed_on < request.received_on or completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "The date answered is between the date received and today"})
    request.completed_on = completed_on
    with transaction.atomic():
        request.save(update_fields=["completed_on"])
    return request
