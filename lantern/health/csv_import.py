"""Appointments and attendances from services without FHIR: a CSV file, checked line by line, then sent
through the same path as a FHIR transaction (matching, versions, notifications), all or nothing.

Columns (a header row names them; order does not matter; docs/health-csv.md says more):
record_type (appointment | attendance), record_id, version (optional), nhs_number (or, failing that,
given_name, family_name, date_of_birth, postcode), at (2026-10-01 or 2026-10-01T09:30),
service, outcome (appointment: attended | was-not-brought | cancelled-by-family | cancelled-by-provider),
setting (attendance: emergency-department | urgent-care | minor-injuries),
reason (attendance: injury | illness | ingestion | other), text.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from lantern.health.fhir import NHS_NUMBER_SYSTEM
from lantern.people.identifiers import nhs_number_normalise, postcode_normalise

REQUIRED = ("record_type", "record_id", "at")
OUTCOME_STATUS = {
    "attended": "fulfilled",
    "was-not-brought": "noshow",
    "cancelled-by-family": "cancelled",
    "cancelled-by-provider": "cancelled",
}
SETTING_CODES = {
    "emergency-department": "310000008",
    "urgent-care": "1240681000000102",
    "minor-injuries": "1240671000000104",
}
REASON_CODES = {"injury": "417746004", "ingestion": "72431002", "illness": "386661006"}


@dataclass
class CsvProblem:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return (
            f"line {self.line}, {self.column}: {self.message}"
            if self.column
            else f"line {self.line}: {self.message}"
        )


def _at(value: str) -> str:
    """The moment as FHIR writes it; a bare date stays a date."""
    if len(value) == 10:
        dt.date.fromisoformat(value)
        return value
    moment = dt.datetime.fromisoformat(value)
    if timezone.is_naive(moment):  # local time, as the services write it
        moment = timezone.make_aware(moment)
    return moment.isoformat(timespec="seconds")


def csv_to_fhir_bundle(text: str) -> tuple[str | None, list[CsvProblem]]:
    """A FHIR transaction Bundle (as JSON) for the whole file, or every problem by line and column."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        return None, [CsvProblem(1, "", f"the header row has no {', '.join(missing)} column")]
    problems: list[CsvProblem] = []
    entries: list[dict[str, Any]] = []
    patients: dict[str, dict[str, Any]] = {}
    seen: dict[tuple[str, str, str], int] = {}
    for line, raw in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
        found = _row_problems(line, row)
        key = (row.get("record_type", ""), row.get("record_id", ""), row.get("version", ""))
        if key in seen:
            found.append(CsvProblem(line, "record_id", f"{key[1]} is also on line {seen[key]}"))
        seen.setdefault(key, line)
        if found:
            problems.extend(found)
            continue
        patient = _patient(row)
        patients.setdefault(patient["id"], patient)
        entries.append(_resource(row, patient["id"]))
    if problems:
        return None, problems
    resources = [*patients.values(), *entries]
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {"resource": r, "request": {"method": "PUT", "url": f"{r['resourceType']}/{r['id']}"}}
            for r in resources
        ],
    }
    return json.dumps(bundle), []


