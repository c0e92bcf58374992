"""The assessment pages: a child's assessments and their trends; starting, grading an area at each visit,
completing, countersigning, and the targets for the areas of concern. Every page is access-checked and
logged (lantern/web/access.py); every change screens the child in its transaction (services.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lantern.assessments.chart import assessment_profile, assessment_trend
from lantern.assessments.definitions import Area, Template
from lantern.assessments.forms import AreaGradesForm, CompleteForm, StartForm, TargetsForm
from lantern.assessments.models import Assessment, AssessmentStatus, ItemGrade
from lantern.assessments.selectors import (
    child_assessments,
    occasion_assessments,
    template_current,
    template_of,
    templates_in_use,
)
from lantern.assessments.services import (
    AssessmentRefused,
    GradeGiven,
    TargetSet,
    area_grades,
    assessment_complete,
    assessment_countersign,
    assessment_start,
    grades_record,
    may_complete,
    targets_record,
    who_may_complete,
)
from lantern.casework.models import Plan
from lantern.chronology.selectors import siblings_visible
from lantern.core.audit import access_log_record
from lantern.core.concurrency import EditConflict
from lantern.core.models import AccessLogEntry
from lantern.people.models import Person
from lantern.web.access import child_opened, viewer_of

RECORD = AccessLogEntry.Action.RECORD
VIEW = AccessLogEntry.Action.VIEW


def _opened(
    request: HttpRequest, ref: str, page: str, perm: str = "people.view_child"
) -> Person | HttpResponse:
    return child_opened(
        request, ref, page=page, perm=perm, action=RECORD if request.method == "POST" else VIEW
    )


def _assessment(child: Person, assessment_ref: str) -> tuple[Assessment, Template]:
    source, _, source_id = assessment_ref.partition(":")
    assessment = (
        Assessment.objects.filter(child=child, source=source, source_id=source_id)
        .select_related("child", "agency", "assessor", "countersigned_by", "rated_for")
        .first()
    )
    if assessment is None:
        raise Http404("The child has no assessment with that reference")
    template = template_of(assessment)
    if template is None:
        raise Http404("The assessment's template is not loaded")
    return assessment, template


def _refusal_to_form(form: forms.Form, refused: AssessmentRefused) -> None:
    for field, message in refused.problems.items():
        form.add_error(field if field in form.fields else None, message)


@require_GET
@transaction.atomic
def assessments(request: HttpRequest, ref: str) -> HttpResponse:
    """The child's assessments, and each template's scores over time."""
    child = _opened(request, ref, "assessments")
    if isinstance(child, HttpResponse):
        return child
    viewer = viewer_of(request)
    found = list(child_assessments(child=child))
    templates = templates_in_use()
    used = {a.template for a in found}
    trends = [assessment_trend(child=child, template=t) for t in templates if t.id in used]
    can_record = viewer.has_perm("assessments.record", child)
    return render(
        request,
        "assessments/assessments.html",
        {
            "child": child,
            "assessments": found,
            "titles": {t.id: t.title for t in templates},
            "trends": [t for t in trends if t.points],
            "startable": [t for t in templates if can_record and may_complete(t, viewer)],
            "not_startable": [
                (t, who_may_complete(t)) for t in templates if can_record and not may_complete(t, viewer)
            ],
        },
    )


@require_http_methods(["GET", "POST"])
@transaction.atomic
def assessment_new(request: HttpRequest, ref: str, template_id: str) -> HttpResponse:
    child = _opened(request, ref, "assessment-start", perm="assessments.record")
    if isinstance(child, HttpResponse):
        return child
    template = template_current(template_id)
    if template is None:
        raise Http404("No such template")
    viewer = viewer_of(request)
    siblings = [
        s for s in siblings_visible(child=child, viewer=viewer) if viewer.has_perm("assessments.record", s)
    ]
    form = StartForm(request.POST or None, template=template, child=child, siblings=siblings)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            children = form.children()
            for sibling in children[1:]:
                access_log_record(request=request, page="assessment-start", action=RECORD, child=sibling)
            try:
                drafts = assessment_start(
                    template=template,
                    children=children,
                    assessor=viewer,
                    started_on=form.cleaned_data["started_on"],
                    rated_for=form.rated_for(),
                    assessor_licensed=form.cleaned_data.get("assessor_licensed"),
                )
            except AssessmentRefused as refused:
                _refusal_to_form(form, refused)
            else:
                messages.success(
                    request, f"The {template.title.lower()} assessment is started: grade each area"
                )
                return redirect(reverse("assessment", args=[child.ref, drafts[0].ref]))
    return render(
        request,
        "assessments/start.html",
        {"child": child, "template": template, "form": form, "who": who_may_complete(template)},
        status=status,
    )


@dataclass
class AreaTask:
    """An area on the draft's task list: for which child, how many of its items are graded."""

    area: Area
    assessment: Assessment
    graded: int
    grade: int | None

    @property
    def status(self) -> str:
        if self.graded == 0:
            return "Not started"
        required = [i for i in self.area.items if not i.optional]
        return "Graded" if self.graded >= len(required) else "In progress"


