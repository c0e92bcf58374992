"""dental-decay: an observation tagged dental-decay in the last 365 days."""

from lantern.screening.tests.builders import child, days_ago, event, run

CODE = "dental-decay"


def decay(n, *tags):
    return event("observation", days_ago(n), tags=tags or ("dental-decay",))


class TestDentalDecay:
    def test_on_the_screening_date(self):
        found = run(CODE, child(events=(decay(0),)))
        assert found is not None
        assert len(found.evidence) == 1
        assert "365 days" in found.summary

    def test_on_the_first_day_of_the_window(self):
        assert run(CODE, child(events=(decay(364),))) is not None

    def test_a_day_too_early(self):
        assert run(CODE, child(events=(decay(365),))) is None

    def test_other_tags_do_not_count(self):
        assert run(CODE, child(events=(decay(3, "hygiene", "nutrition"),))) is None
