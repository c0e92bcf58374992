"""parental-history-missing: open neglect plan and no adult with parental responsibility has their own
childhood history recorded."""

from lantern.screening.tests.builders import adult, child, days_ago, plan, run

CODE = "parental-history-missing"


def on_neglect_plan(*adults, **changes):
    return child(plans=(plan(started=days_ago(100), **changes),), adults=adults)


class TestParentalHistoryMissing:
    def test_no_parent_has_a_history(self):
        facts = on_neglect_plan(adult(), adult())
        found = run(CODE, facts)
        assert found is not None
        assert found.evidence == (facts.plans[0].ref,)
        assert "2 adults" in found.summary

    def test_one_parent_with_a_history_is_enough(self):
        assert run(CODE, on_neglect_plan(adult(), adult(history=True))) is None

    def test_a_household_adult_without_parental_responsibility_does_not_count(self):
        assert run(CODE, on_neglect_plan(adult(), adult(pr=False, history=True))) is not None

    def test_no_adult_with_parental_responsibility_recorded_at_all(self):
        found = run(CODE, on_neglect_plan(adult(pr=False, history=True)))
        assert found is not None
        assert "no adult with parental responsibility" in found.summary

    def test_any_plan_type_with_category_neglect(self):
        assert run(CODE, on_neglect_plan(adult(), type_="child-in-need")) is not None

    def test_other_categories_do_not_count(self):
        assert run(CODE, on_neglect_plan(adult(), category="emotional")) is None

    def test_an_ended_plan_is_not_open(self):
        assert run(CODE, on_neglect_plan(adult(), ended=days_ago(1))) is None
