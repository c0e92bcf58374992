"""Shared model parts and the access log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class SourceReference(models.Model):
    """A record that can be named from outside as ``<source>:<id>`` (case bundles, the CLI, the API).

    Records created in Lantern itself have the source ``lantern``.
    """

    source = models.CharField(max_length=64)
    source_id = models.CharField(max_length=128)

    class Meta:
        abstract = True

    @property
    def ref(self) -> str:
        return f"{self.source}:{self.source_id}"


class AccessLogEntry(models.Model):
    """One view (or refused view, or search) of a child's record.

    Rows are written in the same transaction as the read they record, and never changed: database
    triggers refuse UPDATE and DELETE (``append_only.py``, ADR 17).
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        REFUSED = "refused", "Refused (no legitimate relationship)"
        SEARCH = "search", "Searched"
        RECORD = "record", "Recorded on the record"
        EXPORT = "export", "Exported"
        EMERGENCY = "emergency", "Emergency access (break-glass)"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # No index of their own: the composite indexes below begin with them.
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    child = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="access_log",
        db_index=False,
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    page = models.CharField(max_length=64, help_text="The name of the page or export, e.g. child-overview")
    path = models.CharField(max_length=512, blank=True)
    detail = models.CharField(max_length=512, blank=True, help_text="Search terms, or why access was refused")

    class Meta:
        verbose_name_plural = "access log entries"
        indexes = [
            # "Who viewed this child between these dates": a range of one child's rows, answered from the
            # index alone (it holds who and what), however many millions of rows the log has.
            models.Index(fields=["child", "at", "action", "professional"], name="accesslog_child_at_who"),
            models.Index(fields=["professional", "-at"], name="accesslog_professional_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.professional_id} {self.action} {self.page}"


class EmergencyAccess(models.Model):
    """Break-glass: a professional with no legitimate relationship opens a child's record, for a stated
    reason, for a limited time; the record's managers are told. Rows are never changed (ADR 17)."""

    class Reason(models.TextChoices):
        RISK_TO_CHILD = "risk-to-child", "Risk to the child"
        LEGAL_REQUIREMENT = "legal-requirement", "A legal requirement"
        CONSENT = "consent", "Consent"

    professional = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="emergency_access")
    reason = models.CharField(max_length=32, choices=Reason.choices)
    explanation = models.TextField(help_text="Why the record must be opened now, in the professional's words")
    started_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "emergency access"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("started_at")), name="emergency_access_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["professional", "child", "ends_at"], name="emergency_access_current")]

    def __str__(self) -> str:
        return f"{self.professional_id} {self.child_id} {self.reason} until {self.ends_at:%Y-%m-%d %H:%M}"
