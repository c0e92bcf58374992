"""FHIR R4 in: reading Bundles of Patient, Appointment and Encounter resources (fhir.resources' R4B
models, which read R4), checking what the models do not (codes, required links), and saying what each
resource means for a child's chronology. Problems are OperationOutcome issues naming the element."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from fhir.resources.R4B.appointment import Appointment
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.messageheader import MessageHeader
from fhir.resources.R4B.patient import Patient
from pydantic import ValidationError as PydanticError

from lantern.people.identifiers import nhs_number_normalise, postcode_normalise

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
BUNDLE_TYPES = {"transaction", "batch", "collection", "message"}
MODELS: dict[str, Any] = {
    "Patient": Patient,
    "Appointment": Appointment,
    "Encounter": Encounter,
    "MessageHeader": MessageHeader,
}
APPOINTMENT_STATUSES = {
    "proposed",
    "pending",
    "booked",
    "arrived",
    "fulfilled",
    "cancelled",
    "noshow",
    "entered-in-error",
    "checked-in",
    "waitlist",
}
ENCOUNTER_STATUSES = {
    "planned",
    "arrived",
    "triaged",
    "in-progress",
    "onleave",
    "finished",
    "cancelled",
    "entered-in-error",
    "unknown",
}
# Appointment.status → the outcome on the chronology. "noshow" for a child is was-not-brought: a child
# does not "not attend"; someone did not bring them (the NHS's own term).
APPOINTMENT_OUTCOMES = {
    "noshow": "was-not-brought",
    "fulfilled": "attended",
    "arrived": "attended",
    "checked-in": "attended",
}
# Appointment.cancelationReason (HL7 appointment-cancellation-reason): who cancelled.
FAMILY_CANCELLATION = {
    "pat",
    "pat-crs",
    "pat-cpp",
    "pat-dec",
    "pat-fb",
    "pat-lt",
    "pat-mt",
    "pat-mv",
    "pat-preg",
    "pat-swl",
    "pat-ucp",
    "oth-cms",
}
# Encounter classes (v3 ActCode) and service types that mean unscheduled care.
EMERGENCY_CLASSES = {"EMER"}
SETTING_BY_SERVICE = {
    # SNOMED CT services (UK): emergency department, urgent care centre, minor injuries unit.
    "310000008": "emergency-department",
    "1240681000000102": "urgent-care",
    "1240671000000104": "minor-injuries",
}
SETTING_BY_WORDS = (
    ("minor injur", "minor-injuries"),
    ("urgent", "urgent-care"),
    ("emergency", "emergency-department"),
    ("a&e", "emergency-department"),
)
REASON_BY_SNOMED = {
    "417746004": "injury",  # traumatic injury
    "125605004": "injury",  # fracture of bone
    "125666000": "injury",  # burn
    "282100009": "ingestion",  # adverse reaction caused by substance
    "72431002": "ingestion",  # accidental poisoning
    "242253008": "ingestion",  # overdose of drug
    "386661006": "illness",  # fever
    "62315008": "illness",  # diarrhoea
    "49727002": "illness",  # cough
}
REASON_BY_WORDS = (
    ("injur", "injury"),
    ("fractur", "injury"),
    ("burn", "injury"),
    ("bruis", "injury"),
    ("fall", "injury"),
    ("ingest", "ingestion"),
    ("poison", "ingestion"),
    ("swallow", "ingestion"),
    ("overdose", "ingestion"),
    ("fever", "illness"),
    ("vomit", "illness"),
    ("cough", "illness"),
    ("rash", "illness"),
    ("breath", "illness"),
)


@dataclass(frozen=True)
class Issue:
    """An OperationOutcome.issue: severity error, a code, the element path and what is wrong."""

    expression: str
    diagnostics: str
    code: str = "invalid"

    def as_fhir(self) -> dict[str, Any]:
        return {
            "severity": "error",
            "code": self.code,
            "diagnostics": self.diagnostics,
            "expression": [self.expression],
        }


def operation_outcome(issues: list[Issue]) -> dict[str, Any]:
    if not issues:
        return {
            "resourceType": "OperationOutcome",
            "issue": [
                {"severity": "information", "code": "informational", "diagnostics": "All entries processed"}
            ],
        }
    return {"resourceType": "OperationOutcome", "issue": [i.as_fhir() for i in issues]}


def _pydantic_path(prefix: str, loc: tuple[Any, ...]) -> str:
    path = prefix
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def resource_check(resource: Any, path: str) -> tuple[Any | None, list[Issue]]:
    """The resource as a validated model, or the issues that stop it (each naming its element)."""
    if not isinstance(resource, dict) or "resourceType" not in resource:
        return None, [Issue(path, "an entry needs a resource with a resourceType", "required")]
    kind = resource["resourceType"]
    model = MODELS.get(kind)
    if model is None:
        return None, [
            Issue(
                f"{path}.resourceType",
                f"{kind} is not accepted: send Patient, Appointment or Encounter resources",
                "not-supported",
            )
        ]
    try:
        parsed = model.model_validate(resource)
    except PydanticError as error:
        return None, [
            Issue(_pydantic_path(path, tuple(e["loc"])), e["msg"], "structure")
            for e in error.errors(include_url=False)
        ]
    issues = _rules(kind, resource, path)
    return (None if issues else parsed), issues


_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$")


def _date_time_issues(value: Any, path: str) -> list[Issue]:
    if value is None:
        return []
    if not isinstance(value, str) or not _DATE_TIME.match(value):
        return [Issue(path, f"{value!r} is not a FHIR dateTime (like 2026-10-01T09:30:00+01:00)", "value")]
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return [Issue(path, f"{value!r} is not a real date and time", "value")]
    return []


def _rules(kind: str, resource: dict[str, Any], path: str) -> list[Issue]:
    """What FHIR requires and the models do not check, and what Lantern needs to place the resource."""
    issues = []
    if kind == "Appointment":
        issues += _date_time_issues(resource.get("start"), f"{path}.start")
    if kind == "Encounter":
        issues += _date_time_issues((resource.get("period") or {}).get("start"), f"{path}.period.start")
    if issues:
        return issues
    if kind == "Patient":
        if not resource.get("identifier"):
            issues.append(
                Issue(
                    f"{path}.identifier",
                    "a Patient needs at least one identifier (the NHS number)",
                    "required",
                )
            )
        for index, identifier in enumerate(resource.get("identifier") or []):
            if identifier.get("system") == NHS_NUMBER_SYSTEM:
                try:
                    nhs_number_normalise(identifier.get("value", ""))
                except ValidationError as error:
                    issues.append(Issue(f"{path}.identifier[{index}].value", error.messages[0], "value"))
    elif kind == "Appointment":
        status = resource.get("status")
        if status not in APPOINTMENT_STATUSES:
            issues.append(Issue(f"{path}.status", f"{status!r} is not an Appointment status", "code-invalid"))
        if not resource.get("participant"):
            issues.append(Issue(f"{path}.participant", "an Appointment needs a participant", "required"))
        elif _patient_reference(resource) is None:
            issues.append(Issue(f"{path}.participant", "no participant's actor is a Patient", "required"))
        if not resource.get("start") and status in APPOINTMENT_OUTCOMES:
            issues.append(Issue(f"{path}.start", "an appointment that happened needs its start", "required"))
    elif kind == "Encounter":
        status = resource.get("status")
        if status not in ENCOUNTER_STATUSES:
            issues.append(Issue(f"{path}.status", f"{status!r} is not an Encounter status", "code-invalid"))
        if not (resource.get("subject") or {}).get("reference"):
            issues.append(Issue(f"{path}.subject", "an Encounter needs its subject, the Patient", "required"))
        if not (resource.get("period") or {}).get("start"):
            issues.append(Issue(f"{path}.period.start", "an Encounter needs the time it started", "required"))
    return issues


def _patient_reference(resource: dict[str, Any]) -> str | None:
    if resource["resourceType"] == "Encounter":
        reference = (resource.get("subject") or {}).get("reference")
        return str(reference) if reference else None
    for participant in resource.get("participant") or []:
        reference = (participant.get("actor") or {}).get("reference", "")
        if reference.startswith("Patient/") or reference.startswith("urn:uuid:"):
            return str(reference)
    return None


@dataclass
class PatientDetails:
    fhir_id: str
    nhs_number: str = ""
    given_name: str = ""
    family_name: str = ""
    birth_date: dt.date | None = None
    postcode: str = ""


def patient_details(resource: dict[str, Any]) -> PatientDetails:
    details = PatientDetails(fhir_id=str(resource.get("id", "")))
    for identifier in resource.get("identifier") or []:
        if identifier.get("system") == NHS_NUMBER_SYSTEM:
            details.nhs_number = nhs_number_normalise(identifier["value"])
    names = resource.get("name") or []
    official = next((n for n in names if n.get("use") == "official"), names[0] if names else {})
    details.family_name = official.get("family", "")
    details.given_name = " ".join(official.get("given") or [])
    if resource.get("birthDate"):
        details.birth_date = dt.date.fromisoformat(resource["birthDate"][:10])
    for address in resource.get("address") or []:
        try:
            details.postcode = postcode_normalise(address.get("postalCode", ""))
            break
        except ValidationError:
            continue
    return details


@dataclass
class EventMeaning:
    """What a resource means for the chronology: an event's fields, or why it is not one."""

    fields: dict[str, Any] = field(default_factory=dict)
    withdrawn: bool = False  # entered-in-error: the earlier entry stops being current
    no_event: str = ""  # why there is no chronology event (kept all the same)


