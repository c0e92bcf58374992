"""The API's assessments: read a child's assessments (grades, evidence, targets), and record one — as a
draft to finish in Lantern, or completed. The same services, access rules and log as the web; a refusal
names what is wrong (an item, a grade off the scale, a missing grade) and saves nothing."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field, StringConstraints

from lantern.api.access import audited, child_opened_for_api
from lantern.api.schemas import REF, REFUSALS, SLUG, TEXT, IsoDate
from lantern.assessments.models import Assessment
from lantern.assessments.selectors import child_assessments, template_current
from lantern.assessments.services import (
    AssessmentRefused,
    GradeGiven,
    assessment_complete,
    assessment_start,
    grades_record,
)
from lantern.core.models import AccessLogEntry
from lantern.web.access import viewer_of

router = Router(tags=["assessments"])


class GradeIO(Schema):
    grade: int = Field(ge=0, le=9)
    evidence: str = Field("", max_length=20000, pattern=TEXT)


class TargetOut(Schema):
    area: str
    target: int
    due_on: dt.date
    plan: str | None = Field(description="The plan's reference")


class AssessmentOut(Schema):
    id: str = Field(description="The assessment's reference, <source>:<id>")
    child: str
    template: str
    template_version: int
    status: str = Field(description="draft, completed or countersigned")
    started_on: dt.date | None
    completed_on: dt.date | None
    overall: float | None = Field(description="Mean of the area grades; the lowest grade is the best")
    scores: dict[str, int] = Field(description="Each area's grade (the worst grade of its items)")
    items: dict[str, GradeIO]
    level_of_concern: str
    actions: str
    assessor: str | None
    countersigned_by: str | None
    countersigned_on: dt.date | None
    occasion: str = Field(description="Shared by brothers' and sisters' assessments made at the same visits")
    targets: list[TargetOut]


class AssessmentsOut(Schema):
    child: str
    assessments: list[AssessmentOut]


class AssessmentIn(Schema):
    template: str = Field(description="e.g. graded-care, home-conditions", pattern=SLUG)
    started_on: IsoDate
    completed_on: IsoDate | None = Field(None, description="Given: complete it now (every required grade)")
    grades: dict[Annotated[str, StringConstraints(pattern=SLUG)], GradeIO] = Field(
        default_factory=dict, description="By item id"
    )
    level_of_concern: str = Field("", pattern=r"^[a-z0-9-]{0,64}$")
    actions: str = Field("", max_length=20000, pattern=TEXT)
    assessor_licensed: bool | None = None


def _out(a: Assessment) -> AssessmentOut:
    overall = a.overall
    return AssessmentOut(
        id=a.ref,
        child=a.child.ref,
        template=a.template,
        template_version=a.template_version,
        status=a.status,
        started_on=a.started_on,
        completed_on=a.completed_on,
        overall=float(overall) if overall is not None else None,
        scores={s.area: s.score for s in a.scores.all()},
        items={g.item: GradeIO(grade=g.grade, evidence=g.evidence) for g in a.item_grades.all()},
        level_of_concern=a.level_of_concern,
        actions=a.actions,
        assessor=a.assessor.ref if a.assessor else None,
        countersigned_by=a.countersigned_by.ref if a.countersigned_by else None,
        countersigned_on=a.countersigned_on,
        occasion=a.occasion,
        targets=[
            TargetOut(area=t.area, target=t.target, due_on=t.due_on, plan=t.plan.ref if t.plan else None)
            for t in a.targets.all()
        ],
    )


@router.get(
    "/children/{ref}/assessments",
    response={200: AssessmentsOut, **REFUSALS},
    summary="A child's assessments, drafts first, then newest first",
)
@audited
def assessments_read(request: HttpRequest, ref: str = Path(..., pattern=REF)) -> AssessmentsOut:
    child = child_opened_for_api(
        request, ref, page="api-assessments", perm="people.view_child", action=AccessLogEntry.Action.VIEW
    )
    found = (
        child_assessments(child=child)
        .select_related("child")
        .prefetch_related("item_grades", "targets__plan")
    )
    return AssessmentsOut(child=child.ref, assessments=[_out(a) for a in found])


@router.post(
    "/children/{ref}/assessments",
    response={201: AssessmentOut, **REFUSALS},
    summary="Record an assessment: a draft, or completed when completed_on is given",
)
@audited
def assessment_create(request: HttpRequest, body: AssessmentIn, ref: str = Path(..., pattern=REF)) -> Status:
    child = child_opened_for_api(
        request, ref, page="api-assessment", perm="assessments.record", action=AccessLogEntry.Action.RECORD
    )
    template = template_current(body.template)
    if template is None:
        raise HttpError(422, f"template: no template {body.template!r} is loaded")
    viewer = viewer_of(request)
    try:
        with transaction.atomic():
            (draft,) = assessment_start(
                template=template,
                children=[child],
                assessor=viewer,
                started_on=body.started_on,
                assessor_licensed=body.assessor_licensed,
            )
            grades = {item: GradeGiven(g.grade, g.evidence) for item, g in body.grades.items()}
            grades_record(assessment=draft, grades=grades, recorded_by=viewer)
            if body.completed_on is not None:
                if body.completed_on > timezone.localdate():
                    raise AssessmentRefused({"completed_on": "must be today or in the past"})
                assessment_complete(
                    assessment=draft,
                    completed_by=viewer,
                    completed_on=body.completed_on,
                    level_of_concern=body.level_of_concern,
                    actions=body.actions,
                )
    except AssessmentRefused as refused:
        raise HttpError(
            422, "; ".join(f"{k}: {v}" if k else v for k, v in refused.problems.items())
        ) from None
    found = (
        child_assessments(child=child)
        .select_related("child")
        .prefetch_related("item_grades", "targets__plan")
    )
    return Status(201, _out(found.get(pk=draft.pk)))
