"""Ingesting a FHIR R4 Bundle: check every entry, then write — the whole transaction or nothing, or each
batch entry on its own — matching patients, writing chronology events (a newer version supersedes, the
same version changes nothing), keeping every resource as it came, and telling lead professionals."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from lantern.chronology.models import Event
from lantern.health.fhir import (
    BUNDLE_TYPES,
    EventMeaning,
    Issue,
    appointment_meaning,
    encounter_meaning,
    operation_outcome,
    patient_details,
    patient_reference,
    resource_check,
)
from lantern.health.matching import patient_match
from lantern.health.models import FhirPatient, FhirResource, HealthSystem, InboundMessage
from lantern.health.notifications import health_event_notify
from lantern.screening.engine import alerts_sync

CLI_SOURCE = "fhir-import"


class EntryFailed(Exception):
    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.diagnostics)
        self.issue = issue


@dataclass
class IngestResult:
    message: InboundMessage
    response: dict[str, Any]
    http_status: int
    counts: dict[str, int] = field(default_factory=dict)


def _key(resource: dict[str, Any], full_url: str) -> str:
    """A resource's identity in its system: its id, else its first identifier, else its fullUrl."""
    if resource.get("id"):
        return str(resource["id"])
    for identifier in resource.get("identifier") or []:
        if identifier.get("value"):
            return f"{identifier.get('system', '')}|{identifier['value']}"[:128]
    return full_url[:128]


def fhir_bundle_ingest(
    *, body: str, system: HealthSystem | None, replay_of: InboundMessage | None = None
) -> IngestResult:
    slug = system.slug if system else CLI_SOURCE
    try:
        bundle = json.loads(body)
    except json.JSONDecodeError as error:
        return _rejected(
            body,
            system,
            replay_of,
            "",
            [
                Issue(
                    "Bundle",
                    f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}",
                    "structure",
                )
            ],
        )
    issues = _bundle_issues(bundle)
    if issues:
        return _rejected(
            body, system, replay_of, str(bundle.get("type", "")) if isinstance(bundle, dict) else "", issues
        )
    entries = bundle.get("entry") or []
    checked: list[tuple[int, dict[str, Any], list[Issue]]] = []
    for index, entry in enumerate(entries):
        _, entry_issues = resource_check(entry.get("resource"), f"Bundle.entry[{index}].resource")
        checked.append((index, entry, entry_issues))
    kind = bundle["type"]
    all_issues = [i for _, _, found in checked for i in found]
    if kind == "transaction" and all_issues:
        return _rejected(body, system, replay_of, kind, all_issues)

    message = InboundMessage.objects.create(
        system=system,
        bundle_type=kind,
        body=body,
        entries=len(entries),
        status=InboundMessage.Status.PROCESSED,
        replay_of=replay_of,
    )
    writer = _EntryWriter(slug=slug, system=system, message=message, entries=entries)
    responses: list[dict[str, Any]] = [{} for _ in entries]
    failures: list[Issue] = []
    # Patients first, so that appointments and encounters in the same bundle can find theirs.
    order = sorted(checked, key=lambda c: (c[1].get("resource", {}) or {}).get("resourceType") != "Patient")
    if kind == "transaction":
        try:
            with transaction.atomic():
                for index, entry, _ in order:
                    responses[index] = writer.write(index, entry)
                alerts_sync(sorted(writer.children))
        except EntryFailed as failed:
            message.delete()
            return _rejected(body, system, replay_of, kind, [failed.issue])
    else:
        for index, entry, entry_issues in order:
            if entry_issues:
                failures.extend(entry_issues)
                responses[index] = _failed_response(entry_issues)
                continue
            try:
                with transaction.atomic():
                    responses[index] = writer.write(index, entry)
                    alerts_sync(sorted(writer.children))
                    writer.children.clear()
            except EntryFailed as failed:
                failures.append(failed.issue)
                responses[index] = _failed_response([failed.issue])
    message.failed_entries = sum(1 for r in responses if r.get("status", "").startswith("4"))
    if message.failed_entries:
        message.status = InboundMessage.Status.PARTLY
    response_type = {"transaction": "transaction-response", "batch": "batch-response"}.get(kind)
    if response_type:
        response = {
            "resourceType": "Bundle",
            "type": response_type,
            "entry": [{"response": r} for r in responses],
        }
    else:
        response = operation_outcome(failures)
    message.outcome = response
    message.save(update_fields=["failed_entries", "status", "outcome"])
    return IngestResult(message=message, response=response, http_status=200, counts=writer.counts)


def _bundle_issues(bundle: Any) -> list[Issue]:
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        return [Issue("Bundle", "send a Bundle resource", "structure")]
    if bundle.get("type") not in BUNDLE_TYPES:
        return [
            Issue(
                "Bundle.type",
                f"{bundle.get('type')!r}: a Bundle to Lantern is a transaction, batch, collection or message",
                "code-invalid",
            )
        ]
    if not isinstance(bundle.get("entry", []), list):
        return [Issue("Bundle.entry", "entry must be a list", "structure")]
    return []


def _failed_response(issues: list[Issue]) -> dict[str, Any]:
    return {"status": "400 Bad Request", "outcome": operation_outcome(issues)}


def _rejected(
    body: str, system: HealthSystem | None, replay_of: InboundMessage | None, kind: str, issues: list[Issue]
) -> IngestResult:
    outcome = operation_outcome(issues)
    message = InboundMessage.objects.create(
        system=system,
        bundle_type=kind,
        body=body,
        outcome=outcome,
        status=InboundMessage.Status.REJECTED,
        replay_of=replay_of,
    )
    return IngestResult(message=message, response=outcome, http_status=400)


