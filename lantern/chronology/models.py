"""The chronology: one timeline per child of every agency's events, immutable once recorded.

"Identify and record all incidents of neglect to build a picture of what is going on in the child's
life"; "compile a multi-agency chronology of key events". A correction is a new row that supersedes the
old; the old row stays (visible to managers) and is never changed except to stop being current.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from lantern.core.models import SourceReference


class EventType(models.TextChoices):
    APPOINTMENT = "appointment", "Appointment"
    ATTENDANCE = "attendance", "A&E or urgent care attendance"
    HOME_VISIT = "home-visit", "Home visit"
    OBSERVATION = "observation", "Observation"
    REFERRAL = "referral", "Referral"
    CRIMINAL_CASE = "criminal-case", "Criminal case"
    SUPERVISION = "supervision", "Case supervision"
    ALLOCATION = "allocation", "Worker allocated"
    # Entries for first-class records elsewhere, so that the chronology shows them in time order.
    ASSESSMENT = "assessment", "Assessment"
    PLAN_STARTED = "plan-started", "Plan started"
    PLAN_ENDED = "plan-ended", "Plan ended"
    PLAN_REVIEW = "plan-review", "Plan review"
    MEETING = "meeting", "Meeting"


class Significance(models.TextChoices):
    ROUTINE = "routine", "Routine"
    SIGNIFICANT = "significant", "Significant"
    KEY = "key", "Key event"


class AppointmentOutcome(models.TextChoices):
    ATTENDED = "attended", "Attended"
    WAS_NOT_BROUGHT = "was-not-brought", "Was not brought"
    CANCELLED_BY_FAMILY = "cancelled-by-family", "Cancelled by the family"
    CANCELLED_BY_PROVIDER = "cancelled-by-provider", "Cancelled by the provider"


class HomeVisitOutcome(models.TextChoices):
    SEEN = "seen", "Child seen"
    NO_ACCESS = "no-access", "No access"
    CANCELLED_BY_FAMILY = "cancelled-by-family", "Cancelled by the family"


class ReferralOutcome(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    DECLINED_BY_FAMILY = "declined-by-family", "Declined by the family"
    NO_FURTHER_ACTION = "no-further-action", "No further action"


class CriminalCaseOutcome(models.TextChoices):
    NO_PROSECUTION = "no-prosecution", "No prosecution"
    CHARGED = "charged", "Charged"
    UNDER_INVESTIGATION = "under-investigation", "Under investigation"


OUTCOMES: dict[str, type[models.TextChoices]] = {
    EventType.APPOINTMENT: AppointmentOutcome,
    EventType.HOME_VISIT: HomeVisitOutcome,
    EventType.REFERRAL: ReferralOutcome,
    EventType.CRIMINAL_CASE: CriminalCaseOutcome,
}


class AttendanceSetting(models.TextChoices):
    EMERGENCY_DEPARTMENT = "emergency-department", "Emergency department"
    URGENT_CARE = "urgent-care", "Urgent care"
    MINOR_INJURIES = "minor-injuries", "Minor injuries unit"


class AttendanceReason(models.TextChoices):
    INJURY = "injury", "Injury"
    ILLNESS = "illness", "Illness"
    INGESTION = "ingestion", "Ingestion"
    OTHER = "other", "Other"


class VisitLocation(models.TextChoices):
    MAIN_HOME = "main-home", "Main home"
    ELSEWHERE = "elsewhere", "Elsewhere"


class Tag(models.TextChoices):
    """Observation tags (DESIGN.md's vocabulary)."""

    EMOTIONAL_NEGLECT = "emotional-neglect", "Emotional neglect"
    PHYSICAL_NEGLECT = "physical-neglect", "Physical neglect"
    INJURY = "injury", "Injury"
    INADEQUATE_SUPERVISION = "inadequate-supervision", "Inadequate supervision"
    LEFT_WITH_UNSUITABLE_CARER = "left-with-unsuitable-carer", "Left with an unsuitable carer"
    DENTAL_DECAY = "dental-decay", "Dental decay"
    SELF_HARM = "self-harm", "Self-harm"
    SUICIDAL_IDEATION = "suicidal-ideation", "Suicidal ideation"
    POOR_HOME_CONDITIONS = "poor-home-conditions", "Poor home conditions"
    HYGIENE = "hygiene", "Hygiene"
    NUTRITION = "nutrition", "Nutrition"
    UNSAFE_SLEEP = "unsafe-sleep", "Unsafe sleep"
    DOMESTIC_ABUSE = "domestic-abuse", "Domestic abuse"
    SUBSTANCE_MISUSE = "substance-misuse", "Substance misuse"
    PARENTAL_MENTAL_HEALTH = "parental-mental-health", "Parental mental health"
    NON_ENGAGEMENT = "non-engagement", "Non-engagement"
    SCHOOL_ATTENDANCE = "school-attendance", "School attendance"
    OTHER = "other", "Other"


NEGLECT_TAGS = frozenset(
    {Tag.EMOTIONAL_NEGLECT, Tag.PHYSICAL_NEGLECT, Tag.POOR_HOME_CONDITIONS, Tag.HYGIENE, Tag.NUTRITION}
)


class ImmutableEvent(Exception):
    pass


OPTIONAL_REFERENCES = (
    "recorded_by", "worker", "supervisor", "to_agency", "assessment", "plan", "review", "meeting",
)  # fmt: skip


class Event(SourceReference):
    # No index of its own: the chronology's indexes below start with the child.
    child = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="events", db_index=False
    )
    agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    type = models.CharField(max_length=16, choices=EventType.choices)
    occurred_on = models.DateField(help_text="When it happened (screening windows use this date)")
    occurred_time = models.TimeField(null=True, blank=True)
    recorded_at = models.DateTimeField(help_text="When it was recorded")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    significance = models.CharField(max_length=12, choices=Significance.choices, default=Significance.ROUTINE)
    text = models.TextField(blank=True)
    outcome = models.CharField(max_length=24, blank=True)
    service = models.CharField(max_length=200, blank=True)
    setting = models.CharField(max_length=24, choices=AttendanceSetting.choices, blank=True)
    reason = models.CharField(max_length=12, choices=AttendanceReason.choices, blank=True)
    location = models.CharField(max_length=12, choices=VisitLocation.choices, blank=True)
    announced = models.BooleanField(null=True, blank=True)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    to_agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    assessment = models.ForeignKey(
        "assessments.Assessment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        db_index=False,
    )
    plan = models.ForeignKey(
        "casework.Plan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        db_index=False,
    )
    review = models.ForeignKey(
        "casework.PlanReview",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        db_index=False,
    )
    meeting = models.ForeignKey(
        "casework.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        db_index=False,
    )
    # A correction is a new row that ``supersedes`` this one; this row then stops being current. That
    # flag is the only thing ever changed on a recorded event.
    # At most one correction of each event: a unique index holding only corrections (a partial one, so
    # that the many events that correct nothing are not in it).
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections", db_index=False
    )
    is_current = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"], condition=Q(is_current=True), name="event_current_ref"
            ),
            models.UniqueConstraint(
                fields=["supersedes"], condition=Q(supersedes__isnull=False), name="event_corrected_once"
            ),
        ]
        indexes = [
            models.Index(fields=["child", "occurred_on", "occurred_time"], name="event_chronology"),
            models.Index(fields=["child", "type", "occurred_on"], name="event_child_type"),
            # Counting rules over the whole area (screening/counting.py) read only this index: events of a
            # type in a window, then outcome, child and is_current without touching the table.
            models.Index(
                fields=["type", "occurred_on", "outcome", "child", "is_current"], name="event_counting"
            ),
            # Most events name no worker, plan or meeting…: these indexes hold only the rows that do, so
            # an import does not write a million empty entries into each (ADR 0011).
            *(
                models.Index(fields=[name], condition=Q(**{f"{name}__isnull": False}), name=f"event_{name}")
                for name in OPTIONAL_REFERENCES
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} on {self.occurred_on} for {self.child_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A recorded event is never changed: correct it with a new row that supersedes it."""
        if self.pk is not None and not self._state.adding:
            raise ImmutableEvent(f"event {self.ref} is recorded; record a correction that supersedes it")
        super().save(*args, **kwargs)

    @property
    def occurred(self) -> dt.datetime | dt.date:
        if self.occurred_time is None:
            return self.occurred_on
        return dt.datetime.combine(self.occurred_on, self.occurred_time)

    def get_outcome_display(self) -> str:
        choices = OUTCOMES.get(self.type)
        if choices is None or not self.outcome:
            return self.outcome
        return str(dict(choices.choices).get(self.outcome, self.outcome))


class EventTag(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tags")
    tag = models.CharField(max_length=32, choices=Tag.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "tag"], name="event_tag_unique")]
        indexes = [models.Index(fields=["tag", "event"], name="event_tag_lookup")]

    def __str__(self) -> str:
        return self.tag
