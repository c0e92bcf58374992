import datetime as dt

import pytest

from lantern.agencies.tests.factories import InvolvementFactory
from lantern.people.selectors import (
    child_overview,
    child_search,
    child_search_parse,
    children_of_professional,
)
from lantern.people.tests.factories import (
    AdultFactory,
    ChildFactory,
    HouseholdFactory,
    HouseholdMemberFactory,
    RelationshipFactory,
)


class TestSearchParse:
    def test_a_name(self):
        search = child_search_parse("  Ava  Morgan ")
        assert (search.names, search.date_of_birth, search.nhs_number, search.error) == (
            ["ava", "morgan"],
            None,
            None,
            None,
        )

    @pytest.mark.parametrize("written", ["27/03/2019", "2019-03-27", "27-03-2019", "27 03 2019"])
    def test_a_date_of_birth(self, written):
        assert child_search_parse(written).date_of_birth == dt.date(2019, 3, 27)

    def test_a_name_and_a_date_of_birth(self):
        search = child_search_parse("Morgan 27/03/2019")
        assert (search.names, search.date_of_birth) == (["morgan"], dt.date(2019, 3, 27))

    def test_an_nhs_number_with_spaces(self):
        assert child_search_parse("943 476 5919").nhs_number == "9434765919"

    def test_an_invalid_nhs_number_says_why(self):
        search = child_search_parse("9434765918")
        assert search.error is not None
        assert "check digit" in search.error

    def test_an_impossible_date_says_why(self):
        search = child_search_parse("31/02/2019")
        assert search.error == "31/02/2019 is not a real date: enter a date of birth like 27/03/2019"

    def test_punctuation_only_is_an_error(self):
        assert child_search_parse("!!!").error is not None

    def test_nothing_is_empty_not_an_error(self):
        search = child_search_parse("")
        assert search.is_empty
        assert search.error is None


@pytest.mark.django_db
class TestSearch:
    def test_finds_by_prefix_of_given_or_family_name(self, area):
        found = child_search(viewer=area.involved, search=child_search_parse("mor"))
        assert found == [area.child]
        assert child_search(viewer=area.involved, search=child_search_parse("av mor")) == [area.child]
        assert child_search(viewer=area.involved, search=child_search_parse("ava fletcher")) == []

    def test_finds_by_date_of_birth_and_nhs_number(self, area):
        assert area.child in child_search(viewer=area.involved, search=child_search_parse("27/03/2019"))
        assert child_search(viewer=area.involved, search=child_search_parse("943 476 5919")) == [area.child]

    def test_adults_are_not_found(self, area):
        AdultFactory(given_name="Ava", family_name="Morganson")
        assert child_search(viewer=area.involved, search=child_search_parse("morgan")) == [area.child]

    def test_each_result_says_whether_the_viewer_may_open_it_and_whom_to_contact(self, area):
        results = {
            c.pk: c for c in child_search(viewer=area.stranger, search=child_search_parse("27/03/2019"))
        }
        assert results[area.child.pk].visible is False
        assert results[area.child.pk].lead_agency_name == "Children's Social Care"
        assert results[area.unrelated_child.pk].lead_agency_phone == "01632 960107"
        mine = {
            c.pk: c.visible
            for c in child_search(viewer=area.involved, search=child_search_parse("27/03/2019"))
        }
        assert mine == {area.child.pk: True, area.unrelated_child.pk: False}


@pytest.mark.django_db
class TestMyChildren:
    def test_children_of_me_and_my_team_only(self, area):
        assert list(children_of_professional(viewer=area.involved)) == [area.child]
        assert list(children_of_professional(viewer=area.teammate)) == [area.child]
        assert list(children_of_professional(viewer=area.stranger)) == []
        assert list(children_of_professional(viewer=area.administrator)) == []


@pytest.mark.django_db
class TestOverview:
    def test_people_households_and_agencies_around_the_child(self, area):
        mother = AdultFactory(given_name="Kayleigh", family_name="Morgan")
        RelationshipFactory(
            from_person=mother, to_person=area.child, type="mother", parental_responsibility=True
        )
        sibling = ChildFactory(given_name="Tyler", family_name="Morgan")
        RelationshipFactory(
            from_person=area.child, to_person=sibling, type="sibling", parental_responsibility=False
        )
        main = HouseholdMemberFactory(person=area.child, main_home=True).household
        HouseholdMemberFactory(person=mother, household=main)
        HouseholdMemberFactory(person=area.child, household=HouseholdFactory(), main_home=False)
        InvolvementFactory(child=area.child, agency=area.school, role="School")

        overview = child_overview(child=area.child)

        assert [(p.person, p.relationship, p.parental_responsibility) for p in overview.people] == [
            (mother, "Mother", True),
            (sibling, "Sibling", False),
        ]
        assert [m.main_home for m in overview.households] == [True, False]
        assert overview.lead is not None
        assert overview.lead.professional == area.involved
        assert {i.agency for i in overview.involvements} == {area.social_care, area.school}
