"""Writing assessments: templates loaded by an administrator; an assessment started at a visit (for one
child or several brothers and sisters), graded over several visits, completed, countersigned; targets.

Completing writes the area grades and a chronology entry and screens the children, in one transaction.
Anything refused raises AssessmentRefused naming what is wrong and where, and nothing is changed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lantern.agencies.models import Professional
from lantern.assessments.definitions import Template, TemplateInvalid, template_read
from lantern.assessments.models import (
    Assessment,
    AssessmentScore,
    AssessmentStatus,
    AssessmentTarget,
    AssessmentTemplate,
    ItemGrade,
)
from lantern.assessments.selectors import occasion_assessments, template_current, template_of
from lantern.casework.models import Plan
from lantern.chronology.models import Event, EventType, Significance
from lantern.core.concurrency import versioned_update
from lantern.people.models import Person
from lantern.screening.engine import alerts_sync

LANTERN_SOURCE = "lantern"


class AssessmentRefused(Exception):
    """What is wrong, by the field or item it is about (``""`` for the whole assessment)."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{k}: {v}" if k else v for k, v in problems.items()))


@dataclass(frozen=True)
class GradeGiven:
    grade: int
    evidence: str = ""


@dataclass(frozen=True)
class TargetSet:
    area: str
    target: int
    due_on: dt.date
    plan: Plan | None = None


# -- templates ---------------------------------------------------------------------------------------


def template_load(*, path: Path, loaded_by: str = "") -> tuple[Template, bool]:
    """Load a template file; returns it and whether anything changed (the same file twice changes nothing)."""
    return template_store(template=template_read(path), name=str(path), loaded_by=loaded_by)


def template_is_new(*, template: Template, name: str) -> bool:
    """Whether the template would change anything: False for the version in use, loaded again.

    Refused (TemplateInvalid): a version not newer than the one in use; a new version without every area
    of the one before it.
    """
    current = template_current(template.id)
    if current is None:
        return True
    if current.version == template.version and current.source == template.source:
        return False
    if template.version <= current.version:
        raise TemplateInvalid(
            [f"$.version: {template.id} is at version {current.version}: a new file needs a higher version"],
            name=name,
        )
    kept = {a.id for a in template.areas}
    missing = [a for a in current.areas if a.id not in kept]
    if missing:
        raise TemplateInvalid(
            [
                f"$.areas: area {a.id!r} ({a.title}) of version {current.version} is missing: keep every "
                "area, so that scores stay comparable over time"
                for a in missing
            ],
            name=name,
        )
    return True


@transaction.atomic
def template_store(*, template: Template, name: str, loaded_by: str = "") -> tuple[Template, bool]:
    """Keep a checked template as the newest version of its id (see ``template_is_new``)."""
    if not template_is_new(template=template, name=name):
        return template, False
    AssessmentTemplate.objects.create(
        template=template.id, version=template.version, definition=template.source, loaded_by=loaded_by
    )
    return template, True


# -- who may ------------------------------------------------------------------------------------------


def may_complete(template: Template, professional: Professional) -> bool:
    """The template's own rule of who completes it (on top of the need-to-know rule for the child)."""
    return not template.professions or professional.profession in template.professions


def who_may_complete(template: Template) -> str:
    if not template.professions:
        return "Anyone involved with the child"
    names = sorted(p.replace("-", " ") for p in template.professions)
    return "Only a " + ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else f"Only a {names[0]}"


# -- starting, grading, completing ------------------------------------------------------------------------


