import datetime as dt

import pytest

from lantern.chronology.chart import chronology_chart
from lantern.chronology.models import Event

pytestmark = pytest.mark.django_db


def _event(child, agency, on, significance="routine", type_="observation", n=[0]):  # noqa: B006
    n[0] += 1
    return Event.objects.create(
        source="t",
        source_id=f"chart{n[0]}",
        child=child,
        agency=agency,
        type=type_,
        occurred_on=on,
        recorded_at="2026-01-01T00:00Z",
        significance=significance,
    )


class TestChart:
    def test_months_by_agency_with_the_most_significant_event_of_each_month(self, area):
        _event(area.child, area.school, dt.date(2026, 1, 5))
        _event(area.child, area.school, dt.date(2026, 1, 20), "key")
        _event(area.child, area.social_care, dt.date(2026, 3, 2), "significant")
        chart = chronology_chart(child=area.child)
        assert chart.monthly
        assert chart.rows == ["Children's Social Care", "Oakfield Primary School"]
        assert [c.isoformat() for c in chart.columns] == ["2026-01-01", "2026-02-01", "2026-03-01"]
        marks = {m.label: m.significance for m in chart.marks()}
        assert marks == {
            "Oakfield Primary School, Jan 2026: 2 events (1 key)": "key",
            "Children's Social Care, Mar 2026: 1 event": "significant",
        }
        assert (
            chart.description()
            == "3 events from January 2026 to March 2026, 1 of them a key event, in 2 rows by agency."
        )

    def test_long_histories_are_drawn_by_year_and_the_table_says_the_same(self, area):
        _event(area.child, area.school, dt.date(2019, 6, 1))
        _event(area.child, area.school, dt.date(2026, 6, 1))
        _event(area.child, area.school, dt.date(2026, 7, 1), type_="appointment")
        chart = chronology_chart(child=area.child, by="type")
        assert not chart.monthly
        assert len(chart.columns) == 8
        headers, body = chart.table()
        assert headers[0] == "2019"
        assert headers[-1] == "2026"
        assert dict(body)["Observation"][0] == 1
        assert dict(body)["Observation"][-1] == 1
        assert dict(body)["Appointment"][-1] == 1

    def test_superseded_events_are_not_drawn(self, area):
        old = _event(area.child, area.school, dt.date(2026, 1, 5))
        Event.objects.filter(pk=old.pk).update(is_current=False)
        assert chronology_chart(child=area.child).rows == []

    def test_a_month_of_many_events_stays_inside_its_row(self, area):
        for day in range(1, 29):
            _event(area.child, area.school, dt.date(2026, 2, day))
        (mark,) = chronology_chart(child=area.child).marks()
        assert mark.count == 28
        assert mark.size <= 15
