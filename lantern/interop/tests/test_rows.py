"""The import's plain rows: what ``RowWriter`` writes is what the ORM reads back, defaults included, and
``existing`` finds rows by key and condition (a flag as in the partial index's condition)."""

import datetime as dt

import pytest
from django.utils import timezone

from lantern.chronology.models import Event, EventTag
from lantern.interop.rows import RowWriter, existing
from lantern.people.models import Person
from lantern.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def test_rows_read_back_as_written_with_defaults():
    writer = RowWriter(
        Person,
        ["source", "source_id", "kind", "date_of_birth", "health_needs"],
        returning=("source_id", "id"),
    )
    returned = dict(
        writer.insert(
            [
                ("t", "p1", "child", dt.date(2020, 2, 29), ["asthma", 'Glasgow "é" ✓']),
                ("t", "p2", "adult", None, []),
            ]
        )
    )
    first = Person.objects.get(pk=returned["p1"])
    assert (first.kind, first.date_of_birth, first.health_needs) == (
        "child",
        dt.date(2020, 2, 29),
        ["asthma", 'Glasgow "é" ✓'],
    )
    assert first.given_name == "" and first.premature is False  # noqa: PT018  (the model's defaults)
    assert first.created_at is not None  # auto_now_add, as save() would set it
    second = Person.objects.get(pk=returned["p2"])
    assert (second.date_of_birth, second.health_needs) == (None, [])


def test_an_event_with_its_time_and_tags():
    child = ChildFactory()
    now = timezone.now()
    writer = RowWriter(
        Event,
        ["source", "source_id", "child_id", "type", "occurred_on", "occurred_time", "recorded_at"],
        returning=("source_id", "id"),
    )
    rows = [
        ("t", f"e{i}", child.pk, "observation", dt.date(2025, 1, i + 1), dt.time(9, i), now) for i in range(3)
    ]
    ids = dict(writer.insert(rows))
    RowWriter(EventTag, ["event_id", "tag"]).insert([(ids["e1"], "hunger")])
    event = Event.objects.get(pk=ids["e1"])
    assert (event.occurred_on, event.occurred_time, event.is_current) == (
        dt.date(2025, 1, 2),
        dt.time(9, 1),
        True,
    )
    assert event.recorded_at == now
    assert [t.tag for t in event.tags.all()] == ["hunger"]


def test_a_writer_refuses_a_column_the_model_does_not_have():
    with pytest.raises(ValueError, match="Person has no column shoe_size"):
        RowWriter(Person, ["source", "shoe_size"])


def test_many_rows_in_several_statements():
    writer = RowWriter(Person, ["source", "source_id", "kind"], returning=("source_id", "id"))
    returned = writer.insert([("t", f"p{i}", "adult") for i in range(2 * writer.per_statement + 3)])
    assert len(returned) == Person.objects.filter(source="t").count() == 2 * writer.per_statement + 3


@pytest.mark.parametrize(("current", "found"), [(True, ["x"]), (False, [])])
def test_existing_by_key_and_a_flag(current, found):
    child = ChildFactory()
    Event.objects.create(
        source="t", source_id="x", child=child, type="observation", occurred_on="2025-01-01",
        recorded_at=timezone.now(),
    )  # fmt: skip
    rows = existing(Event, "source_id", ["x", "y"], where={"source": "t", "is_current": current})
    assert [ref for ref, _ in rows] == found
    assert existing(Event, "source_id", ["x"], where={"source": "elsewhere", "is_current": True}) == []
