"""emotional-neglect-pattern: ≥3 observations tagged emotional-neglect from ≥2 agencies in the last 180
days."""

from lantern.screening.tests.builders import child, days_ago, event, run

CODE = "emotional-neglect-pattern"


def observation(n, agency="t:school", *tags):
    return event("observation", days_ago(n), agency=agency, tags=tags or ("emotional-neglect",))


class TestEmotionalNeglectPattern:
    def test_three_from_two_agencies_in_the_window_including_its_first_day(self):
        events = (observation(0), observation(90, "t:hv"), observation(179))
        found = run(CODE, child(events=events))
        assert found is not None
        assert len(found.evidence) == 3
        assert "3 observations of emotional neglect from 2 agencies in the last 180 days" in found.summary

    def test_the_third_a_day_too_early(self):
        events = (observation(0), observation(90, "t:hv"), observation(180))
        assert run(CODE, child(events=events)) is None

    def test_two_are_not_enough(self):
        assert run(CODE, child(events=(observation(0), observation(5, "t:hv")))) is None

    def test_three_from_one_agency_are_not_enough(self):
        assert run(CODE, child(events=(observation(0), observation(5), observation(9)))) is None

    def test_an_observation_with_no_agency_is_not_a_second_agency(self):
        assert run(CODE, child(events=(observation(0), observation(5), observation(9, "")))) is None
        assert (
            run(CODE, child(events=(observation(0), observation(5, "t:gp"), observation(9, "")))) is not None
        )

    def test_other_neglect_tags_do_not_count(self):
        events = (observation(0), observation(5, "t:hv"), observation(9, "t:gp", "physical-neglect"))
        assert run(CODE, child(events=events)) is None
