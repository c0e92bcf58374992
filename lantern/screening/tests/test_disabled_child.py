"""disabled-child: child with a recorded disability and an open neglect plan or a neglect-tagged
observation in the last 365 days."""

from lantern.screening.rules import RULES
from lantern.screening.tests.builders import child, days_ago, event, plan, run

CODE = "disabled-child"
DISABLED = ("autism",)


def observed(n, *tags):
    return event("observation", days_ago(n), tags=tags)


class TestDisabledChild:
    def test_on_an_open_neglect_plan(self):
        facts = child(disabilities=DISABLED, plans=(plan(started=days_ago(30)),))
        found = run(CODE, facts)
        assert found is not None
        assert found.evidence == (facts.plans[0].ref,)
        assert "autism" in found.summary
        assert RULES[CODE].procedure == "abuse-of-disabled-children"

    def test_without_a_recorded_disability(self):
        assert run(CODE, child(plans=(plan(started=days_ago(30)),), events=(observed(0, "hygiene"),))) is None

    def test_a_neglect_observation_today(self):
        assert run(CODE, child(disabilities=DISABLED, events=(observed(0, "hygiene"),))) is not None

    def test_a_neglect_observation_on_the_first_day_of_the_window(self):
        assert (
            run(CODE, child(disabilities=DISABLED, events=(observed(364, "emotional-neglect"),))) is not None
        )

    def test_a_neglect_observation_a_day_before_the_window(self):
        assert run(CODE, child(disabilities=DISABLED, events=(observed(365, "emotional-neglect"),))) is None

    def test_an_observation_that_is_not_of_neglect(self):
        assert run(CODE, child(disabilities=DISABLED, events=(observed(1, "injury"),))) is None

    def test_a_plan_of_another_category(self):
        assert (
            run(CODE, child(disabilities=DISABLED, plans=(plan(started=days_ago(30), category="physical"),)))
            is None
        )

    def test_an_ended_neglect_plan(self):
        ended = plan(started=days_ago(300), ended=days_ago(1))
        assert run(CODE, child(disabilities=DISABLED, plans=(ended,))) is None
