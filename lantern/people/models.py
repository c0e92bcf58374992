"""Children (including unborn children), adults, relationships, households and addresses."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from lantern.core.formatting import govuk_date
from lantern.core.models import SourceReference
from lantern.people.identifiers import name_index, validate_nhs_number, validate_postcode


class PersonKind(models.TextChoices):
    CHILD = "child"
    ADULT = "adult"


class RiskFactorKind(models.TextChoices):
    DOMESTIC_ABUSE = "domestic-abuse", "Domestic abuse"
    SUBSTANCE_MISUSE = "substance-misuse", "Substance misuse"
    PARENTAL_MENTAL_HEALTH = "parental-mental-health", "Parental mental health"
    YOUNG_PARENT = "young-parent", "Young parent"
    POSTNATAL_DEPRESSION = "postnatal-depression", "Postnatal depression"
    SOCIAL_ISOLATION = "social-isolation", "Social isolation"
    FINANCIAL_HARDSHIP = "financial-hardship", "Financial hardship"
    HOUSING_PROBLEMS = "housing-problems", "Housing problems"
    HOMELESSNESS = "homelessness", "Homelessness"


class RelationshipType(models.TextChoices):
    MOTHER = "mother", "Mother"
    FATHER = "father", "Father"
    STEP_PARENT = "step-parent", "Step-parent"
    PARENTS_PARTNER = "parents-partner", "Parent's partner"
    GRANDPARENT = "grandparent", "Grandparent"
    CARER = "carer", "Carer"
    SIBLING = "sibling", "Sibling"
    HALF_SIBLING = "half-sibling", "Half-sibling"
    OTHER_RELATIVE = "other-relative", "Other relative"
    OTHER = "other", "Other"


class PersonQuerySet(models.QuerySet["Person"]):
    def children(self) -> PersonQuerySet:
        return self.filter(kind=PersonKind.CHILD)

    def adults(self) -> PersonQuerySet:
        return self.filter(kind=PersonKind.ADULT)


class Person(SourceReference):
    """A child or an adult in a child's life. Children may be unborn (expected date of birth only)."""

    kind = models.CharField(max_length=8, choices=PersonKind.choices)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    # Case-folded copies of the names that search compares by range, so that it uses an index.
    given_name_index = models.CharField(max_length=100, blank=True, editable=False)
    family_name_index = models.CharField(max_length=100, blank=True, editable=False)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(null=True, blank=True)
    nhs_number = models.CharField(
        max_length=10, null=True, blank=True, unique=True, validators=[validate_nhs_number]
    )
    premature = models.BooleanField(default=False)
    health_needs = models.JSONField(default=list, blank=True)
    disabilities = models.JSONField(default=list, blank=True)
    childhood_history = models.TextField(
        blank=True, help_text="The parent's own childhood, to better assess parenting capacity"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="person_unique_ref"),
            models.CheckConstraint(
                condition=Q(kind="adult")
                | Q(date_of_birth__isnull=False)
                | Q(expected_date_of_birth__isnull=False),
                name="child_has_birth_or_expected_date",
            ),
            models.CheckConstraint(
                condition=Q(kind="child") | Q(expected_date_of_birth__isnull=True),
                name="only_children_are_unborn",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "family_name_index", "given_name_index"], name="person_name_search"),
            models.Index(fields=["kind", "given_name_index"], name="person_given_name_search"),
            models.Index(fields=["kind", "date_of_birth"], name="person_dob_search"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        if self.kind == PersonKind.CHILD and not (self.date_of_birth or self.expected_date_of_birth):
            raise ValidationError("A child needs a date of birth, or an expected date of birth if unborn")
        if self.kind == PersonKind.ADULT and self.expected_date_of_birth:
            raise ValidationError({"expected_date_of_birth": "Only a child can be unborn"})

    def save(self, *args: object, **kwargs: object) -> None:
        self.given_name_index = name_index(self.given_name)
        self.family_name_index = name_index(self.family_name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_unborn(self) -> bool:
        return self.kind == PersonKind.CHILD and self.date_of_birth is None

    @property
    def display_name(self) -> str:
        name = f"{self.given_name} {self.family_name}".strip()
        if self.is_unborn:
            baby = f"Unborn baby {self.family_name}".strip()
            return f"{baby} (due {govuk_date(self.expected_date_of_birth)})"
        return name or self.ref

    def age_on(self, day: dt.date) -> int | None:
        """Age in whole years on ``day``; None if not yet born."""
        if self.date_of_birth is None or self.date_of_birth > day:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class RiskFactor(models.Model):
    """A circumstance that affects the care a child receives, recorded on an adult or a child."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="risk_factors")
    factor = models.CharField(max_length=32, choices=RiskFactorKind.choices)
    recorded_on = models.DateField()
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.PROTECT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "factor", "recorded_on"], name="risk_factor_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_factor_display()} ({self.person})"


class Relationship(models.Model):
    """``from_person`` is the ``type`` of ``to_person``: "m1 is the mother of c1"."""

    from_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_from")
    to_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_to")
    type = models.CharField(max_length=24, choices=RelationshipType.choices)
    parental_responsibility = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_person", "to_person", "type"], name="relationship_unique"),
            models.CheckConstraint(
                condition=~Q(from_person=models.F("to_person")), name="relationship_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_person} is {self.get_type_display().lower()} of {self.to_person}"


class Address(models.Model):
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, validators=[validate_postcode], db_index=True)

    class Meta:
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return ", ".join(part for part in (self.line1, self.line2, self.town, self.postcode) if part)


class Household(SourceReference):
    address = models.ForeignKey(Address, on_delete=models.PROTECT, related_name="households")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="household_unique_ref")]

    def __str__(self) -> str:
        return f"Household at {self.address}"


class HouseholdMember(models.Model):
    """A person living in a household; ``main_home`` marks the household that is the person's main home.

    Baby L's review: professionals must see the main home, not be distracted by visits elsewhere.
    """

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="household_memberships")
    main_home = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["household", "person"], name="household_member_unique"),
            models.UniqueConstraint(
                fields=["person"], condition=Q(main_home=True), name="one_main_home_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.household}"