def _row_problems(line: int, row: dict[str, str]) -> list[CsvProblem]:
    problems = []
    kind = row.get("record_type")
    if kind not in {"appointment", "attendance"}:
        problems.append(CsvProblem(line, "record_type", f"{kind!r}: write appointment or attendance"))
    for column in REQUIRED:
        if not row.get(column):
            problems.append(CsvProblem(line, column, "is empty"))
    if row.get("at"):
        try:
            _at(row["at"])
        except ValueError:
            problems.append(
                CsvProblem(line, "at", f"{row['at']!r} is not a date like 2026-10-01 or 2026-10-01T09:30")
            )
    if row.get("nhs_number"):
        try:
            nhs_number_normalise(row["nhs_number"])
        except ValidationError as error:
            problems.append(CsvProblem(line, "nhs_number", error.messages[0]))
    elif not (row.get("family_name") and row.get("date_of_birth")):
        problems.append(
            CsvProblem(line, "nhs_number", "give the NHS number, or at least family_name and date_of_birth")
        )
    if row.get("date_of_birth"):
        try:
            dt.date.fromisoformat(row["date_of_birth"])
        except ValueError:
            problems.append(
                CsvProblem(line, "date_of_birth", f"{row['date_of_birth']!r} is not a date like 2019-03-27")
            )
    if row.get("postcode"):
        try:
            postcode_normalise(row["postcode"])
        except ValidationError as error:
            problems.append(CsvProblem(line, "postcode", error.messages[0]))
    if kind == "appointment" and row.get("outcome") not in OUTCOME_STATUS:
        problems.append(
            CsvProblem(line, "outcome", f"{row.get('outcome')!r}: write one of {', '.join(OUTCOME_STATUS)}")
        )
    if kind == "attendance":
        if row.get("setting") not in SETTING_CODES:
            problems.append(
                CsvProblem(
                    line, "setting", f"{row.get('setting')!r}: write one of {', '.join(SETTING_CODES)}"
                )
            )
        if row.get("reason") not in {*REASON_CODES, "other"}:
            problems.append(
                CsvProblem(
                    line, "reason", f"{row.get('reason')!r}: write injury, illness, ingestion or other"
                )
            )
    return problems


def _patient(row: dict[str, str]) -> dict[str, Any]:
    if row.get("nhs_number"):
        number = nhs_number_normalise(row["nhs_number"])
        identifier = {"system": NHS_NUMBER_SYSTEM, "value": number}
        fhir_id = f"nhs-{number}"
    else:
        who = "|".join(
            row.get(c, "").casefold() for c in ("given_name", "family_name", "date_of_birth", "postcode")
        )
        fhir_id = "csv-" + hashlib.sha256(who.encode()).hexdigest()[:16]
        identifier = {"system": "https://lantern.example/Id/csv-patient", "value": fhir_id}
    patient: dict[str, Any] = {"resourceType": "Patient", "id": fhir_id, "identifier": [identifier]}
    name: dict[str, Any] = {}
    if row.get("family_name"):
        name["family"] = row["family_name"]
    if row.get("given_name"):
        name["given"] = [row["given_name"]]
    if name:
        patient["name"] = [name]
    if row.get("date_of_birth"):
        patient["birthDate"] = row["date_of_birth"]
    if row.get("postcode"):
        patient["address"] = [{"postalCode": postcode_normalise(row["postcode"])}]
    return patient


def _resource(row: dict[str, str], patient_id: str) -> dict[str, Any]:
    meta = {"versionId": row["version"]} if row.get("version") else {}
    if row["record_type"] == "appointment":
        resource: dict[str, Any] = {
            "resourceType": "Appointment",
            "id": row["record_id"],
            "status": OUTCOME_STATUS[row["outcome"]],
            "start": _at(row["at"]),
            "participant": [{"actor": {"reference": f"Patient/{patient_id}"}, "status": "accepted"}],
        }
        if row.get("service"):
            resource["serviceType"] = [{"text": row["service"]}]
        if row.get("text"):
            resource["description"] = row["text"]
        if row["outcome"] == "cancelled-by-family":
            resource["cancelationReason"] = {"coding": [{"code": "pat"}]}
    else:
        reason: list[dict[str, Any]] = (
            [{"coding": [{"system": "http://snomed.info/sct", "code": REASON_CODES[row["reason"]]}]}]
            if row["reason"] in REASON_CODES
            else [{"text": "other"}]
        )
        resource = {
            "resourceType": "Encounter",
            "id": row["record_id"],
            "status": "finished",
            "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "EMER"},
            "serviceType": {
                "coding": [{"system": "http://snomed.info/sct", "code": SETTING_CODES[row["setting"]]}]
            },
            "subject": {"reference": f"Patient/{patient_id}"},
            "period": {"start": _at(row["at"])},
            "reasonCode": reason,
        }
    if meta:
        resource["meta"] = meta
    return resource
