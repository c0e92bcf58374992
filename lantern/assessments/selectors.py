"""Reading assessments: the template in use, a child's assessments, and the histories that trends,
charts and screening share (so that what a chart draws is what a rule reads)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import QuerySet

from lantern.assessments.definitions import DEFAULTS, Template, template_default, template_parse
from lantern.assessments.models import Assessment, AssessmentStatus, AssessmentTemplate
from lantern.people.models import HouseholdMember, Person

# Templates whose grades are for the home, not one child: the household's history is each child's.
HOME_TEMPLATES = frozenset({"home-conditions"})


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
    links = HouseholdMember.objects.filter(household__members__person_id__in=ids).values_list(
        "household__members__person_id", "person_id"
    )
    together: dict[int, set[int]] = {c: {c} for c in ids}
    for child_id, person_id in links:
        together[child_id].add(person_id)
    return together


def completed_assessments(child_ids: Iterable[int], *, as_of: dt.date) -> dict[int, list[Assessment]]:
    """Each child's completed assessments up to ``as_of``, oldest first, with their area grades: the child's
    own, and the home conditions assessments of the child's households (one per day: a visit that covered
    brothers and sisters recorded the same grades for each)."""
    ids = list(child_ids)
    together = household_members(ids)
    everyone = {p for people in together.values() for p in people}
    found = (
        Assessment.objects.filter(completed_on__lte=as_of)
        .exclude(status=AssessmentStatus.DRAFT)
        .filter(child_id__in=everyone)
        .prefetch_related("scores")
        .order_by("completed_on", "pk")
    )
    own: dict[int, list[Assessment]] = defaultdict(list)
    homes: dict[int, list[Assessment]] = defaultdict(list)
    for assessment in found:
        own[assessment.child_id].append(assessment)
        if assessment.template in HOME_TEMPLATES:
            homes[assessment.child_id].append(assessment)
    result: dict[int, list[Assessment]] = {}
    for child_id in ids:
        chosen = list(own.get(child_id, []))
        days = {(a.template, a.completed_on) for a in chosen if a.template in HOME_TEMPLATES}
        for person_id in sorted(together[child_id] - {child_id}):
            for assessment in homes.get(person_id, []):
                if (assessment.template, assessment.completed_on) not in days:
                    days.add((assessment.template, assessment.completed_on))
                    chosen.append(assessment)
        chosen.sort(key=lambda a: (a.completed_on, a.pk))
        result[child_id] = chosen
    return result
