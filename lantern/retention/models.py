"""Retention and subject access: who holds the data protection officer's office, legal holds, whether a
child has been looked after (for the retention period of their record), the disposal log, and subject
access requests with their one-month deadline.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from lantern.agencies.models import Role
from lantern.retention.deadlines import calendar_months_after


class DataProtectionOfficer(models.Model):
    """The office of data protection officer (UK GDPR articles 37 to 39), held by a professional.

    An office, not a role: an administrator appoints, but cannot hold it (ADR 3: administrators see no
    child's record; the officer sees everything held about a person who asks for it).
    """

    professional = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="data_protection_office"
    )
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    appointed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "data protection officer"

    def __str__(self) -> str:
        return f"{self.professional} (data protection officer)"

    def clean(self) -> None:
        if self.professional_id and self.professional.role == Role.ADMINISTRATOR:
            raise ValidationError(
                {
                    "professional": "An administrator cannot be the data protection officer: "
                    "administrators see no child's record"
                }
            )


class HoldQuerySet(models.QuerySet["LegalHold"]):
    def active(self) -> HoldQuerySet:
        return self.filter(lifted_at__isnull=True)


class LegalHold(models.Model):
    """Nothing about ``person`` (or only their records of ``record_type``) is disposed of while it stands.

    For litigation, an inquiry, a complaint, or a serious case review: a hold is placed with a reason and
    lifted with a reason, by whom and when, and kept after it is lifted.
    """

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="legal_holds")
    record_type = models.CharField(
        max_length=32, blank=True, help_text="A record type of the retention schedule; blank: everything"
    )
    reason = models.TextField()
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_reason = models.TextField(blank=True)

    objects = HoldQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True) | ~Q(lifted_reason=""),
                name="legal_hold_lifted_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["person"], name="legal_hold_active", condition=Q(lifted_at=None))]

    def __str__(self) -> str:
        return f"Legal hold on {self.person_id} ({self.record_type or 'everything'})"


class LookedAfterChild(models.Model):
    """This child has been looked after by a local authority: their case record is kept until their 75th
    birthday (Care Planning, Placement and Case Review (England) Regulations 2010, regulation 50).

    Lantern does not yet record care episodes; until it does, whoever manages retention marks it here.
    """

    child = models.OneToOneField("people.Person", on_delete=models.PROTECT, related_name="looked_after")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.child_id} has been looked after"


class DisposalRun(models.Model):
    """One run of ``lantern retention`` that disposed of records: when, as at which day, by whom."""

    as_of = models.DateField()
    started_at = models.DateTimeField(default=timezone.now)
    run_by = models.CharField(max_length=150, help_text="The operating-system account that ran it")
    configuration = models.JSONField(help_text="The retention periods in force")
    counts = models.JSONField(default=dict, help_text="Records disposed of, by record type")

    def __str__(self) -> str:
        return f"Disposal as at {self.as_of} ({sum(self.counts.values())} records)"


class DisposalEntry(models.Model):
    """One record disposed of: its kind and its number in Lantern, the record type and the rule — never
    what it said or whom it was about."""

    run = models.ForeignKey(DisposalRun, on_delete=models.PROTECT, related_name="entries")
    record_type = models.CharField(max_length=32)
    model = models.CharField(max_length=64, help_text="e.g. chronology.Event")
    record_id = models.BigIntegerField()
    rule = models.CharField(max_length=200)

    class Meta:
        verbose_name_plural = "disposal entries"
        indexes = [models.Index(fields=["model", "record_id"], name="disposal_entry_record")]

    def __str__(self) -> str:
        return f"{self.model} {self.record_id} ({self.record_type})"


class Requester(models.TextChoices):
    SUBJECT = "subject", "The person themselves"
    PARENT = "parent", "A parent or carer with parental responsibility"
    REPRESENTATIVE = "representative", "Someone acting for them (a solicitor, an advocate)"


class SubjectAccessRequest(models.Model):
    """A request for everything held about ``person`` (UK GDPR article 15; DPA 2018 section 45 does not
    apply: Lantern is not a law-enforcement processor).

    The month runs from the day the request is received, or from the day the requester's identity is
    verified if that is later (ICO, "Time limits for responding"); it may be extended by up to two further
    months, with a reason, told to the requester within the first month (article 12(3)).
    """

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="subject_access_requests"
    )
    requester_name = models.CharField(max_length=200)
    requester = models.CharField(max_length=16, choices=Requester.choices)
    received_on = models.DateField()
    identity_verified_on = models.DateField(null=True, blank=True)
    identity_evidence = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    extension_months = models.PositiveSmallIntegerField(default=0)
    extension_reason = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(extension_months__lte=2), name="sar_extended_at_most_two_months"
            ),
            models.CheckConstraint(
                condition=Q(extension_months=0) | ~Q(extension_reason=""), name="sar_extended_with_reason"
            ),
            models.CheckConstraint(
                condition=Q(identity_verified_on__isnull=True)
                | Q(identity_verified_on__gte=models.F("received_on")),
                name="sar_verified_after_received",
            ),
        ]
        indexes = [models.Index(fields=["completed_on"], name="sar_open", condition=Q(completed_on=None))]

    def __str__(self) -> str:
        return f"Subject access request for {self.person_id} received {self.received_on}"

    @property
    def clock_starts_on(self) -> dt.date | None:
        """None while the requester's identity is not verified: the month has not started."""
        if self.identity_verified_on is None:
            return None
        return max(self.received_on, self.identity_verified_on)

    @property
    def first_due_on(self) -> dt.date | None:
        start = self.clock_starts_on
        return None if start is None else calendar_months_after(start, 1)

    @property
    def due_on(self) -> dt.date | None:
        start = self.clock_starts_on
        return None if start is None else calendar_months_after(start, 1 + self.extension_months)

    @property
    def is_open(self) -> bool:
        return self.completed_on is None
