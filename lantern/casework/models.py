"""Plans (early help, child in need, child protection) with outcomes, actions, written agreements and
reviews; and multi-agency meetings."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from lantern.core.models import SourceReference


class PlanType(models.TextChoices):
    EARLY_HELP = "early-help", "Early help"
    CHILD_IN_NEED = "child-in-need", "Child in need"
    CHILD_PROTECTION = "child-protection", "Child protection"


class PlanCategory(models.TextChoices):
    NEGLECT = "neglect", "Neglect"
    EMOTIONAL = "emotional", "Emotional abuse"
    PHYSICAL = "physical", "Physical abuse"
    SEXUAL = "sexual", "Sexual abuse"
    MULTIPLE = "multiple", "Multiple"


class Progress(models.TextChoices):
    IMPROVED = "improved", "Improved"
    NO_CHANGE = "no-change", "No change"
    WORSE = "worse", "Worse"


class AgreementStatus(models.TextChoices):
    MET = "met", "Met"
    NOT_MET = "not-met", "Not met"
    PENDING = "pending", "Pending"


class MeetingKind(models.TextChoices):
    STRATEGY_DISCUSSION = "strategy-discussion", "Strategy discussion"
    INITIAL_CONFERENCE = "initial-conference", "Initial child protection conference"
    REVIEW_CONFERENCE = "review-conference", "Review child protection conference"
    CORE_GROUP = "core-group", "Core group"
    TEAM_AROUND_THE_FAMILY = "team-around-the-family", "Team around the family"


class Plan(SourceReference):
    """A plan for one child or a sibling group (``children``)."""

    children = models.ManyToManyField("people.Person", related_name="plans")
    type = models.CharField(max_length=20, choices=PlanType.choices)
    category = models.CharField(max_length=12, choices=PlanCategory.choices, blank=True)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    lead_professional = models.ForeignKey(
        "agencies.Professional", null=True, blank=True, on_delete=models.PROTECT, related_name="led_plans"
    )
    lead_agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="led_plans"
    )
    # Optimistic concurrency (ADR 14): an edit names the version it started from and is refused if the
    # plan has changed since; every edit adds one.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="plan_unique_ref"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="plan_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        category = f" ({self.get_category_display().lower()})" if self.category else ""
        return f"{self.get_type_display()} plan{category} from {self.started_on}"


class PlanOutcome(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="outcomes")
    description = models.TextField(help_text="What will be different in the child's daily lived experience")
    measure = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description[:80]


class PlanAction(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_professional = models.ForeignKey(
        "agencies.Professional", null=True, blank=True, on_delete=models.PROTECT, related_name="plan_actions"
    )
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            # "Recording a plan action with no owner or no due date" is refused (DESIGN.md, gates).
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | Q(owner_professional__isnull=False),
                name="plan_action_has_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]


class PlanAgreement(models.Model):
    """A written agreement with the parents: what must change, by when."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="agreements")
    description = models.TextField()
    due_on = models.DateField()
    status = models.CharField(max_length=8, choices=AgreementStatus.choices)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:80]


class PlanReview(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField()
    progress = models.CharField(max_length=10, choices=Progress.choices)
    needs_met = models.BooleanField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["held_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "held_on"], name="plan_review_one_a_day")]

    def __str__(self) -> str:
        return f"Review on {self.held_on}: {self.get_progress_display()}"


class PlanReviewOutcome(models.Model):
    """A review's finding on one outcome of the plan: better, the same or worse for the child."""

    review = models.ForeignKey(PlanReview, on_delete=models.CASCADE, related_name="outcome_progress")
    outcome = models.ForeignKey(PlanOutcome, on_delete=models.CASCADE, related_name="review_progress")
    progress = models.CharField(max_length=10, choices=Progress.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["review", "outcome"]
        constraints = [
            models.UniqueConstraint(fields=["review", "outcome"], name="plan_review_outcome_once"),
        ]

    def __str__(self) -> str:
        return f"{self.outcome}: {self.get_progress_display()}"


class Meeting(SourceReference):
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=24, choices=MeetingKind.choices)
    held_on = models.DateField()
    invited_agencies = models.ManyToManyField("agencies.Agency", related_name="+", blank=True)
    attended_agencies = models.ManyToManyField("agencies.Agency", related_name="+", blank=True)
    decisions = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="meeting_unique_ref")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on}"


class MeetingAction(models.Model):
    """An action agreed at a meeting: like a plan's, it has an owner and a date or it is not recorded."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_professional = models.ForeignKey(
        "agencies.Professional",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_actions",
    )
    due_on = models.DateField()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | Q(owner_professional__isnull=False),
                name="meeting_action_has_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]
