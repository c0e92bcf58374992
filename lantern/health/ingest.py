"""Ingesting a FHIR R4 Bundle: check every entry, then write — the whole transaction or nothing, or each
batch entry on its own — matching patients, writing chronology events (a newer version supersedes, the
same version changes nothing), keeping every resource as it came, and telling lead professionals."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from lantern.chronology.models import Event
from lantern.core.batching import objects_in_batches, values_in_batches
from lantern.health.fhir import (
    BUNDLE_TYPES,
    EventMeaning,
    Issue,
    PatientDetails,
    appointment_meaning,
    encounter_meaning,
    operation_outcome,
    patient_details,
    patient_reference,
    resource_check,
)
from lantern.health.matching import patient_match
from lantern.health.models import FhirPatient, FhirResource, HealthSystem, InboundMessage
from lantern.health.notifications import children_on_plans, health_event_notify
from lantern.people.models import Person
from lantern.screening.engine import alerts_sync

CLI_SOURCE = "fhir-import"
BATCH = 2000


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
    *,
    body: str,
    system: HealthSystem | None,
    replay_of: InboundMessage | None = None,
    progress: Callable[[str, int], None] | None = None,
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

    plan = _Plan(slug=slug, system=system, entries=entries)
    responses: list[dict[str, Any]] = [{} for _ in entries]
    failures: list[Issue] = []
    # Patients first, so that appointments and encounters in the same bundle can find theirs. Every entry
    # is placed before anything is written, so a batch needs no savepoint per entry.
    order = sorted(checked, key=lambda c: (c[1].get("resource", {}) or {}).get("resourceType") != "Patient")
    for index, entry, entry_issues in order:
        if entry_issues:
            failures.extend(entry_issues)
            responses[index] = _failed_response(entry_issues)
            continue
        if progress is not None and index % 1000 == 999:
            progress("checking entries", 1000)
        try:
            responses[index] = plan.add(index, entry)
        except EntryFailed as failed:
            if kind == "transaction":
                return _rejected(body, system, replay_of, kind, [failed.issue])
            failures.append(failed.issue)
            responses[index] = _failed_response([failed.issue])
    # The message's outcome is saved in the same transaction as what it wrote: a crash (kill -9) leaves
    # both or neither.
    with transaction.atomic():
        message = InboundMessage.objects.create(
            system=system,
            bundle_type=kind,
            body=body,
            entries=len(entries),
            status=InboundMessage.Status.PROCESSED,
            replay_of=replay_of,
        )
        plan.apply(message)
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
    return IngestResult(message=message, response=response, http_status=200, counts=plan.counts)


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


@dataclass
class _Placed:
    """An Appointment or Encounter placed: which resource, which version, whose it is."""

    entry: dict[str, Any]
    kind: str
    key: str
    version: str
    patient_key: str


class _Plan:
    """A bundle's entries placed first (no writes), then written together in one transaction."""

    def __init__(self, *, slug: str, system: HealthSystem | None, entries: list[dict[str, Any]]) -> None:
        self.slug = slug
        self.system = system
        self.counts: dict[str, int] = {
            "created": 0,
            "updated": 0,
            "unchanged": 0,
            "waiting": 0,
            "no-event": 0,
        }
        self.by_full_url = {
            e.get("fullUrl"): (e.get("resource") or {})
            for e in entries
            if isinstance(e, dict) and e.get("fullUrl") and e.get("resource")
        }
        self.patients: dict[str, tuple[dict[str, Any], PatientDetails]] = {}  # sent in this bundle
        self.placed: list[_Placed] = []
        keys = [
            (r.get("resourceType"), _key(r, e.get("fullUrl", "")))
            for e in entries
            if isinstance(e, dict) and isinstance(r := e.get("resource"), dict)
        ]
        self.stored = {
            (kind, fhir_id, version)
            for kind, fhir_id, version in values_in_batches(
                FhirResource.objects.filter(system_slug=slug),
                "fhir_id",
                [k for _, k in keys],
                ("resource_type", "fhir_id", "version_id"),
            )
        }
        referenced = {k for kind, k in keys if kind == "Patient"}
        for e in entries:
            reference = patient_reference(e.get("resource") or {}) if isinstance(e, dict) else None
            if reference and reference.startswith("Patient/"):
                referenced.add(reference.removeprefix("Patient/"))
        self.known_patients = {
            p.fhir_id: p
            for p in objects_in_batches(FhirPatient.objects.filter(system_slug=slug), "fhir_id", referenced)
        }
        self.stored_here: set[tuple[str, str, str]] = set()

    def add(self, index: int, entry: dict[str, Any]) -> dict[str, Any]:
        resource = entry["resource"]
        kind = resource["resourceType"]
        key = _key(resource, entry.get("fullUrl", ""))
        version = str((resource.get("meta") or {}).get("versionId", ""))
        location = f"{kind}/{key}" + (f"/_history/{version}" if version else "")
        if kind == "MessageHeader":
            return {"status": "200 OK"}
        if (kind, key, version) in self.stored or (kind, key, version) in self.stored_here:
            self.counts["unchanged"] += 1
            return {"status": "200 OK", "location": location}
        self.stored_here.add((kind, key, version))
        if kind == "Patient":
            self.patients[key] = (entry, patient_details(resource))
            return {"status": "201 Created", "location": location}
        patient_key = self._patient_key(index, resource)
        self.placed.append(_Placed(entry=entry, kind=kind, key=key, version=version, patient_key=patient_key))
        return {"status": "201 Created", "location": location}

    def _patient_key(self, index: int, resource: dict[str, Any]) -> str:
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
            return _key(target, reference)
        fhir_id = reference.removeprefix("Patient/")
        if fhir_id not in self.patients and fhir_id not in self.known_patients:
            raise EntryFailed(
                Issue(
                    f"Bundle.entry[{index}].resource",
                    f"{reference} has not been sent: send the Patient first or in the same bundle",
                    "not-found",
                )
            )
        return fhir_id

    # -- writing ----------------------------------------------------------------------------------

    def apply(self, message: InboundMessage) -> None:
        patients = self._patients_write(message)
        events = self._events_write(message, patients)
        on_plans = children_on_plans({e.child_id for e in events})
        for event in events:
            if event.child_id in on_plans:
                health_event_notify(event=event)
        alerts_sync(
            sorted({e.child_id for e in events} | {p.child_id for p in patients.values() if p.child_id})
        )

    def _patients_write(self, message: InboundMessage) -> dict[str, FhirPatient]:
        patients = dict(self.known_patients)
        by_number = {
            p.nhs_number: p
            for p in objects_in_batches(
                Person.objects.children(),
                "nhs_number",
                {d.nhs_number for _, d in self.patients.values() if d.nhs_number},
            )
        }
        new: list[FhirPatient] = []
        changed: list[FhirPatient] = []
        records: list[FhirResource] = []
        for key, (entry, details) in self.patients.items():
            patient = patients.get(key) or FhirPatient(
                system_slug=self.slug, fhir_id=key, match=FhirPatient.Match.UNMATCHED
            )
            for name in ("nhs_number", "given_name", "family_name", "birth_date", "postcode"):
                setattr(patient, name, getattr(details, name))
            known_child = by_number.get(details.nhs_number)
            if known_child is not None and patient.match not in {
                FhirPatient.Match.MANUAL,
                FhirPatient.Match.REJECTED,
            }:
                patient.child, patient.match, patient.candidate, patient.confidence = (
                    known_child,
                    FhirPatient.Match.NHS_NUMBER,
                    None,
                    Decimal(1),
                )
            else:
                patient_match(patient, details)
            (changed if patient.pk else new).append(patient)
            patients[key] = patient
            resource = entry["resource"]
            records.append(
                FhirResource(
                    system_slug=self.slug,
                    resource_type="Patient",
                    fhir_id=key,
                    version_id=str((resource.get("meta") or {}).get("versionId", "")),
                    full_url=entry.get("fullUrl", ""),
                    body=resource,
                    message=message,
                    state=FhirResource.State.NO_EVENT,
                )
            )
        FhirPatient.objects.bulk_create(new, batch_size=BATCH)
        FhirPatient.objects.bulk_update(
            changed,
            [
                "nhs_number",
                "given_name",
                "family_name",
                "birth_date",
                "postcode",
                "child",
                "match",
                "candidate",
                "confidence",
            ],
            batch_size=BATCH,
        )
        for record in records:
            record.patient = patients[record.fhir_id]
        FhirResource.objects.bulk_create(records, batch_size=BATCH)
        return patients

    def _events_write(self, message: InboundMessage, patients: dict[str, FhirPatient]) -> list[Event]:
        source_ids = [f"{p.kind}/{p.key}" for p in self.placed]
        current = {
            e.source_id: e
            for e in objects_in_batches(
                Event.objects.filter(source=self.slug, is_current=True), "source_id", source_ids
            )
        }
        records: list[FhirResource] = []
        final: dict[str, tuple[FhirPatient, EventMeaning]] = {}  # the last version in the bundle wins
        for placed in self.placed:
            patient = patients[placed.patient_key]
            resource = placed.entry["resource"]
            record = FhirResource(
                system_slug=self.slug,
                resource_type=placed.kind,
                fhir_id=placed.key,
                version_id=placed.version,
                full_url=placed.entry.get("fullUrl", ""),
                body=resource,
                message=message,
                patient=patient,
                state=FhirResource.State.WAITING,
            )
            records.append(record)
            if patient.child_id is None:
                self.counts["waiting"] += 1
                continue
            meaning = (
                appointment_meaning(resource) if placed.kind == "Appointment" else encounter_meaning(resource)
            )
            final[f"{placed.kind}/{placed.key}"] = (patient, meaning)
        withdrawn = [current[ref].pk for ref in final if ref in current]
        Event.objects.filter(pk__in=withdrawn).update(is_current=False)
        now = timezone.now()
        events: dict[str, Event] = {}
        for ref, (patient, meaning) in final.items():
            if meaning.fields and patient.child_id is not None:
                events[ref] = Event(
                    source=self.slug,
                    source_id=ref,
                    child_id=patient.child_id,
                    agency=self.system.agency if self.system else None,
                    recorded_at=now,
                    supersedes=current.get(ref),
                    **meaning.fields,
                )
        Event.objects.bulk_create(list(events.values()), batch_size=BATCH)
        for record in records:
            ref = f"{record.resource_type}/{record.fhir_id}"
            if record.state == FhirResource.State.WAITING and ref in final:
                record.event = events.get(ref)
                record.state = FhirResource.State.APPLIED if ref in events else FhirResource.State.NO_EVENT
        FhirResource.objects.bulk_create(records, batch_size=BATCH)
        self.counts["created"] += len(events)
        self.counts["no-event"] += sum(1 for _, m in final.values() if not m.fields)
        return list(events.values())


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