def _tasks(template: Template, together: list[Assessment]) -> list[tuple[Assessment, list[AreaTask]]]:
    graded: dict[int, dict[str, int]] = {a.pk: {} for a in together}
    for grade in ItemGrade.objects.filter(assessment__in=together):
        graded[grade.assessment_id][grade.item] = grade.grade
    shown = together if template.per_child else together[:1]
    result = []
    for each in shown:
        grades = graded[each.pk]
        areas = area_grades(template, grades)
        result.append(
            (
                each,
                [
                    AreaTask(area, each, sum(1 for i in area.items if i.id in grades), areas.get(area.id))
                    for area in template.areas
                ],
            )
        )
    return result


@require_GET
@transaction.atomic
def assessment_page(request: HttpRequest, ref: str, assessment_ref: str) -> HttpResponse:
    """A draft: the areas to grade (for each child). Completed: the summary, areas of concern and targets."""
    child = _opened(request, ref, "assessment")
    if isinstance(child, HttpResponse):
        return child
    assessment, template = _assessment(child, assessment_ref)
    viewer = viewer_of(request)
    together = occasion_assessments(assessment)
    grades = {g.item: g for g in assessment.item_grades.select_related("recorded_by")}
    scores = {s.area: s.score for s in assessment.scores.all()}
    concerns = [(a, scores[a.id]) for a in template.areas if scores.get(a.id, -1) >= template.concern_from]
    targets = {t.area: t for t in assessment.targets.select_related("plan")}
    levels = {level.id: level for level in template.levels_of_concern}
    draft = assessment.status == AssessmentStatus.DRAFT
    return render(
        request,
        "assessments/assessment.html",
        {
            "child": child,
            "assessment": assessment,
            "template": template,
            "together": together,
            "tasks": _tasks(template, together) if draft else [],
            "grades": grades,
            "profile": None if draft else assessment_profile(assessment=assessment, template=template),
            "concerns": concerns,
            "targets": targets,
            "level": levels.get(assessment.level_of_concern),
            "can_record": viewer.has_perm("assessments.record", child) and may_complete(template, viewer),
            "can_countersign": template.countersign
            and assessment.status == AssessmentStatus.COMPLETED
            and viewer.has_perm("assessments.countersign", child)
            and viewer.pk != assessment.assessor_id,
        },
    )


@require_http_methods(["GET", "POST"])
@transaction.atomic
def assessment_area(request: HttpRequest, ref: str, assessment_ref: str, area_id: str) -> HttpResponse:
    """Grade one area's items, with the evidence; saved as a draft, to finish at a later visit if need be."""
    child = _opened(request, ref, "assessment-area", perm="assessments.record")
    if isinstance(child, HttpResponse):
        return child
    assessment, template = _assessment(child, assessment_ref)
    area = next((a for a in template.areas if a.id == area_id), None)
    if area is None:
        raise Http404("The template has no such area")
    if assessment.status != AssessmentStatus.DRAFT:
        return redirect(reverse("assessment", args=[child.ref, assessment.ref]))
    saved = {g.item: g for g in assessment.item_grades.filter(item__in=[i.id for i in area.items])}
    initial = {f"grade-{i}": str(g.grade) for i, g in saved.items()} | {
        f"evidence-{i}": g.evidence for i, g in saved.items()
    }
    form = AreaGradesForm(
        request.POST or None, initial={**initial, "version": assessment.version}, template=template, area=area
    )
    status = 200
    context: dict[str, Any] = {"child": child, "assessment": assessment, "template": template, "area": area}
    if request.method == "POST":
        status = 400
        if form.is_valid():
            given = {item: GradeGiven(grade, evidence) for item, (grade, evidence) in form.grades().items()}
            try:
                with transaction.atomic():
                    grades_record(assessment=assessment, grades=given, recorded_by=viewer_of(request),
                                  version=form.cleaned_data["version"])  # fmt: skip
            except AssessmentRefused as refused:
                _refusal_to_form(form, refused)
            except EditConflict:
                # Someone saved grades since this page was opened: the grades as they are now, and what
                # this professional entered, to check and enter again.
                assessment.refresh_from_db()
                titles = {item.id: item.title for item in area.items}
                yours = [(titles[i], g.grade, g.evidence) for i, g in given.items()]
                saved = {g.item: g for g in assessment.item_grades.filter(item__in=list(titles))}
                fresh = {f"grade-{i}": str(g.grade) for i, g in saved.items()} | {
                    f"evidence-{i}": g.evidence for i, g in saved.items()
                }
                form = AreaGradesForm(
                    initial={**fresh, "version": assessment.version}, template=template, area=area
                )
                context |= {"conflict": GRADES_CONFLICT, "yours": yours}
                status = 409
            else:
                messages.success(
                    request, f"{area.title}: {len(given)} of {len(area.items)} items graded and saved"
                )
                return redirect(reverse("assessment", args=[child.ref, assessment.ref]))
    return render(request, "assessments/area.html", {**context, "form": form}, status=status)


