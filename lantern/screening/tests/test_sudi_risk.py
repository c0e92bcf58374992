"""sudi-risk: child under 1 with an observation tagged unsafe-sleep in the last 180 days, or adults have
substance-misuse and the child has a neglect-tagged observation in the last 180 days (both limbs about
infants)."""

from lantern.screening.tests.builders import adult, child, days_ago, event, run

CODE = "sudi-risk"
BABY = days_ago(364)  # 1 year old tomorrow


def observed(n, *tags):
    return event("observation", days_ago(n), tags=tags)


class TestSudiRisk:
    def test_unsafe_sleep_today(self):
        seen = observed(0, "unsafe-sleep")
        found = run(CODE, child(born=BABY, events=(seen,)))
        assert found is not None
        assert found.evidence == (seen.ref,)
        assert "unsafe sleep" in found.summary

    def test_unsafe_sleep_on_the_first_day_of_the_window(self):
        assert run(CODE, child(born=BABY, events=(observed(179, "unsafe-sleep"),))) is not None

    def test_unsafe_sleep_a_day_before_the_window(self):
        assert run(CODE, child(born=BABY, events=(observed(180, "unsafe-sleep"),))) is None

    def test_a_child_of_exactly_1_is_not_under_1(self):
        assert run(CODE, child(born=days_ago(365), events=(observed(0, "unsafe-sleep"),))) is None

    def test_an_unborn_child(self):
        assert run(CODE, child(born=None, due=days_ago(-30), events=(observed(0, "unsafe-sleep"),))) is None

    def test_substance_misuse_and_a_neglect_observation(self):
        seen = observed(179, "hygiene")
        found = run(CODE, child(born=BABY, events=(seen,), adults=(adult("substance-misuse", pr=False),)))
        assert found is not None
        assert found.evidence == (seen.ref,)
        assert "substance misuse" in found.summary

    def test_substance_misuse_and_a_neglect_observation_a_day_before_the_window(self):
        facts = child(born=BABY, events=(observed(180, "nutrition"),), adults=(adult("substance-misuse"),))
        assert run(CODE, facts) is None

    def test_a_neglect_observation_without_substance_misuse(self):
        facts = child(born=BABY, events=(observed(1, "physical-neglect"),), adults=(adult("domestic-abuse"),))
        assert run(CODE, facts) is None

    def test_substance_misuse_with_an_observation_that_is_not_of_neglect(self):
        facts = child(born=BABY, events=(observed(1, "injury"),), adults=(adult("substance-misuse"),))
        assert run(CODE, facts) is None

    def test_substance_misuse_and_neglect_for_an_older_child(self):
        facts = child(
            born=days_ago(365), events=(observed(1, "hygiene"),), adults=(adult("substance-misuse"),)
        )
        assert run(CODE, facts) is None
