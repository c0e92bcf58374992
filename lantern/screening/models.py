"""Alerts: one per child per rule while it matches, with a lifecycle and an immutable history.

raised → acknowledged → actioned, or dismissed with a reason; resolved when the rule stops matching.
A dismissed alert comes back only when evidence arrives that it was not dismissed with.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class AlertStatus(models.TextChoices):
    RAISED = "raised", "Raised"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ACTIONED = "actioned", "Action recorded"
    DISMISSED = "dismissed", "Dismissed"
    RESOLVED = "resolved", "Resolved"


OPEN_STATUSES = (AlertStatus.RAISED, AlertStatus.ACKNOWLEDGED, AlertStatus.ACTIONED, AlertStatus.DISMISSED)


class Alert(models.Model):
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="alerts")
    rule = models.CharField(max_length=48)
    status = models.CharField(max_length=12, choices=AlertStatus.choices, default=AlertStatus.RAISED)
    severity = models.CharField(max_length=8)
    summary = models.CharField(max_length=500)
    evidence = models.JSONField(default=list, help_text="References of the records it found, sorted")
    dismissed_evidence = models.JSONField(default=list, blank=True)
    raised_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    action_taken = models.TextField(blank=True)
    dismissed_reason = models.TextField(blank=True)
    # Optimistic concurrency (ADR 14): a response names the version the page showed and is refused if
    # someone (or the screening, with new evidence) changed the alert since.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["child", "rule"],
                condition=~Q(status="resolved"),
                name="one_open_alert_per_child_and_rule",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "severity"], name="alert_worklist"),
            models.Index(fields=["child", "status"], name="alert_child"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} for {self.child_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status != AlertStatus.RESOLVED


class AlertHistory(models.Model):
    """What happened to an alert, when, by whom (nobody: the screening itself). Rows are never changed."""

    alert = models.ForeignKey(Alert, on_delete=models.PROTECT, related_name="history")
    at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=AlertStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    evidence = models.JSONField(default=list)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name_plural = "alert history"

    def __str__(self) -> str:
        return f"{self.alert_id} {self.status} at {self.at:%Y-%m-%d %H:%M}"