GRADES_CONFLICT = (
    "Someone else saved grades for this assessment while you were grading. The grades below are as they "
    "are now; check them, then enter your changes again"
)


@require_http_methods(["GET", "POST"])
@transaction.atomic
def assessment_finish(request: HttpRequest, ref: str, assessment_ref: str) -> HttpResponse:
    child = _opened(request, ref, "assessment-complete", perm="assessments.record")
    if isinstance(child, HttpResponse):
        return child
    assessment, template = _assessment(child, assessment_ref)
    if assessment.status != AssessmentStatus.DRAFT:
        return redirect(reverse("assessment", args=[child.ref, assessment.ref]))
    together = occasion_assessments(assessment)
    form = CompleteForm(request.POST or None, template=template)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            for sibling in together:
                if sibling.child_id != child.pk:
                    access_log_record(
                        request=request, page="assessment-complete", action=RECORD, child=sibling.child
                    )
            try:
                assessment_complete(
                    assessment=assessment,
                    completed_by=viewer_of(request),
                    completed_on=form.cleaned_data["completed_on"],
                    level_of_concern=form.cleaned_data.get("level_of_concern", ""),
                    actions=form.cleaned_data["actions"],
                )
            except AssessmentRefused as refused:
                _refusal_to_form(form, refused)
            else:
                messages.success(request, f"The {template.title.lower()} assessment is completed")
                return redirect(reverse("assessment", args=[child.ref, assessment.ref]))
    return render(
        request,
        "assessments/complete.html",
        {"child": child, "assessment": assessment, "template": template, "form": form, "together": together},
        status=status,
    )


@require_POST
@transaction.atomic
def assessment_countersign_page(request: HttpRequest, ref: str, assessment_ref: str) -> HttpResponse:
    child = _opened(request, ref, "assessment-countersign", perm="assessments.countersign")
    if isinstance(child, HttpResponse):
        return child
    assessment, template = _assessment(child, assessment_ref)
    try:
        assessment_countersign(assessment=assessment, manager=viewer_of(request), on=timezone.localdate())
    except AssessmentRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"You countersigned the {template.title.lower()} assessment")
    return redirect(reverse("assessment", args=[child.ref, assessment.ref]))


@require_http_methods(["GET", "POST"])
@transaction.atomic
def assessment_targets(request: HttpRequest, ref: str, assessment_ref: str) -> HttpResponse:
    child = _opened(request, ref, "assessment-targets", perm="assessments.record")
    if isinstance(child, HttpResponse):
        return child
    assessment, template = _assessment(child, assessment_ref)
    scores = {s.area: s.score for s in assessment.scores.all()}
    concerns = [(a, scores[a.id]) for a in template.areas if scores.get(a.id, -1) >= template.concern_from]
    if not concerns:
        return redirect(reverse("assessment", args=[child.ref, assessment.ref]))
    plans = list(Plan.objects.filter(children=child).order_by("-started_on", "pk"))
    initial: dict[str, object] = {}
    for target in assessment.targets.select_related("plan"):
        initial[f"target-{target.area}"] = str(target.target)
        initial[f"due_on-{target.area}"] = target.due_on
        initial[f"plan-{target.area}"] = target.plan.ref if target.plan else ""
    form = TargetsForm(
        request.POST or None, initial=initial, template=template, concerns=concerns, plans=plans
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                targets_record(
                    assessment=assessment,
                    targets=[
                        TargetSet(area, target, due, plan) for area, target, due, plan in form.targets()
                    ],
                )
            except AssessmentRefused as refused:
                for area, message in refused.problems.items():
                    form.add_error(f"target-{area}" if f"target-{area}" in form.fields else None, message)
            else:
                messages.success(request, "The targets are saved")
                return redirect(reverse("assessment", args=[child.ref, assessment.ref]))
    return render(
        request,
        "assessments/targets.html",
        {"child": child, "assessment": assessment, "template": template, "form": form, "concerns": concerns},
        status=status,
    )
