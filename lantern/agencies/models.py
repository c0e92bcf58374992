"""Agencies, their teams, the professionals who work in them, and their involvement with children."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_otp.models import Device, ThrottlingMixin

from lantern.core.models import SourceReference


class AgencyType(models.TextChoices):
    HEALTH = "health", "Health"
    SOCIAL_CARE = "social-care", "Children's social care"
    EARLY_HELP = "early-help", "Early help"
    EDUCATION = "education", "Education"
    POLICE = "police", "Police"
    HOUSING = "housing", "Housing"
    PROBATION = "probation", "Probation"
    VOLUNTARY = "voluntary", "Voluntary sector"
    OTHER = "other", "Other"


class Role(models.TextChoices):
    """What a professional may do in Lantern (their profession is recorded separately)."""

    PRACTITIONER = "practitioner", "Practitioner"
    MANAGER = "manager", "Team manager"
    SENIOR_MANAGER = "senior-manager", "Senior manager"
    ADMINISTRATOR = "administrator", "Administrator"
    AUDITOR = "auditor", "Auditor (read-only)"


class Agency(SourceReference):
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=16, choices=AgencyType.choices)
    contact_phone = models.CharField(max_length=32, blank=True)
    contact_email = models.EmailField(blank=True)

    class Meta:
        verbose_name_plural = "agencies"
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="agency_unique_ref")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_health(self) -> bool:
        return self.type == AgencyType.HEALTH


class Team(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="team_unique_name")]
        ordering = ["agency__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"


def professional_ref(source: str | None, source_id: str | None, username: str | None) -> str:
    """A professional's reference: ``<source>:<id>`` if imported, ``lantern:<username>`` if made in
    Lantern; "" for no professional (columns of a missing row read through a join)."""
    if source:
        return f"{source}:{source_id}"
    return f"lantern:{username}" if username else ""


class ProfessionalManager(BaseUserManager["Professional"]):
    def create_user(self, username: str, password: str | None = None, **fields: object) -> Professional:
        user = self.model(username=username, **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str | None = None, **fields: object) -> Professional:
        """An administrator: manages agencies, teams and accounts, but sees no child's record by role."""
        fields.setdefault("role", Role.ADMINISTRATOR)
        fields.setdefault("name", username)
        return self.create_user(username, password, **fields)


class Professional(AbstractBaseUser):
    """A person who uses Lantern. Belongs to an agency (and perhaps a team) and has one role.

    There is deliberately no superuser: every permission, including an administrator's, is a rule in
    ``rules.py``, so that nobody sees a child's record by virtue of their account type.
    """

    username_validator = UnicodeUsernameValidator()

    username = models.CharField(max_length=150, unique=True, validators=[username_validator])
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="staff")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.PRACTITIONER)
    profession = models.CharField(max_length=64, blank=True, help_text="e.g. social-worker, health-visitor")
    source = models.CharField(max_length=64, blank=True)
    source_id = models.CharField(max_length=128, blank=True)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = ProfessionalManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"], condition=~Q(source=""), name="professional_unique_ref"
            ),
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name or self.username

    @property
    def ref(self) -> str:
        return professional_ref(self.source, self.source_id, self.username)

    @property
    def is_staff(self) -> bool:
        """Django's admin site is for administrators."""
        return self.is_active and self.role == Role.ADMINISTRATOR

    @property
    def is_superuser(self) -> bool:
        return False

    def has_perm(self, perm: str, obj: models.Model | None = None) -> bool:
        from django.contrib.auth import get_backends

        if not self.is_active:
            return False
        return any(
            backend.has_perm(self, perm, obj) for backend in get_backends() if hasattr(backend, "has_perm")
        )

    def has_perms(self, perm_list: list[str], obj: models.Model | None = None) -> bool:
        return all(self.has_perm(perm, obj) for perm in perm_list)

    def has_module_perms(self, app_label: str) -> bool:
        from django.contrib.auth import get_backends

        if not self.is_active:
            return False
        return any(
            backend.has_module_perms(self, app_label)
            for backend in get_backends()
            if hasattr(backend, "has_module_perms")
        )


class Involvement(SourceReference):
    """An agency's (and perhaps a team's or a professional's) involvement with a child.

    The involvement marked ``lead`` names the lead agency, and its professional, if any, is the
    lead professional ("all agencies must be aware of which agency is leading"). A child has at most
    one current lead.
    """

    child = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="involvements")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="involvements")
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="involvements"
    )
    professional = models.ForeignKey(
        Professional, null=True, blank=True, on_delete=models.PROTECT, related_name="involvements"
    )
    role = models.CharField(
        max_length=100, blank=True, help_text="e.g. allocated social worker, health visitor"
    )
    lead = models.BooleanField(default=False)
    started_on = models.DateField(default=dt.date.today)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="involvement_unique_ref"),
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(lead=True, ended_on__isnull=True),
                name="one_current_lead_per_child",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="involvement_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["professional", "child"], name="involvement_professional"),
            models.Index(fields=["team", "child"], name="involvement_team"),
            models.Index(fields=["agency", "child"], name="involvement_agency"),
        ]

    def __str__(self) -> str:
        who = self.professional or self.team or self.agency
        return f"{who} with {self.child}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None or self.ended_on >= timezone.localdate()


class SignInFailure(models.Model):
    """A failed sign-in: counted for lockout, kept for audit."""

    username = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now)
    address = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [models.Index(fields=["username", "-at"], name="signin_failure_recent")]

    def __str__(self) -> str:
        return f"{self.username} at {self.at:%Y-%m-%d %H:%M}"


class SignedInSession(models.Model):
    """A session in which a professional has signed in: found again to end them all when the account is
    disabled (sessions themselves are stored by key alone). Removed at sign-out."""

    professional = models.ForeignKey(Professional, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    signed_in_at = models.DateTimeField(default=timezone.now)
    address = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.professional} since {self.signed_in_at:%Y-%m-%d %H:%M}"


class RecoveryCodeDevice(ThrottlingMixin, Device):
    """A professional's recovery codes: a second factor for when their authenticator app is lost (a
    django-otp device, so that signing in with a code marks the session verified like a TOTP code).

    The codes themselves are never stored: ``RecoveryCode`` holds each one's PBKDF2 hash
    (lantern/agencies/recovery_codes.py)."""

    def get_throttle_factor(self) -> int:
        return 1  # seconds, doubled after each wrong code (django-otp's throttling)

    def verify_token(self, token: str) -> bool:
        from lantern.agencies.recovery_codes import recovery_code_use

        return recovery_code_use(self, token)


class RecoveryCode(models.Model):
    """One recovery code, hashed; used once (``used_at``)."""

    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"recovery code {self.pk} of {self.device.user}, {'used' if self.used_at else 'unused'}"
