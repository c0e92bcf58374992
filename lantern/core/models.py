"""Shared model parts and the access log."""

from __future__ import annotations

from django.conf import settings
from django.db import models


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
    """One view (or refused view, or search) of a child's record. Rows are written, never changed."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        REFUSED = "refused", "Refused (no legitimate relationship)"
        SEARCH = "search", "Searched"
        RECORD = "record", "Recorded on the record"
        EXPORT = "export", "Exported"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    professional = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="access_log"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    page = models.CharField(max_length=64, help_text="The name of the page or export, e.g. child-overview")
    path = models.CharField(max_length=512, blank=True)
    detail = models.CharField(max_length=512, blank=True, help_text="Search terms, or why access was refused")

    class Meta:
        verbose_name_plural = "access log entries"
        indexes = [
            models.Index(fields=["child", "-at"], name="accesslog_child_at"),
            models.Index(fields=["professional", "-at"], name="accesslog_professional_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.professional_id} {self.action} {self.page}"
