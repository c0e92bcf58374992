from __future__ import annotations

import datetime as dt

import factory

from lantern.people.models import Address, Household, HouseholdMember, Person, Relationship, RiskFactor


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    source = "test"
    source_id = factory.Sequence(lambda n: f"c{n}")
    kind = "child"
    given_name = factory.Iterator(["Ava", "Noah", "Lily", "Mason", "Ellie", "Tyler"])
    family_name = factory.Sequence(lambda n: f"Testfamily{n}")
    date_of_birth = dt.date(2019, 3, 27)


class AdultFactory(ChildFactory):
    source_id = factory.Sequence(lambda n: f"a{n}")
    kind = "adult"
    given_name = "Sam"
    date_of_birth = dt.date(1990, 1, 1)


class RiskFactorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskFactor

    person = factory.SubFactory(AdultFactory)
    factor = "substance-misuse"
    recorded_on = dt.date(2026, 1, 1)


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    from_person = factory.SubFactory(AdultFactory)
    to_person = factory.SubFactory(ChildFactory)
    type = "mother"
    parental_responsibility = True


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    line1 = factory.Sequence(lambda n: f"{n + 1} Test Street")
    town = "Testtown"
    postcode = "HP19 8FF"


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    source = "test"
    source_id = factory.Sequence(lambda n: f"h{n}")
    address = factory.SubFactory(AddressFactory)


class HouseholdMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseholdMember

    household = factory.SubFactory(HouseholdFactory)
    person = factory.SubFactory(ChildFactory)
    main_home = True
