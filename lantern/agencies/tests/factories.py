from __future__ import annotations

import datetime as dt
import functools

import factory
from django.contrib.auth.hashers import make_password

from lantern.agencies.models import Agency, Involvement, Professional, Role, Team
from lantern.people.tests.factories import ChildFactory


@functools.cache
def _password_hash() -> str:
    return make_password("correct horse battery")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    source = "test"
    source_id = factory.Sequence(lambda n: f"agency{n}")
    name = factory.Sequence(lambda n: f"Test Agency {n}")
    type = "social-care"
    contact_phone = "01632 960000"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class ProfessionalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Professional
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"professional{n}")
    name = factory.Sequence(lambda n: f"Professional {n}")
    agency = factory.SubFactory(AgencyFactory)
    team = None
    role = Role.PRACTITIONER
    # Hashed once (Argon2 is slow by design), shared by every test professional.
    password = factory.LazyFunction(lambda: _password_hash())


class InvolvementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Involvement

    source = "test"
    source_id = factory.Sequence(lambda n: f"i{n}")
    child = factory.SubFactory(ChildFactory)
    agency = factory.SubFactory(AgencyFactory)
    professional = None
    started_on = dt.date(2026, 1, 1)
