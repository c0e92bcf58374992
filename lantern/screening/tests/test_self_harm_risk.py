"""self-harm-risk: child aged ≥11 with an observation tagged self-harm or suicidal-ideation, and an open
neglect plan or any neglect-tagged observation, in the last 2 years (730 days) — the window holds both
observations."""

import datetime as dt

from lantern.screening.rules import RULES
from lantern.screening.tests.builders import child, days_ago, event, plan, run

CODE = "self-harm-risk"
ELEVEN = dt.date(2015, 11, 1)  # 11 on the screening date, 2026-11-01
NEARLY_ELEVEN = dt.date(2015, 11, 2)


def observation(n, *tags):
    return event("observation", days_ago(n), tags=tags)


def neglect_plan(**fields):
    return plan(started=days_ago(200), **fields)


class TestSelfHarmRisk:
    def test_self_harm_and_a_neglect_observation(self):
        harm, neglect = observation(0, "self-harm"), observation(729, "physical-neglect")
        found = run(CODE, child(born=ELEVEN, events=(harm, neglect)))
        assert found is not None
        assert set(found.evidence) == {harm.ref, neglect.ref}
        assert "aged 11" in found.summary
        assert RULES[CODE].severity == "urgent"

    def test_ten_is_too_young(self):
        events = (observation(0, "self-harm"), observation(5, "emotional-neglect"))
        assert run(CODE, child(born=NEARLY_ELEVEN, events=events)) is None

    def test_suicidal_ideation_counts(self):
        events = (observation(0, "suicidal-ideation"), observation(5, "hygiene"))
        assert run(CODE, child(born=ELEVEN, events=events)) is not None

    def test_a_neglect_observation_a_day_too_early(self):
        events = (observation(0, "self-harm"), observation(730, "physical-neglect"))
        assert run(CODE, child(born=ELEVEN, events=events)) is None

    def test_self_harm_a_day_too_early(self):
        events = (observation(730, "self-harm"), observation(5, "physical-neglect"))
        assert run(CODE, child(born=ELEVEN, events=events)) is None

    def test_one_observation_can_be_both(self):
        assert (
            run(CODE, child(born=ELEVEN, events=(observation(3, "self-harm", "emotional-neglect"),)))
            is not None
        )

    def test_self_harm_on_an_open_neglect_plan(self):
        open_plan = neglect_plan()
        found = run(CODE, child(born=ELEVEN, events=(observation(3, "self-harm"),), plans=(open_plan,)))
        assert found is not None
        assert open_plan.ref in found.evidence
        assert "neglect plan" in found.summary

    def test_a_plan_for_another_category_is_not_a_neglect_plan(self):
        other = neglect_plan(category="emotional-abuse")
        assert run(CODE, child(born=ELEVEN, events=(observation(3, "self-harm"),), plans=(other,))) is None

    def test_an_ended_neglect_plan_is_not_open(self):
        ended = neglect_plan(ended=days_ago(1))
        assert run(CODE, child(born=ELEVEN, events=(observation(3, "self-harm"),), plans=(ended,))) is None

    def test_self_harm_alone(self):
        assert run(CODE, child(born=ELEVEN, events=(observation(3, "self-harm", "injury"),))) is None

    def test_neglect_alone(self):
        assert (
            run(CODE, child(born=ELEVEN, events=(observation(3, "nutrition"),), plans=(neglect_plan(),)))
            is None
        )
