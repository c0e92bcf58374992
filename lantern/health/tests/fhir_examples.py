"""FHIR R4 resources shaped as the specification's own examples are (Appointment, Encounter, Patient),
with synthetic people only (NHS numbers in the 999 test range)."""

from __future__ import annotations

import copy
import json
from typing import Any

NHS = "https://fhir.nhs.uk/Id/nhs-number"


def patient(fhir_id: str = "p1", nhs_number: str | None = "9995260182", **changes: Any) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": fhir_id,
        "meta": {"versionId": "1", "lastUpdated": "2026-10-01T09:00:00Z"},
        "identifier": [{"system": NHS, "value": nhs_number}]
        if nhs_number
        else [{"system": "https://hospital.example.org/mrn", "value": f"MRN-{fhir_id}"}],
        "name": [{"use": "official", "family": "Morgan", "given": ["Ava"]}],
        "gender": "female",
        "birthDate": "2019-03-27",
        "address": [{"use": "home", "line": ["1 Test Street"], "city": "Testtown", "postalCode": "HP19 8FF"}],
    }
    resource.update(changes)
    return resource


def appointment(
    fhir_id: str = "a1", status: str = "noshow", version: str = "1", **changes: Any
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Appointment",
        "id": fhir_id,
        "meta": {"versionId": version, "lastUpdated": "2026-10-02T09:00:00Z"},
        "status": status,
        "serviceType": [
            {
                "coding": [
                    {
                        "system": "http://snomed.info/sct",
                        "code": "394537008",
                        "display": "Paediatric specialty",
                    }
                ],
                "text": "Paediatrics",
            }
        ],
        "description": "Follow-up for faltering growth",
        "start": "2026-10-01T09:30:00+01:00",
        "end": "2026-10-01T10:00:00+01:00",
        "participant": [
            {
                "actor": {"reference": "Patient/p1", "display": "Ava Morgan"},
                "required": "required",
                "status": "accepted",
            },
            {
                "actor": {"reference": "Practitioner/dr1", "display": "Dr Test"},
                "required": "required",
                "status": "accepted",
            },
        ],
    }
    resource.update(changes)
    return resource


def encounter(fhir_id: str = "enc1", reason: str = "417746004", **changes: Any) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Encounter",
        "id": fhir_id,
        "meta": {"versionId": "1"},
        "status": "finished",
        "class": {
            "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
            "code": "EMER",
            "display": "emergency",
        },
        "serviceType": {
            "coding": [
                {
                    "system": "http://snomed.info/sct",
                    "code": "310000008",
                    "display": "Accident and emergency service",
                }
            ]
        },
        "subject": {"reference": "Patient/p1"},
        "period": {"start": "2026-10-03T21:40:00+01:00", "end": "2026-10-03T23:55:00+01:00"},
        "reasonCode": [
            {
                "coding": [
                    {"system": "http://snomed.info/sct", "code": reason, "display": "Traumatic injury"}
                ],
                "text": "Fell from sofa",
            }
        ],
    }
    resource.update(changes)
    return resource


def bundle(*resources: dict[str, Any], kind: str = "transaction") -> str:
    entries = []
    for resource in resources:
        entry: dict[str, Any] = {
            "fullUrl": f"https://hospital.example.org/fhir/{resource['resourceType']}/"
            f"{resource.get('id', '')}",
            "resource": copy.deepcopy(resource),
        }
        if kind in {"transaction", "batch"}:
            entry["request"] = {
                "method": "PUT",
                "url": f"{resource['resourceType']}/{resource.get('id', '')}",
            }
        entries.append(entry)
    return json.dumps({"resourceType": "Bundle", "type": kind, "entry": entries})