@transaction.atomic
def assessment_start(
    *,
    template: Template,
    children: list[Person],
    assessor: Professional,
    started_on: dt.date,
    rated_for: Person | None = None,
    assessor_licensed: bool | None = None,
) -> list[Assessment]:
    """Drafts for the children (brothers and sisters at one visit share an occasion)."""
    problems: dict[str, str] = {}
    if not children:
        problems["children"] = "Select the children the assessment is for"
    if not may_complete(template, assessor):
        problems[""] = f"{who_may_complete(template)} may complete a {template.title.lower()} assessment"
    if template.licence and not assessor_licensed:
        problems["assessor_licensed"] = f"Confirm that you hold the licence: {template.licence}"
    if not template.per_child and len(children) > 1 and rated_for not in children:
        problems["rated_for"] = "Select the child the home conditions affect most"
    if started_on > timezone.localdate():
        problems["started_on"] = "The date must be today or in the past"
    if problems:
        raise AssessmentRefused(problems)
    occasion = uuid.uuid4().hex if len(children) > 1 else ""
    drafts = []
    for child in children:
        assessment = Assessment(
            source=LANTERN_SOURCE,
            source_id=uuid.uuid4().hex[:16],
            child=child,
            agency=assessor.agency,
            template=template.id,
            template_version=template.version,
            status=AssessmentStatus.DRAFT,
            started_on=started_on,
            assessor=assessor,
            assessor_licensed=assessor_licensed if template.licence else None,
            occasion=occasion,
            rated_for=(rated_for or child) if not template.per_child else None,
        )
        assessment.full_clean()
        assessment.save()
        drafts.append(assessment)
    return drafts


def _template(assessment: Assessment) -> Template:
    template = template_of(assessment)
    if template is None:
        raise AssessmentRefused({"": f"The template {assessment.template!r} is not loaded"})
    return template


def grades_problems(template: Template, grades: dict[str, GradeGiven]) -> dict[str, str]:
    known = {item.id for item in template.items}
    problems = {}
    for item_id, given in grades.items():
        if item_id not in known:
            problems[item_id] = f"{template.title} has no item {item_id!r}"
        elif not template.in_scale(given.grade):
            problems[item_id] = f"Grade {given.grade} is outside the scale {template.scale_text}"
    return problems


@transaction.atomic
def grades_record(
    *,
    assessment: Assessment,
    grades: dict[str, GradeGiven],
    recorded_by: Professional,
    version: int | None = None,
) -> None:
    """Save grades on a draft (any visit may add or change some). One set of grades for the home is
    recorded for every child of the occasion; otherwise for this child only.

    ``version``: the assessment's when the grading page was opened; if anyone saved grades (or completed
    it) since, ``EditConflict`` and nothing is saved (one conditional UPDATE, ADR 14)."""
    template = _template(assessment)
    if assessment.status != AssessmentStatus.DRAFT:
        raise AssessmentRefused({"": "The assessment is completed: its grades can no longer change"})
    problems = grades_problems(template, grades)
    if problems:
        raise AssessmentRefused(problems)
    versioned_update(assessment, version=assessment.version if version is None else version, clean=False)
    targets = [assessment] if template.per_child else occasion_assessments(assessment)
    # Grades for the home are the occasion's: someone grading through a brother's or sister's page
    # opened before this save gets a conflict too.
    Assessment.objects.filter(pk__in=[t.pk for t in targets if t.pk != assessment.pk]).update(
        version=F("version") + 1
    )
    now = timezone.now()
    for each in targets:
        for item_id, given in grades.items():
            ItemGrade.objects.update_or_create(
                assessment=each,
                item=item_id,
                defaults={
                    "grade": given.grade,
                    "evidence": given.evidence.replace("\r\n", "\n"),
                    "recorded_by": recorded_by,
                    "recorded_at": now,
                },
            )


def area_grades(template: Template, grades: dict[str, int]) -> dict[str, int]:
    """Each area's grade: the worst grade of its items (a serious concern is never averaged away).
    An area whose items are all optional and ungraded has none."""
    result = {}
    for area in template.areas:
        given = [grades[item.id] for item in area.items if item.id in grades]
        if given:
            result[area.id] = max(given)
    return result


def missing_grades(template: Template, grades: dict[str, int]) -> list[str]:
    return [item.id for item in template.items if not item.optional and item.id not in grades]


