"""``__among`` gives what ``__in`` gives, as one parameter, on SQLite and PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lantern.people.models import HouseholdMember, Person
from lantern.people.tests.factories import ChildFactory, HouseholdMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def children():
    return [ChildFactory() for _ in range(5)]


@pytest.mark.parametrize("pick", [slice(0, 1), slice(0, 5), slice(1, 4), slice(0, 0)])
def test_among_finds_what_in_finds(children, pick):
    ids = [c.pk for c in children[pick]]
    assert sorted(Person.objects.filter(pk__among=ids).values_list("pk", flat=True)) == sorted(ids)
    assert set(Person.objects.filter(pk__among=ids)) == set(Person.objects.filter(pk__in=ids))


def test_among_takes_a_long_list_as_one_parameter(children):
    ids = [c.pk for c in children] + list(range(10**9, 10**9 + 40_000))  # beyond SQLite's 32,766 variables
    with CaptureQueriesContext(connection) as queries:
        found = set(Person.objects.filter(pk__among=set(ids)).values_list("pk", flat=True))
    assert found == {c.pk for c in children}
    assert len(queries) == 1


def test_among_on_a_foreign_key_and_across_a_relation(children):
    member = HouseholdMemberFactory(person=children[2])
    HouseholdMemberFactory(person=children[3])
    assert list(HouseholdMember.objects.filter(person_id__among=[children[2].pk])) == [member]
    assert list(HouseholdMember.objects.filter(person__pk__among=[children[2].pk])) == [member]


def test_an_empty_list_runs_no_query(children):
    with CaptureQueriesContext(connection) as queries:
        assert list(Person.objects.filter(pk__among=[])) == []
    assert len(queries) == 0
