"""What ``child_facts`` reads from the database: professionals named as ``Professional.ref`` names them."""

import datetime as dt

import pytest

from lantern.agencies.tests.factories import AgencyFactory, ProfessionalFactory
from lantern.casework.models import Plan
from lantern.chronology.models import Event
from lantern.people.tests.factories import ChildFactory
from lantern.screening.facts import child_facts

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 1)


@pytest.mark.parametrize(
    ("source", "source_id"), [("la", "sw7"), ("", "")], ids=["imported", "made in Lantern"]
)
def test_plan_leads_and_event_workers(source, source_id):
    child = ChildFactory()
    worker = ProfessionalFactory(source=source, source_id=source_id)
    plan = Plan.objects.create(
        source="t", source_id="p1", type="child-protection", category="neglect",
        started_on=dt.date(2026, 1, 1), lead_professional=worker,
    )  # fmt: skip
    plan.children.add(child)
    Plan.objects.create(
        source="t", source_id="p2", type="child-in-need", started_on=dt.date(2026, 2, 1)
    ).children.add(child)
    Event.objects.create(
        source="t", source_id="e1", child=child, agency=AgencyFactory(), type="supervision",
        occurred_on=dt.date(2026, 10, 1), recorded_at="2026-10-01T09:00Z", worker=worker,
    )  # fmt: skip

    facts = child_facts([child.pk], as_of=AS_OF)[child.pk]

    assert worker.ref == (f"{source}:{source_id}" if source else f"lantern:{worker.username}")
    assert [(p.ref, p.lead_professional) for p in facts.plans] == [("t:p1", worker.ref), ("t:p2", "")]
    assert [e.worker for e in facts.events] == [worker.ref]
    assert facts.ref == child.ref
