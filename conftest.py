"""Fixtures shared by every test: a small area with one child and professionals in each role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.management.commands import flush
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created

from lantern.agencies.models import Agency, Professional, Role, Team
from lantern.agencies.tests.factories import (
    AgencyFactory,
    InvolvementFactory,
    ProfessionalFactory,
    TeamFactory,
)
from lantern.core.append_only import ERASABLE_FUNCTION
from lantern.people.models import Person
from lantern.people.tests.factories import ChildFactory
from lantern.web.testing import BrowserClient


@pytest.fixture
def client() -> BrowserClient:
    """Django's test client enforcing CSRF, whose ``force_login`` includes the second factor."""
    return BrowserClient()


@dataclass
class Area:
    """One child, Ava, with social care leading; professionals standing in every relation to her."""

    child: Person
    social_care: Agency
    school: Agency
    team: Team
    other_team: Team
    involved: Professional  # the allocated social worker
    teammate: Professional  # same team as the allocated worker, not personally involved
    team_manager: Professional  # manages the allocated worker's team
    senior_manager: (
        Professional  # social care senior manager: reaches every child social care is involved with
    )
    stranger: Professional  # a practitioner in another team of the same agency
    stranger_manager: Professional  # manager of another team
    other_agency: Professional  # a practitioner in an agency not involved
    administrator: Professional
    auditor: Professional
    unrelated_child: Person  # a child nobody above is involved with; school leads


@pytest.fixture
def area(db: None) -> Area:
    social_care = AgencyFactory(
        name="Children's Social Care", type="social-care", contact_phone="01632 960101"
    )
    school = AgencyFactory(name="Oakfield Primary School", type="education", contact_phone="01632 960107")
    team = TeamFactory(agency=social_care, name="Child Protection Team")
    other_team = TeamFactory(agency=social_care, name="Assessment Team")
    child = ChildFactory(given_name="Ava", family_name="Morgan", nhs_number="9434765919")
    involved = ProfessionalFactory(name="Sam Okafor", agency=social_care, team=team)
    InvolvementFactory(child=child, agency=social_care, team=team, professional=involved, lead=True)
    unrelated_child = ChildFactory(given_name="Noah", family_name="Fletcher")
    InvolvementFactory(child=unrelated_child, agency=school, lead=True)
    return Area(
        child=child,
        social_care=social_care,
        school=school,
        team=team,
        other_team=other_team,
        involved=involved,
        teammate=ProfessionalFactory(agency=social_care, team=team),
        team_manager=ProfessionalFactory(agency=social_care, team=team, role=Role.MANAGER),
        senior_manager=ProfessionalFactory(agency=social_care, role=Role.SENIOR_MANAGER),
        stranger=ProfessionalFactory(agency=social_care, team=other_team),
        stranger_manager=ProfessionalFactory(agency=social_care, team=other_team, role=Role.MANAGER),
        other_agency=ProfessionalFactory(agency=AgencyFactory(name="Police", type="police")),
        administrator=ProfessionalFactory(agency=social_care, role=Role.ADMINISTRATOR),
        auditor=ProfessionalFactory(agency=social_care, role=Role.AUDITOR),
        unrelated_child=unrelated_child,
    )


# The append-only triggers (lantern/core/append_only.py) refuse DELETE on SQLite unless
# lantern_audit_erasable() answers 1: it does only while Django's flush empties the test database
# between transactional tests (PostgreSQL's flush truncates, which row triggers let pass).
_flushing = False


def _erasable_while_flushing() -> int:
    return int(_flushing)


def _register_erasable(sender: object, connection: BaseDatabaseWrapper, **kwargs: object) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(ERASABLE_FUNCTION, 0, _erasable_while_flushing)


connection_created.connect(_register_erasable, dispatch_uid="lantern-tests-erasable")


@pytest.fixture(autouse=True, scope="session")
def _flush_may_empty_append_only_tables() -> Iterator[None]:
    original = flush.Command.handle

    def handle(self: flush.Command, *args: object, **options: object) -> None:
        global _flushing
        _flushing = True
        try:
            original(self, *args, **options)
        finally:
            _flushing = False

    flush.Command.handle = handle  # type: ignore[method-assign]
    yield
    flush.Command.handle = original  # type: ignore[method-assign]
