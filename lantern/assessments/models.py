"""Graded assessments: a template's areas, each graded; the overall score is the mean of the area grades.

An assessment made in Lantern is a draft while it is filled in over several visits (a grade for each item,
with its evidence), then completed (the area grades are written: each area's is the worst grade of its
items) and, where the template asks, countersigned by a manager. Imported assessments arrive completed,
with their area grades. Siblings assessed at one visit share an ``occasion``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from lantern.core.models import SourceReference


class AssessmentTemplate(models.Model):
    """A template an administrator loaded (``lantern assessments load-template``): it replaces the default
    of the same id from its version on. The definition is kept so that old assessments are read with it."""

    template = models.SlugField(max_length=64)
    version = models.PositiveIntegerField()
    definition = models.JSONField()
    loaded_at = models.DateTimeField(auto_now_add=True)
    loaded_by = models.CharField(max_length=200, blank=True, help_text="Who loaded it (the command's user)")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["template", "version"], name="assessment_template_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.template} version {self.version}"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    COMPLETED = "completed", "Completed"
    COUNTERSIGNED = "countersigned", "Countersigned"


class Assessment(SourceReference):
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="assessments")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    template = models.SlugField(max_length=64, help_text="e.g. graded-care, home-conditions")
    template_version = models.PositiveIntegerField(default=1)
    status = models.CharField(
        max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.COMPLETED
    )
    started_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True, help_text="Empty while a draft")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assessor_licensed = models.BooleanField(
        null=True, blank=True, help_text="The assessor confirmed holding the template's licence"
    )
    occasion = models.CharField(
        max_length=64, blank=True, help_text="Shared by the siblings' assessments made at the same visits"
    )
    rated_for = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For one set of grades for the home: the child the conditions affect most",
    )
    level_of_concern = models.SlugField(max_length=64, blank=True)
    actions = models.TextField(blank=True, help_text="The actions agreed")
    # Optimistic concurrency (ADR 14): grades saved on a draft name the version the page was opened at;
    # grades saved by someone else since make it a conflict, not a silent overwrite.
    version = models.PositiveIntegerField(default=1)
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    countersigned_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="assessment_unique_ref"),
            models.CheckConstraint(
                condition=(Q(status="draft") & Q(completed_on__isnull=True))
                | (~Q(status="draft") & Q(completed_on__isnull=False)),
                name="assessment_completed_unless_draft",
            ),
            models.CheckConstraint(
                condition=Q(status="countersigned") | Q(countersigned_on__isnull=True),
                name="assessment_countersigned_date",
            ),
        ]
        indexes = [
            models.Index(fields=["child", "template", "completed_on"], name="assessment_child_date"),
            models.Index(fields=["occasion"], name="assessment_occasion"),
        ]

    def __str__(self) -> str:
        return f"{self.template} for {self.child} on {self.completed_on or 'draft'}"

    @property
    def overall(self) -> Decimal | None:
        """Mean of the area grades (1 best, 5 worst for graded care), to two places."""
        grades = [s.score for s in self.scores.all()]
        if not grades:
            return None
        return (Decimal(sum(grades)) / len(grades)).quantize(Decimal("0.01"))


class AssessmentScore(models.Model):
    """An area's grade on a completed assessment (what trends, charts and screening read)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    area = models.SlugField(max_length=64)
    score = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "area"], name="assessment_score_unique")]
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.area}: {self.score}"


class ItemGrade(models.Model):
    """One item's grade, with the evidence for it; saved at whichever visit it was graded."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="item_grades")
    item = models.SlugField(max_length=64)
    grade = models.PositiveSmallIntegerField()
    evidence = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="item_grade_unique")]
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.item}: {self.grade}"


class AssessmentTarget(models.Model):
    """For an area graded at or beyond the template's level of concern: the grade to reach, and by when,
    under the child's plan (named by reference: the plan is casework's)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="targets")
    area = models.SlugField(max_length=64)
    target = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    plan = models.ForeignKey(
        "casework.Plan", null=True, blank=True, on_delete=models.PROTECT, related_name="assessment_targets"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "area"], name="assessment_target_unique")
        ]
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.area}: {self.target} by {self.due_on}"