@transaction.atomic
def assessment_complete(
    *,
    assessment: Assessment,
    completed_by: Professional,
    completed_on: dt.date,
    level_of_concern: str = "",
    actions: str = "",
) -> list[Assessment]:
    """Complete the assessment (and its brothers' and sisters' of the same occasion): every required item
    graded, the area grades written, a chronology entry for each child, and each child screened."""
    template = _template(assessment)
    together = occasion_assessments(assessment)
    problems: dict[str, str] = {}
    if any(a.status != AssessmentStatus.DRAFT for a in together):
        problems[""] = "The assessment is already completed"
    if completed_on > timezone.localdate():
        problems["completed_on"] = "The date must be today or in the past"
    elif assessment.started_on and completed_on < assessment.started_on:
        problems["completed_on"] = "The date must be on or after the day the assessment started"
    levels = {level.id for level in template.levels_of_concern}
    if levels and level_of_concern not in levels:
        problems["level_of_concern"] = "Select the overall level of concern"
    grades_by: dict[int, dict[str, int]] = {a.pk: {} for a in together}
    for grade in ItemGrade.objects.filter(assessment__in=together):
        grades_by[grade.assessment_id][grade.item] = grade.grade
    titles = {item.id: item.title for item in template.items}
    for each in together:
        for item_id in missing_grades(template, grades_by[each.pk]):
            whose = f" for {each.child.display_name}" if len(together) > 1 and template.per_child else ""
            problems.setdefault(item_id, f"Grade “{titles[item_id]}”{whose}: it is required")
    if problems:
        raise AssessmentRefused(problems)
    now = timezone.now()
    for each in together:
        grades = area_grades(template, grades_by[each.pk])
        AssessmentScore.objects.bulk_create(
            [AssessmentScore(assessment=each, area=area, score=score) for area, score in grades.items()]
        )
        each.status = AssessmentStatus.COMPLETED
        each.completed_on = completed_on
        each.level_of_concern = level_of_concern
        each.actions = actions.replace("\r\n", "\n")
        each.full_clean()
        each.version = F("version") + 1  # grades opened before the completion are refused (grades_record)
        each.save()
        overall = sum(grades.values()) / len(grades)
        Event.objects.create(
            source=LANTERN_SOURCE,
            source_id=f"assessment-{each.source_id}",
            child=each.child,
            agency=each.agency,
            type=EventType.ASSESSMENT,
            occurred_on=completed_on,
            recorded_at=now,
            recorded_by=completed_by,
            significance=Significance.SIGNIFICANT,
            text=f"{template.title} assessment: overall {overall:.2f}",
            assessment=each,
        )
    alerts_sync([a.child_id for a in together])
    return together


@transaction.atomic
def assessment_countersign(*, assessment: Assessment, manager: Professional, on: dt.date) -> list[Assessment]:
    template = _template(assessment)
    together = occasion_assessments(assessment)
    if not template.countersign:
        raise AssessmentRefused({"": f"A {template.title.lower()} assessment is not countersigned"})
    if any(a.status != AssessmentStatus.COMPLETED for a in together):
        raise AssessmentRefused(
            {"": "Only a completed assessment, not yet countersigned, can be countersigned"}
        )
    if manager.pk == assessment.assessor_id:
        raise AssessmentRefused({"": "A manager other than the assessor countersigns"})
    for each in together:
        each.status = AssessmentStatus.COUNTERSIGNED
        each.countersigned_by = manager
        each.countersigned_on = on
        each.full_clean()
        each.save()
    return together


@transaction.atomic
def targets_record(*, assessment: Assessment, targets: list[TargetSet]) -> None:
    """Targets for the areas of concern: a better grade than now, a date, and the child's plan."""
    template = _template(assessment)
    grades = {s.area: s.score for s in assessment.scores.all()}
    problems: dict[str, str] = {}
    for target in targets:
        current = grades.get(target.area)
        if target.area not in {a.id for a in template.areas}:
            problems[target.area] = f"{template.title} has no area {target.area!r}"
        elif not template.in_scale(target.target):
            problems[target.area] = f"Grade {target.target} is outside the scale {template.scale_text}"
        elif current is not None and target.target >= current:
            problems[target.area] = f"The target must be a better grade than now ({current})"
        elif assessment.completed_on and target.due_on <= assessment.completed_on:
            problems[target.area] = "The date must be after the assessment"
        elif target.plan is not None and not target.plan.children.filter(pk=assessment.child_id).exists():
            problems[target.area] = "The plan must be one of the child's plans"
    if problems:
        raise AssessmentRefused(problems)
    for target in targets:
        AssessmentTarget.objects.update_or_create(
            assessment=assessment,
            area=target.area,
            defaults={"target": target.target, "due_on": target.due_on, "plan": target.plan},
        )
