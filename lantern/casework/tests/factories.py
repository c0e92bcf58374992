import datetime as dt

import factory

from lantern.casework.models import Meeting, Plan


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    source = "test"
    source_id = factory.Sequence(lambda n: f"p{n}")
    type = "child-protection"
    category = "neglect"
    started_on = dt.date(2026, 1, 5)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    source = "test"
    source_id = factory.Sequence(lambda n: f"g{n}")
    kind = "core-group"
    held_on = dt.date(2026, 1, 15)
