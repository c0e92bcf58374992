import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from lantern.people.models import Person
from lantern.people.tests.factories import (
    AdultFactory,
    ChildFactory,
    HouseholdFactory,
    HouseholdMemberFactory,
    RelationshipFactory,
)

pytestmark = pytest.mark.django_db


class TestChild:
    def test_unborn_child_has_only_an_expected_date_of_birth(self):
        unborn = ChildFactory(
            given_name="", family_name="Hart", date_of_birth=None, expected_date_of_birth=dt.date(2027, 1, 20)
        )
        assert unborn.is_unborn
        assert unborn.display_name == "Unborn baby Hart (due 20 January 2027)"
        assert unborn.age_on(dt.date(2026, 12, 1)) is None

    def test_a_child_needs_a_birth_date_or_an_expected_one(self):
        child = ChildFactory.build(date_of_birth=None, expected_date_of_birth=None)
        with pytest.raises(ValidationError):
            child.full_clean()
        with pytest.raises(IntegrityError), transaction.atomic():
            child.save()

    def test_an_adult_cannot_be_unborn(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            AdultFactory(expected_date_of_birth=dt.date(2027, 1, 1))

    def test_invalid_nhs_number_fails_validation(self):
        child = ChildFactory.build(nhs_number="9434765918")
        with pytest.raises(ValidationError) as error:
            child.full_clean()
        assert "nhs_number" in error.value.message_dict

    def test_age_in_whole_years(self):
        child = ChildFactory(date_of_birth=dt.date(2012, 4, 18))
        assert child.age_on(dt.date(2026, 4, 17)) == 13
        assert child.age_on(dt.date(2026, 4, 18)) == 14

    def test_names_are_indexed_for_search_on_save(self):
        child = ChildFactory(given_name="Zoë", family_name="O'Brien")
        assert (child.given_name_index, child.family_name_index) == ("zoe", "obrien")

    def test_reference_is_source_and_id(self):
        assert ChildFactory(source="demo", source_id="c1").ref == "demo:c1"


class TestHouseholds:
    def test_a_person_has_at_most_one_main_home(self):
        child = ChildFactory()
        HouseholdMemberFactory(person=child, main_home=True)
        HouseholdMemberFactory(person=child, household=HouseholdFactory(), main_home=False)
        with pytest.raises(IntegrityError), transaction.atomic():
            HouseholdMemberFactory(person=child, household=HouseholdFactory(), main_home=True)

    def test_nobody_is_their_own_relative(self):
        person = AdultFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            RelationshipFactory(from_person=person, to_person=person)

    def test_children_and_adults_are_told_apart(self):
        ChildFactory()
        AdultFactory()
        assert {p.kind for p in Person.objects.children()} == {"child"}
        assert {p.kind for p in Person.objects.adults()} == {"adult"}
