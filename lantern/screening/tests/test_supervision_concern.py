"""supervision-concern: ≥2 observations tagged inadequate-supervision or left-with-unsuitable-carer in the
last 365 days."""

from lantern.screening.tests.builders import child, days_ago, event, run

CODE = "supervision-concern"


def observation(n, *tags):
    return event("observation", days_ago(n), tags=tags or ("inadequate-supervision",))


class TestSupervisionConcern:
    def test_two_in_the_window_including_its_first_day(self):
        found = run(CODE, child(events=(observation(0), observation(364))))
        assert found is not None
        assert len(found.evidence) == 2
        assert "365 days" in found.summary

    def test_the_second_a_day_too_early(self):
        assert run(CODE, child(events=(observation(0), observation(365)))) is None

    def test_one_is_not_enough(self):
        assert run(CODE, child(events=(observation(3),))) is None

    def test_either_tag_counts(self):
        events = (observation(3, "left-with-unsuitable-carer"), observation(30, "inadequate-supervision"))
        assert run(CODE, child(events=events)) is not None

    def test_one_observation_with_both_tags_is_one_observation(self):
        both = observation(3, "left-with-unsuitable-carer", "inadequate-supervision")
        assert run(CODE, child(events=(both,))) is None

    def test_other_tags_do_not_count(self):
        assert run(CODE, child(events=(observation(3), observation(4, "hygiene")))) is None
