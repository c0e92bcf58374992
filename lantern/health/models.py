"""Health feeds: the systems that send FHIR R4 messages, their tokens, every message received, every
resource kept as it came (for audit), the queue of patients not yet matched, and notifications."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q


class HealthSystem(models.Model):
    """A hospital, community or GP system that sends resources for one agency."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=64, unique=True, help_text="Namespace of the events it creates")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="health_systems")
    is_active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name


class SystemToken(models.Model):
    """A bearer token for one system. Only its SHA-256 is kept; the token is shown once when issued."""

    system = models.ForeignKey(HealthSystem, on_delete=models.PROTECT, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12, help_text="The first characters, to tell tokens apart")
    issued_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… for {self.system}"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class InboundMessage(models.Model):
    """One bundle as received, with what became of it (kept for replay and audit)."""

    class Status(models.TextChoices):
        PROCESSED = "processed", "Processed"
        PARTLY = "partly", "Processed in part (batch)"
        REJECTED = "rejected", "Rejected"

    system = models.ForeignKey(
        HealthSystem, null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    received_at = models.DateTimeField(auto_now_add=True)
    bundle_type = models.CharField(max_length=16, blank=True)
    body = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices)
    outcome = models.JSONField(default=dict, help_text="The OperationOutcome or response bundle sent back")
    entries = models.PositiveIntegerField(default=0)
    failed_entries = models.PositiveIntegerField(default=0)
    replay_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replays"
    )

    class Meta:
        indexes = [models.Index(fields=["system", "-received_at"], name="message_system_recent")]

    def __str__(self) -> str:
        return f"{self.bundle_type} bundle at {self.received_at:%Y-%m-%d %H:%M} ({self.status})"


class FhirResource(models.Model):
    """A resource as it arrived (every version), and the chronology event it became, if any."""

    class State(models.TextChoices):
        APPLIED = "applied", "On the chronology"
        NO_EVENT = "no-event", "Kept; no chronology event for its status"
        WAITING = "waiting", "Waiting for its patient to be matched"

    system_slug = models.CharField(max_length=64)
    resource_type = models.CharField(max_length=32)
    fhir_id = models.CharField(max_length=128)
    version_id = models.CharField(max_length=64, blank=True)
    full_url = models.CharField(max_length=512, blank=True)
    body = models.JSONField()
    message = models.ForeignKey(InboundMessage, on_delete=models.PROTECT, related_name="resources")
    state = models.CharField(max_length=10, choices=State.choices)
    event = models.ForeignKey(
        "chronology.Event", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    patient = models.ForeignKey(
        "FhirPatient", null=True, blank=True, on_delete=models.PROTECT, related_name="resources"
    )
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["system_slug", "resource_type", "fhir_id", "version_id"], name="fhir_resource_version"
            ),
        ]
        indexes = [
            models.Index(fields=["system_slug", "resource_type", "fhir_id"], name="fhir_resource_lookup")
        ]

    def __str__(self) -> str:
        return f"{self.resource_type}/{self.fhir_id} v{self.version_id or '?'}"


class FhirPatient(models.Model):
    """A system's Patient, and the child it is (once matched); unmatched ones form the queue."""

    class Match(models.TextChoices):
        NHS_NUMBER = "nhs-number", "Matched by NHS number"
        DEMOGRAPHICS = "demographics", "Matched by name, date of birth and postcode"
        MANUAL = "manual", "Matched by a health administrator"
        UNMATCHED = "unmatched", "Not matched yet"
        REJECTED = "rejected", "Not a child known to Lantern"

    system_slug = models.CharField(max_length=64)
    fhir_id = models.CharField(max_length=128)
    nhs_number = models.CharField(max_length=10, blank=True)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    child = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    match = models.CharField(max_length=12, choices=Match.choices)
    candidate = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The likeliest child, for an administrator to confirm",
    )
    confidence = models.DecimalField(max_digits=3, decimal_places=2, default=0)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["system_slug", "fhir_id"], name="fhir_patient_unique")]
        indexes = [models.Index(fields=["match"], name="fhir_patient_queue", condition=Q(match="unmatched"))]

    def __str__(self) -> str:
        return f"Patient/{self.fhir_id} from {self.system_slug} ({self.get_match_display().lower()})"


class Notification(models.Model):
    """Told at once (as CP-IS does): an attendance or a missed appointment for a child on a plan."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications"
    )
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    event = models.ForeignKey("chronology.Event", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recipient", "event"], name="notification_once")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.subject


class TokenRefusal(models.Model):
    """A request to the FHIR endpoint with a missing, unknown or revoked token."""

    at = models.DateTimeField(auto_now_add=True)
    token_prefix = models.CharField(max_length=12, blank=True)
    address = models.CharField(max_length=64, blank=True)
    reason = models.CharField(max_length=100)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.reason}"
