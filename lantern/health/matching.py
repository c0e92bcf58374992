"""Finding the child a health system's Patient is: by NHS number, else by name, date of birth and
postcode with a confidence. Anything less than certain waits for a health administrator."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q

from lantern.health.fhir import PatientDetails
from lantern.health.models import FhirPatient
from lantern.people.identifiers import name_index
from lantern.people.models import HouseholdMember, Person

WEIGHTS = {
    "birth_date": Decimal("0.40"),
    "family_name": Decimal("0.25"),
    "given_name": Decimal("0.15"),
    "postcode": Decimal("0.20"),
}


def _confidence(details: PatientDetails, child: Person, postcodes: set[str]) -> Decimal:
    score = Decimal(0)
    if details.birth_date and child.date_of_birth == details.birth_date:
        score += WEIGHTS["birth_date"]
    if details.family_name and child.family_name_index == name_index(details.family_name):
        score += WEIGHTS["family_name"]
    given = name_index(details.given_name).split()
    if given and child.given_name_index.split()[:1] == given[:1]:
        score += WEIGHTS["given_name"]
    if details.postcode and details.postcode in postcodes:
        score += WEIGHTS["postcode"]
    return score


def patient_match(patient: FhirPatient, details: PatientDetails) -> None:
    """Set ``patient.child`` (and how it was matched), or leave it in the queue with the likeliest child."""
    if patient.match in {FhirPatient.Match.MANUAL, FhirPatient.Match.REJECTED}:
        return  # a person decided; a later message does not undo it
    if details.nhs_number:
        by_number = Person.objects.children().filter(nhs_number=details.nhs_number).first()
        if by_number is not None:
            patient.child, patient.match, patient.confidence = (
                by_number,
                FhirPatient.Match.NHS_NUMBER,
                Decimal(1),
            )
            patient.candidate = None
            return
    near = Q(pk__in=[])
    if details.birth_date:
        near |= Q(date_of_birth=details.birth_date)
    if details.family_name:
        near |= Q(family_name_index=name_index(details.family_name))
    query = Person.objects.children().filter(near)
    if details.nhs_number:  # a child recorded with another NHS number is another child
        query = query.filter(nhs_number__isnull=True)
    candidates = list(query.order_by("pk")[:50])
    postcodes: dict[int, set[str]] = {}
    for member in HouseholdMember.objects.filter(person__in=candidates).select_related("household__address"):
        postcodes.setdefault(member.person_id, set()).add(member.household.address.postcode)
    scored = sorted(
        ((_confidence(details, c, postcodes.get(c.pk, set())), c.pk, c) for c in candidates), reverse=True
    )
    patient.child = None
    patient.match = FhirPatient.Match.UNMATCHED
    patient.candidate, patient.confidence = (scored[0][2], scored[0][0]) if scored else (None, Decimal(0))
    certain = scored and scored[0][0] == 1 and (len(scored) == 1 or scored[1][0] < 1)
    if certain:
        patient.child, patient.match, patient.candidate = scored[0][2], FhirPatient.Match.DEMOGRAPHICS, None