class _EntryWriter:
    def __init__(
        self,
        *,
        slug: str,
        system: HealthSystem | None,
        message: InboundMessage,
        entries: list[dict[str, Any]],
    ) -> None:
        self.slug = slug
        self.system = system
        self.message = message
        self.counts: dict[str, int] = {
            "created": 0,
            "updated": 0,
            "unchanged": 0,
            "waiting": 0,
            "no-event": 0,
        }
        self.children: set[int] = set()  # whose chronology changed: screened in the same transaction
        self.by_full_url = {
            e.get("fullUrl"): (e.get("resource") or {})
            for e in entries
            if e.get("fullUrl") and e.get("resource")
        }

    def write(self, index: int, entry: dict[str, Any]) -> dict[str, Any]:
        resource = entry["resource"]
        kind = resource["resourceType"]
        key = _key(resource, entry.get("fullUrl", ""))
        version = str((resource.get("meta") or {}).get("versionId", ""))
        location = f"{kind}/{key}" + (f"/_history/{version}" if version else "")
        if kind == "MessageHeader":
            return {"status": "200 OK"}
        existing = FhirResource.objects.filter(
            system_slug=self.slug, resource_type=kind, fhir_id=key, version_id=version
        ).first()
        if existing is not None:
            self.counts["unchanged"] += 1
            return {"status": "200 OK", "location": location}
        if kind == "Patient":
            patient = self._patient(resource, key)
            FhirResource.objects.create(
                system_slug=self.slug,
                resource_type=kind,
                fhir_id=key,
                version_id=version,
                full_url=entry.get("fullUrl", ""),
                body=resource,
                message=self.message,
                state=FhirResource.State.NO_EVENT,
                patient=patient,
            )
            return {"status": "201 Created", "location": location}
        patient = self._patient_of(index, resource)
        record = FhirResource(
            system_slug=self.slug,
            resource_type=kind,
            fhir_id=key,
            version_id=version,
            full_url=entry.get("fullUrl", ""),
            body=resource,
            message=self.message,
            patient=patient,
            state=FhirResource.State.WAITING,
        )
        if patient.child_id is None:
            record.save()
            self.counts["waiting"] += 1
            return {"status": "202 Accepted", "location": location}
        resource_apply(record, system=self.system)
        self.children.add(patient.child_id)
        self.counts["created" if record.state == FhirResource.State.APPLIED else "no-event"] += 1
        return {"status": "201 Created", "location": location}

    def _patient(self, resource: dict[str, Any], key: str) -> FhirPatient:
        details = patient_details(resource)
        patient, _ = FhirPatient.objects.get_or_create(
            system_slug=self.slug, fhir_id=key, defaults={"match": FhirPatient.Match.UNMATCHED}
        )
        for name in ("nhs_number", "given_name", "family_name", "birth_date", "postcode"):
            setattr(patient, name, getattr(details, name))
        patient_match(patient, details)
        patient.save()
        return patient

    def _patient_of(self, index: int, resource: dict[str, Any]) -> FhirPatient:
        reference = patient_reference(resource) or ""
        if reference.startswith("urn:uuid:"):
            target = self.by_full_url.get(reference)
            if target is None or target.get("resourceType") != "Patient":
                raise EntryFailed(
                    Issue(
                        f"Bundle.entry[{index}].resource",
                        f"{reference} is not a Patient in this bundle",
                        "not-found",
                    )
                )
            reference = f"Patient/{_key(target, reference)}"
        fhir_id = reference.removeprefix("Patient/")
        patient = FhirPatient.objects.filter(system_slug=self.slug, fhir_id=fhir_id).first()
        if patient is None:
            raise EntryFailed(
                Issue(
                    f"Bundle.entry[{index}].resource",
                    f"{reference} has not been sent: send the Patient first or in the same bundle",
                    "not-found",
                )
            )
        return patient


def resource_apply(record: FhirResource, *, system: HealthSystem | None) -> None:
    """Put a resource on its child's chronology (called again when a waiting patient is matched)."""
    assert record.patient is not None
    assert record.patient.child_id is not None
    meaning = (
        appointment_meaning(record.body)
        if record.resource_type == "Appointment"
        else encounter_meaning(record.body)
    )
    source_id = f"{record.resource_type}/{record.fhir_id}"
    current = Event.objects.filter(source=record.system_slug, source_id=source_id, is_current=True).first()
    if meaning.withdrawn or meaning.no_event:
        if meaning.withdrawn and current is not None:
            Event.objects.filter(pk=current.pk).update(is_current=False)
        record.state = FhirResource.State.NO_EVENT
        record.save()
        return
    event = _event_write(record, meaning, current, system)
    record.event = event
    record.state = FhirResource.State.APPLIED
    record.save()
    health_event_notify(event=event)


def _event_write(
    record: FhirResource, meaning: EventMeaning, current: Event | None, system: HealthSystem | None
) -> Event:
    assert record.patient is not None
    assert record.patient.child_id is not None
    if current is not None:
        Event.objects.filter(pk=current.pk).update(is_current=False)
    event = Event(
        source=record.system_slug,
        source_id=f"{record.resource_type}/{record.fhir_id}",
        child_id=record.patient.child_id,
        agency=system.agency if system else None,
        recorded_at=timezone.now(),
        supersedes=current,
        **meaning.fields,
    )
    event.save()
    return event
