"""Reading assessments: the template in use, a child's assessments, and the histories that trends,
charts and screening share (so that what a chart draws is what a rule reads)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import QuerySet

from lantern.assessments.definitions import (
    DEFAULTS,
    HOME_TEMPLATES,
    Template,
    template_default,
    template_parse,
)
from lantern.assessments.models import Assessment, AssessmentStatus, AssessmentTemplate
from lantern.people.models import HouseholdMember, Person


def template_current(template_id: str) -> Template | None:
    """The newest version of a template: the last one loaded, else Lantern's default (None: no such)."""
    loaded = AssessmentTemplate.objects.filter(template=template_id).order_by("-version").first()
    if loaded is not None:
        return template_parse(loaded.definition, name=f"{template_id} version {loaded.version}")
    return template_default(template_id) if template_id in DEFAULTS else None


def template_of(assessment: Assessment) -> Template | None:
    """The version of the template the assessment was made with (else the newest)."""
    loaded = AssessmentTemplate.objects.filter(
        template=assessment.template, version=assessment.template_version
    ).first()
    if loaded is not None:
        return template_parse(loaded.definition, name=f"{loaded.template} version {loaded.version}")
    default = template_default(assessment.template) if assessment.template in DEFAULTS else None
    if default is not None and default.version == assessment.template_version:
        return default
    return template_current(assessment.template)


def templates_in_use() -> list[Template]:
    ids = sorted(set(DEFAULTS) | set(AssessmentTemplate.objects.values_list("template", flat=True)))
    return [t for t in (template_current(i) for i in ids) if t is not None]


def child_assessments(*, child: Person) -> QuerySet[Assessment]:
    """The child's assessments, drafts first, then newest first."""
    return (
        Assessment.objects.filter(child=child)
        .select_related("agency", "assessor", "countersigned_by")
        .prefetch_related("scores")
        .order_by("-status", "-completed_on", "-pk")
    )


def occasion_assessments(assessment: Assessment) -> list[Assessment]:
    """The assessment and those of the brothers and sisters made at the same visits, in child order."""
    if not assessment.occasion:
        return [assessment]
    return list(
        Assessment.objects.filter(occasion=assessment.occasion)
        .select_related("child")
        .order_by("child__date_of_birth", "child__pk")
    )


def household_members(child_ids: Iterable[int]) -> dict[int, set[int]]:
    """For each child, the people in any household the child lives in (the child included)."""
    ids = list(child_ids)
    homes_of: dict[int, set[int]] = defaultdict(set)
    for person_id, household_id in HouseholdMember.objects.filter(person_id__among=ids).values_list(
        "person_id", "household_id"
    ):
        homes_of[person_id].add(household_id)
    living: dict[int, set[int]] = defaultdict(set)
    households = {h for homes in homes_of.values() for h in homes}
    for household_id, person_id in HouseholdMember.objects.filter(household_id__among=households).values_list(
        "household_id", "person_id"
    ):
        living[household_id].add(person_id)
    return {c: {c}.union(*(living[h] for h in homes_of[c])) for c in ids}


def _completed(
    people: Iterable[int], as_of: dt.date, templates: frozenset[str] | None = None
) -> QuerySet[Assessment]:
    found = Assessment.objects.filter(child_id__among=list(people), completed_on__lte=as_of)
    if templates is not None:
        found = found.filter(template__in=templates)
    return (
        found.exclude(status=AssessmentStatus.DRAFT).prefetch_related("scores").order_by("completed_on", "pk")
    )


def completed_assessments(child_ids: Iterable[int], *, as_of: dt.date) -> dict[int, list[Assessment]]:
    """Each child's own completed assessments up to ``as_of``, oldest first, with their area grades."""
    own: dict[int, list[Assessment]] = defaultdict(list)
    for assessment in _completed(child_ids, as_of):
        own[assessment.child_id].append(assessment)
    return own


def household_home_conditions(
    child_ids: Iterable[int], *, as_of: dt.date, together: dict[int, set[int]] | None = None
) -> dict[int, list[Assessment]]:
    """Each child's home's history: the home conditions assessments of anyone in the child's households up
    to ``as_of``, oldest first, one a day (a visit that covered brothers and sisters recorded the same
    grades for each; the child's own is kept). ``together``: ``household_members`` of the children, if
    already read."""
    ids = list(child_ids)
    together = household_members(ids) if together is None else together
    by_person: dict[int, list[Assessment]] = defaultdict(list)
    for assessment in _completed({p for people in together.values() for p in people}, as_of, HOME_TEMPLATES):
        by_person[assessment.child_id].append(assessment)
    result: dict[int, list[Assessment]] = {}
    for child_id in ids:
        chosen = list(by_person.get(child_id, []))
        days = {(a.template, a.completed_on) for a in chosen}
        for person_id in sorted(together[child_id] - {child_id}):
            for assessment in by_person.get(person_id, []):
                if (assessment.template, assessment.completed_on) not in days:
                    days.add((assessment.template, assessment.completed_on))
                    chosen.append(assessment)
        chosen.sort(key=lambda a: (a.completed_on, a.pk))
        result[child_id] = chosen
    return result
