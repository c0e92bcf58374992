"""Graded assessments: a template's areas, each graded; the overall score is the mean of the grades."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from lantern.core.models import SourceReference


class Assessment(SourceReference):
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="assessments")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    template = models.SlugField(max_length=64, help_text="e.g. graded-care, home-conditions")
    completed_on = models.DateField()
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="assessment_unique_ref")]
        indexes = [models.Index(fields=["child", "template", "completed_on"], name="assessment_child_date")]

    def __str__(self) -> str:
        return f"{self.template} for {self.child} on {self.completed_on}"

    @property
    def overall(self) -> Decimal | None:
        """Mean of the area grades (1 best, 5 worst for graded care), to two places."""
        grades = [s.score for s in self.scores.all()]
        if not grades:
            return None
        return (Decimal(sum(grades)) / len(grades)).quantize(Decimal("0.01"))


class AssessmentScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    area = models.SlugField(max_length=64)
    score = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "area"], name="assessment_score_unique")]
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.area}: {self.score}"