def _local(moment: str) -> tuple[dt.date, dt.time | None]:
    if len(moment) == 10:
        return dt.date.fromisoformat(moment), None
    parsed = dt.datetime.fromisoformat(moment.replace("Z", "+00:00"))
    if timezone.is_aware(parsed):
        parsed = timezone.localtime(parsed)
    return parsed.date(), parsed.time().replace(second=0, microsecond=0, tzinfo=None)


def _codes(concepts: list[dict[str, Any]] | None) -> tuple[set[str], str]:
    codes, words = set(), []
    for concept in concepts or []:
        words.append(concept.get("text", ""))
        for coding in concept.get("coding") or []:
            codes.add(str(coding.get("code", "")))
            words.append(coding.get("display", ""))
    return codes, " ".join(words).lower()


def appointment_meaning(resource: dict[str, Any]) -> EventMeaning:
    status = resource["status"]
    if status == "entered-in-error":
        return EventMeaning(withdrawn=True)
    if status == "cancelled":
        codes, _ = _codes([resource["cancelationReason"]] if resource.get("cancelationReason") else [])
        outcome = "cancelled-by-family" if codes & FAMILY_CANCELLATION else "cancelled-by-provider"
    elif status in APPOINTMENT_OUTCOMES:
        outcome = APPOINTMENT_OUTCOMES[status]
    else:
        return EventMeaning(no_event=f"an appointment {status} has not happened yet")
    if not resource.get("start"):
        return EventMeaning(no_event="a cancelled appointment with no start date")
    occurred_on, occurred_time = _local(resource["start"])
    _, service_words = _codes(resource.get("serviceType"))
    service = (resource.get("serviceType") or [{}])[0].get("text") or service_words.strip()
    return EventMeaning(
        fields={
            "type": "appointment",
            "occurred_on": occurred_on,
            "occurred_time": occurred_time,
            "outcome": outcome,
            "service": service[:200],
            "text": resource.get("description", ""),
        }
    )


