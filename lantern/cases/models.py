"""Casework around a child's case: episodes (opened, transferred, closed) and the reviews that gate them,
escalations and professional challenges, reflective case supervision, and the child's level of need.

Allocation itself is not copied here: an episode's worker and team are an ``agencies.Involvement`` (the
record that gives access and names the lead professional), and each allocation writes the chronology's
``allocation`` event that screening reads. History is kept on immutable rows (``CaseStep``,
``EscalationStep``, ``LevelOfNeed``), never by changing what was recorded.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from lantern.casework.models import Progress


class CaseEpisode(models.Model):
    """An agency's case for a child, from opening to closure. One open episode per child per agency."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="case_episodes")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    allocation = models.ForeignKey(
        "agencies.Involvement",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The current (after closure, the last) allocation: worker, team, lead",
    )
    opened_on = models.DateField()
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(help_text="Why the case was opened")
    closed_on = models.DateField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closure_reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["child", "agency"],
                condition=Q(closed_on__isnull=True),
                name="one_open_case_per_agency",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="case_closes_after_opening",
            ),
        ]
        ordering = ["-opened_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.agency} case for {self.child} from {self.opened_on}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class CaseReview(models.Model):
    """A review of the child's case by the worker and their manager: progress, whether the child's needs
    are now met, and what was found. Reviews of a plan are the plan's own (``casework.PlanReview``)."""

    episode = models.ForeignKey(CaseEpisode, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    progress = models.CharField(max_length=10, choices=Progress.choices)
    needs_met = models.BooleanField(help_text="Are the child's needs now met?")
    summary = models.TextField()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Case review on {self.held_on}"


class StepKind(models.TextChoices):
    OPENED = "opened", "Case opened"
    TRANSFERRED = "transferred", "Case transferred"
    CLOSED = "closed", "Case closed"


class CaseStep(models.Model):
    """What happened to an episode, when and by whom, and the review that allowed it. Never changed."""

    episode = models.ForeignKey(CaseEpisode, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField(max_length=12, choices=StepKind.choices)
    on = models.DateField()
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    allocation = models.ForeignKey(
        "agencies.Involvement", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    plan_review = models.ForeignKey(
        "casework.PlanReview", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case_review = models.ForeignKey(
        CaseReview, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    event = models.ForeignKey(
        "chronology.Event",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The allocation entry on the child's chronology",
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.on}"


class EscalationKind(models.TextChoices):
    STUCK_CASE = "stuck-case", "Stuck case escalated to a senior manager"
    CHALLENGE = "professional-challenge", "Professional challenge"


class EscalationSubject(models.TextChoices):
    CASE_DRIFT = "case-drift", "Case drift: no progress"
    THRESHOLDS = "thresholds", "Thresholds: the level of need or the response to it"
    PLANS = "plans", "The plan or how it is carried out"
    INFORMATION_SHARING = "information-sharing", "Information sharing"


class EscalationStage(models.TextChoices):
    INFORMAL = "informal", "Informal"
    FORMAL = "formal", "Formal"


class Escalation(models.Model):
    """A stuck case escalated to a senior manager, or a professional challenge between agencies: raised,
    perhaps made formal, tracked to an outcome. One workflow for both (local escalation policies are one)."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="escalations")
    kind = models.CharField(max_length=24, choices=EscalationKind.choices)
    subject = models.CharField(max_length=24, choices=EscalationSubject.choices)
    concern = models.TextField(help_text="What is wrong and what the raiser wants to happen")
    raised_on = models.DateField()
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    challenged_agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    alert = models.ForeignKey(
        "screening.Alert", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(max_length=8, choices=EscalationStage.choices, default=EscalationStage.INFORMAL)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="escalations_owned"
    )
    due_on = models.DateField()
    resolved_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["child", "resolved_on"], name="escalation_child")]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | ~Q(outcome=""), name="escalation_resolved_has_outcome"
            ),
            models.CheckConstraint(
                condition=~Q(kind="professional-challenge") | Q(challenged_agency__isnull=False),
                name="challenge_names_an_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} raised {self.raised_on}"

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None


class EscalationStep(models.Model):
    """Raised, made formal, resolved: who, when, to whom, by when, and what they said. Never changed."""

    class Kind(models.TextChoices):
        RAISED = "raised", "Raised"
        FORMAL = "formal", "Made formal"
        RESOLVED = "resolved", "Resolved"

    escalation = models.ForeignKey(Escalation, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    note = models.TextField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"


class CaseSupervision(models.Model):
    """Reflective case supervision about one child. Its date, worker and supervisor are its chronology entry
    (a ``supervision`` event, which ``supervision-overdue`` reads), and the decisions are that entry's text;
    the reflections stay here, in the supervision record."""

    event = models.OneToOneField(
        "chronology.Event", on_delete=models.PROTECT, related_name="case_supervision"
    )
    reflections = models.TextField()

    def __str__(self) -> str:
        return f"Case supervision {self.event_id}"


class LevelOfNeed(models.Model):
    """A decision about where the child's needs sit on the area's continuum of need, with why. The child's
    current level is their latest decision; earlier ones are the history (step-ups and step-downs)."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="levels_of_need")
    level = models.CharField(max_length=40, help_text="The level's code in the area's continuum")
    rank = models.PositiveSmallIntegerField(help_text="Its place on the continuum when set (1 is least need)")
    indicators = models.JSONField(default=list, help_text="The level's indicators that the decision saw")
    reason = models.TextField()
    set_at = models.DateTimeField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-set_at", "-pk"]
        indexes = [models.Index(fields=["child", "-set_at"], name="level_of_need_child")]

    def __str__(self) -> str:
        return f"Level {self.rank} ({self.level}) for {self.child_id}"
