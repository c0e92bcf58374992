"""Everything held about a person, for a subject access request, found through the models themselves.

Every field that points at a person (``people.Person``) in any installed model is either exported
(``COVERED``) or left out with a reason (``EXCLUDED``); a test fails when a new one is neither, so a new
kind of record cannot be silently missed. Records that belong to an exported record (an event's tags, a
plan's actions) come with it (``PARTS``), and a test holds them to the same rule.

Nothing about other people is removed: it is flagged for the data protection officer's redaction review
(UK GDPR article 15(4); DPA 2018 Schedule 2, paragraph 16, on information about other individuals):
another person named by a link, a professional of another agency, and free text that mentions someone
else known around the person.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils import timezone

from lantern.agencies.models import Professional
from lantern.people.models import HouseholdMember, Person
from lantern.retention.models import SubjectAccessRequest

# "<app>.<Model>.<field>" → the section of the export it is in.
COVERED: dict[str, str] = {
    "people.Relationship.from_person": "Relationships",
    "people.Relationship.to_person": "Relationships",
    "people.RiskFactor.person": "Circumstances recorded (risk factors)",
    "people.HouseholdMember.person": "Households",
    "agencies.Involvement.child": "Agencies and professionals involved",
    "chronology.Event.child": "Chronology",
    "assessments.Assessment.child": "Assessments",
    "assessments.Assessment.rated_for": "Home conditions assessments rated for this child",
    "cases.CaseEpisode.child": "Case episodes",
    "cases.Escalation.child": "Escalations and professional challenges",
    "cases.LevelOfNeed.child": "Levels of need",
    "casework.MeetingAction.owner": "Meeting actions this person owns",
    "core.EmergencyAccess.child": "Emergency (break-glass) access to the record",
    "sharing.SharingRecord.child": "Information sharing records",
    "casework.Plan.children": "Plans",
    "casework.PlanAction.owner": "Plan actions this person owns",
    "casework.Meeting.child": "Meetings",
    "screening.Alert.child": "Alerts",
    "health.FhirPatient.child": "Health systems' records of the patient",
    "health.Notification.child": "Notifications sent to professionals",
    "core.AccessLogEntry.child": "Who has viewed or changed the record",
    "retention.LegalHold.person": "Legal holds",
    "retention.LookedAfterChild.child": "Looked after (for retention)",
    "retention.SubjectAccessRequest.person": "Subject access requests",
}
EXCLUDED: dict[str, str] = {
    "health.FhirPatient.candidate": (
        "an unconfirmed match: a health system's patient who may be this person, until a health "
        "administrator decides; if confirmed, it is exported under the patient's records"
    ),
}
# Records that belong to an exported record, by the name of the relation on it.
PARTS: dict[str, list[str]] = {
    "chronology.Event": ["tags"],
    "assessments.Assessment": ["scores", "item_grades", "targets"],
    "cases.CaseEpisode": ["steps", "reviews"],
    "cases.Escalation": ["steps"],
    "casework.Plan": ["outcomes", "actions", "agreements", "reviews"],
    "casework.Meeting": ["actions"],
    "screening.Alert": ["history"],
    "health.FhirPatient": ["resources"],
}
EXCLUDED_PARTS: dict[str, str] = {
    "health.FhirResource.event": "the same resources are exported under the patient they are for",
    "assessments.AssessmentTarget.plan": "exported under the assessment the target belongs to",
    "cases.CaseStep.allocation": "exported under the case episode the step belongs to",
    "cases.CaseStep.event": "exported under the case episode the step belongs to",
}

FREE_TEXT_REVIEW = "free text: read it for anyone else it names before release"


def person_links() -> list[str]:
    """Every field, in every installed model, that points at a person."""
    found = []
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if f.concrete and f.is_relation and f.related_model is Person:
                found.append(f"{model._meta.label}.{f.name}")
    return sorted(found)


def parts_links() -> list[tuple[str, str, str]]:
    """Every field that points at a kind of exported record from a kind that is not exported itself:
    ("<app>.<Model>.<field>", the exported kind, the name of the relation on it)."""
    exported = {label.rsplit(".", 1)[0] for label in COVERED}
    found = []
    for model in apps.get_models():
        if model._meta.label in exported:
            continue  # exported through its own link to the person
        for f in model._meta.get_fields():
            target = f.related_model if f.concrete and f.many_to_one else None
            if target is not None and target._meta.label in exported:  # type: ignore[union-attr]
                found.append(
                    (f"{model._meta.label}.{f.name}", target._meta.label, f.remote_field.related_name or "")  # type: ignore[union-attr]
                )
    return sorted(found)


@dataclass
class Row:
    what: str
    fields: dict[str, Any]
    third_party: list[str] = field(default_factory=list)
    parts: dict[str, list[Row]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "record": self.what,
            "fields": self.fields,
            "third_party": self.third_party,
            "parts": {name: [row.as_json() for row in rows] for name, rows in self.parts.items()},
        }

    @property
    def flagged(self) -> int:
        return bool(self.third_party) + sum(row.flagged for rows in self.parts.values() for row in rows)


@dataclass
class Section:
    title: str
    links: list[str]
    rows: list[Row]


@dataclass
class SubjectAccessExport:
    request: SubjectAccessRequest
    subject: Person
    prepared_by: Professional
    prepared_at: dt.datetime
    sections: list[Section]
    excluded: dict[str, str]

    @property
    def flagged(self) -> int:
        return sum(row.flagged for section in self.sections for row in section.rows)

    @property
    def records(self) -> int:
        return sum(len(section.rows) for section in self.sections)

    def as_json(self) -> dict[str, Any]:
        return {
            "subject": {"reference": self.subject.ref, "name": self.subject.display_name},
            "request": {
                "requester": self.request.requester_name,
                "on_behalf": self.request.get_requester_display(),
                "received_on": self.request.received_on.isoformat(),
                "due_on": self.request.due_on.isoformat() if self.request.due_on else None,
            },
            "prepared_by": str(self.prepared_by),
            "prepared_at": self.prepared_at.isoformat(),
            "notice": "Flagged items name, or may name, other people: review them before release.",
            "records": self.records,
            "flagged_for_redaction_review": self.flagged,
            "sections": [
                {"title": s.title, "links": s.links, "records": [row.as_json() for row in s.rows]}
                for s in self.sections
            ],
            "left_out": self.excluded,
        }


class _Flagger:
    """Says which values name someone other than the subject."""

    def __init__(self, subject: Person, viewer: Professional) -> None:
        self.subject = subject
        self.viewer = viewer
        others = Person.objects.filter(
            Q(relationships_from__to_person=subject)
            | Q(relationships_to__from_person=subject)
            | Q(household_memberships__household__members__person=subject)
            | Q(plans__children=subject)
        ).exclude(pk=subject.pk)
        names: set[str] = set()
        for other in others.distinct():
            for name in (f"{other.given_name} {other.family_name}".strip(), other.given_name):
                if len(name) > 1 and name != subject.given_name:
                    names.add(name)
        self.names = names
        self._pattern: re.Pattern[str] | None = None

    def person(self, person: Person) -> str | None:
        if person.pk == self.subject.pk:
            return None
        return f"names another person: {person.display_name}"

    def professional(self, professional: Professional) -> str | None:
        if professional.agency_id is not None and professional.agency_id == self.viewer.agency_id:
            return None
        agency = professional.agency.name if professional.agency else "no agency"
        return f"names a professional of another agency: {professional.name} ({agency})"

    def text(self, name: str, value: str) -> str:
        if self.names:
            if self._pattern is None:
                alternatives = "|".join(re.escape(n) for n in sorted(self.names, key=len, reverse=True))
                self._pattern = re.compile(rf"\b({alternatives})\b")
            mentioned = sorted(set(self._pattern.findall(value)))
            if mentioned:
                return f"{name} mentions {', '.join(mentioned)}"
        return f"{name}: {FREE_TEXT_REVIEW}"


def _value(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(obj: models.Model, flagger: _Flagger) -> Row:
    row = Row(what=f"{obj._meta.label} {obj.pk}", fields={})
    for f in obj._meta.concrete_fields:
        if f.primary_key or f.name in {"given_name_index", "family_name_index"}:
            continue
        if f.is_relation:
            related = getattr(obj, f.name)
            if related is None:
                row.fields[f.name] = None
                continue
            if isinstance(related, Person):
                flag = flagger.person(related)
                row.fields[f.name] = "the person" if flag is None else related.display_name
            elif isinstance(related, Professional):
                flag = flagger.professional(related)
                row.fields[f.name] = f"{related.name} ({related.agency or 'no agency'})"
            else:
                flag = None
                row.fields[f.name] = str(related)
            if flag:
                row.third_party.append(f"{f.name} {flag}")
            continue
        value = getattr(obj, f.name)
        row.fields[f.name] = _value(value)
        if isinstance(f, models.TextField) and value:
            row.third_party.append(flagger.text(f.name, value))
    for m2m in obj._meta.many_to_many:
        related_objects = list(getattr(obj, m2m.name).all())
        row.fields[m2m.name] = [str(r) for r in related_objects]
        for related in related_objects:
            flag = flagger.person(related) if isinstance(related, Person) else None
            if flag:
                row.third_party.append(f"{m2m.name} {flag}")
    for accessor in PARTS.get(obj._meta.label, []):
        row.parts[accessor] = [_row(part, flagger) for part in getattr(obj, accessor).all().order_by("pk")]
    return row


def subject_access_export(*, request: SubjectAccessRequest, prepared_by: Professional) -> SubjectAccessExport:
    subject = request.person
    flagger = _Flagger(subject, prepared_by)
    by_section: dict[str, list[str]] = {}
    for label, section in COVERED.items():
        by_section.setdefault(section, []).append(label)
    sections = []
    for title, labels in by_section.items():
        rows: list[Row] = []
        seen: set[int] = set()
        for label in labels:
            model_label, field_name = label.rsplit(".", 1)
            model = apps.get_model(model_label)
            for obj in model._default_manager.filter(**{field_name: subject}).order_by("pk"):
                if obj.pk not in seen:
                    seen.add(obj.pk)
                    rows.append(_row(obj, flagger))
        if "people.HouseholdMember.person" in labels:
            rows.extend(_household_others(subject, flagger))
        sections.append(Section(title=title, links=labels, rows=rows))
    person_row = _row(subject, flagger)
    sections.insert(0, Section(title="The person", links=["people.Person"], rows=[person_row]))
    return SubjectAccessExport(
        request=request,
        subject=subject,
        prepared_by=prepared_by,
        prepared_at=timezone.now(),
        sections=sections,
        excluded=EXCLUDED,
    )


def _household_others(subject: Person, flagger: _Flagger) -> list[Row]:
    """The other people recorded at the person's households: named, and flagged."""
    others = HouseholdMember.objects.filter(household__members__person=subject).exclude(person=subject)
    return [_row(member, flagger) for member in others.select_related("person", "household").order_by("pk")]
