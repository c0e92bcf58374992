"""Information sharing records (Working Together to Safeguard Children; ADR 17).

Every share of a child's information — an export, a referral, a disclosure to another agency — and
every decision not to share is recorded: what, with whom, for what purpose, on which lawful basis, with
or without consent, and the reasoning. Rows are never changed (append-only triggers); a correction is a
new record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ShareKind(models.TextChoices):
    EXPORT = "export", "Export (a chronology or report taken out of Lantern)"
    REFERRAL = "referral", "Referral"
    DISCLOSURE = "disclosure", "Disclosure to another agency"


class Decision(models.TextChoices):
    SHARED = "shared", "Shared"
    NOT_SHARED = "not-shared", "Decided not to share"


class LawfulBasis(models.TextChoices):
    """UK GDPR Article 6, with the Data Protection Act 2018 condition for special-category data."""

    PUBLIC_TASK = "public-task", "Public task (UK GDPR Article 6(1)(e))"
    LEGAL_OBLIGATION = "legal-obligation", "Legal obligation (Article 6(1)(c)), e.g. Children Act 1989 s47"
    VITAL_INTERESTS = "vital-interests", "Vital interests (Article 6(1)(d))"
    CONSENT = "consent", "Consent (Article 6(1)(a))"
    SAFEGUARDING = (
        "safeguarding",
        "Safeguarding of children (Data Protection Act 2018, Schedule 1, paragraph 18)",
    )


class Consent(models.TextChoices):
    GIVEN = "given", "Consent given"
    REFUSED = "refused", "Consent refused"
    NOT_SOUGHT_RISK = "not-sought-risk", "Not sought: asking would place the child at risk"
    NOT_SOUGHT_OTHER = "not-sought-other", "Not sought: another reason (say why in the reasoning)"


class SharingRecord(models.Model):
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="sharing_records")
    kind = models.CharField(max_length=16, choices=ShareKind.choices)
    decision = models.CharField(max_length=16, choices=Decision.choices)
    what = models.TextField(help_text="What information was (or would have been) shared")
    recipient = models.CharField(max_length=300, help_text="With whom: person, role and organisation")
    recipient_agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.TextField()
    lawful_basis = models.CharField(max_length=24, choices=LawfulBasis.choices)
    consent = models.CharField(max_length=24, choices=Consent.choices)
    reasoning = models.TextField(help_text="Why sharing is (or is not) necessary and proportionate")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(lawful_basis="consent") | Q(consent="given"),
                name="sharing_consent_basis_needs_consent",
            ),
        ]
        indexes = [models.Index(fields=["child", "-recorded_at"], name="sharing_child_recorded")]

    def __str__(self) -> str:
        return f"{self.child_id} {self.kind} {self.decision} {self.recipient}"

    @property
    def without_consent(self) -> bool:
        return self.decision == Decision.SHARED and self.consent != Consent.GIVEN
