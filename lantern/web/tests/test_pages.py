"""Pages render what they should, with a number of queries that does not grow with the data."""

import pytest
from django.urls import reverse

from lantern.agencies.tests.factories import InvolvementFactory
from lantern.people.models import HouseholdMember
from lantern.people.tests.factories import (
    AdultFactory,
    ChildFactory,
    HouseholdMemberFactory,
    RelationshipFactory,
    RiskFactorFactory,
)

pytestmark = pytest.mark.django_db


def _grow_caseload(area, children):
    for _ in range(children):
        child = ChildFactory(family_name="Morgan")
        InvolvementFactory(child=child, agency=area.social_care, team=area.team, professional=area.involved)


def _grow_family(area, people):
    membership = HouseholdMember.objects.filter(person=area.child).first()
    household = (membership or HouseholdMemberFactory(person=area.child)).household
    for _ in range(people):
        adult = AdultFactory()
        RiskFactorFactory(person=adult)
        RelationshipFactory(from_person=adult, to_person=area.child, type="carer")
        HouseholdMemberFactory(person=adult, household=household)
        InvolvementFactory(child=area.child, agency=area.school)


@pytest.mark.parametrize(
    ("page", "grow"),
    [
        ("my-children", _grow_caseload),
        ("search", _grow_caseload),
        ("child-overview", _grow_family),
    ],
)
def test_query_count_is_constant_as_data_grows(client, area, django_assert_num_queries, page, grow):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(area.involved)
    url = reverse(page, args=[area.child.ref]) if page == "child-overview" else reverse(page)
    if page == "search":
        url += "?q=Morgan"
    grow(area, 2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(area, 30)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


class TestSearchPage:
    def test_known_to_services_rows_do_not_link_to_the_record(self, client, area):
        client.force_login(area.stranger)
        page = client.get(reverse("search") + "?q=Morgan").content.decode()
        assert "Ava Morgan" in page
        assert "Known to services" in page
        assert reverse("child-overview", args=[area.child.ref]) not in page

    def test_own_children_link_to_the_record(self, client, area):
        client.force_login(area.involved)
        page = client.get(reverse("search") + "?q=Morgan").content.decode()
        assert reverse("child-overview", args=[area.child.ref]) in page

    def test_an_invalid_nhs_number_is_a_clear_error(self, client, area):
        client.force_login(area.involved)
        response = client.get(reverse("search") + "?q=9434765918")
        assert response.status_code == 400
        page = response.content.decode()
        assert "There is a problem" in page
        assert "check digit" in page
        assert "<title>Error:" in page

    def test_htmx_gets_only_the_results(self, client, area):
        client.force_login(area.involved)
        response = client.get(reverse("search") + "?q=Morgan", headers={"HX-Request": "true"})
        page = response.content.decode()
        assert "Ava Morgan" in page
        assert "<html" not in page


class TestOverviewPage:
    def test_shows_people_home_and_agencies(self, client, area):
        mother = AdultFactory(given_name="Kayleigh", family_name="Morgan")
        RelationshipFactory(
            from_person=mother, to_person=area.child, type="mother", parental_responsibility=True
        )
        RiskFactorFactory(person=mother, factor="domestic-abuse")
        HouseholdMemberFactory(person=area.child, main_home=True)
        client.force_login(area.involved)
        page = client.get(reverse("child-overview", args=[area.child.ref])).content.decode()
        for expected in [
            "Kayleigh Morgan",
            "Mother",
            "Domestic abuse",
            "Main home",
            "Children&#39;s Social Care",
            "Sam Okafor",
            "943 476 5919",
            "27 March 2019",
            "Lead",
        ]:
            assert expected in page, expected

    def test_warns_when_no_agency_leads(self, client, area):
        from lantern.agencies.models import Involvement

        Involvement.objects.filter(child=area.child).update(lead=False)
        client.force_login(area.involved)
        page = client.get(reverse("child-overview", args=[area.child.ref])).content.decode()
        assert "No agency is recorded as leading" in page

    def test_personal_data_is_not_cached(self, client, area):
        client.force_login(area.involved)
        response = client.get(reverse("child-overview", args=[area.child.ref]))
        assert response["Cache-Control"] == "no-store"