def encounter_meaning(resource: dict[str, Any]) -> EventMeaning:
    status = resource["status"]
    if status == "entered-in-error":
        return EventMeaning(withdrawn=True)
    codes, words = _codes(resource.get("serviceType") and [resource["serviceType"]])
    setting = next((SETTING_BY_SERVICE[c] for c in codes if c in SETTING_BY_SERVICE), None)
    setting = setting or next((s for w, s in SETTING_BY_WORDS if w in words), None)
    if (resource.get("class") or {}).get("code") not in EMERGENCY_CLASSES and setting is None:
        return EventMeaning(no_event="not unscheduled care (class is not EMER, no A&E service type)")
    if status in {"planned", "cancelled"}:
        return EventMeaning(no_event=f"an encounter {status} is not an attendance")
    reason_codes, reason_words = _codes(resource.get("reasonCode"))
    reason = next((REASON_BY_SNOMED[c] for c in reason_codes if c in REASON_BY_SNOMED), None)
    reason = reason or next((r for w, r in REASON_BY_WORDS if w in reason_words), "other")
    occurred_on, occurred_time = _local(resource["period"]["start"])
    return EventMeaning(
        fields={
            "type": "attendance",
            "occurred_on": occurred_on,
            "occurred_time": occurred_time,
            "setting": setting or "emergency-department",
            "reason": reason,
            "text": reason_words.strip()[:2000],
        }
    )


def patient_reference(resource: dict[str, Any]) -> str | None:
    return _patient_reference(resource)
