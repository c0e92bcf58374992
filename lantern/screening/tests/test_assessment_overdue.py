"""assessment-overdue: open plan with category neglect and no graded care assessment in the last 365 days."""

from lantern.screening.tests.builders import assessment, child, days_ago, plan, run

CODE = "assessment-overdue"


def neglect_plan(*assessments, **changes):
    return child(plans=(plan(started=days_ago(500), **changes),), assessments=assessments)


class TestAssessmentOverdue:
    def test_never_assessed(self):
        found = run(CODE, neglect_plan())
        assert found is not None
        assert "never" in found.summary

    def test_assessed_on_the_first_day_of_the_window(self):
        assert run(CODE, neglect_plan(assessment(days_ago(364), 3))) is None

    def test_assessed_on_the_screening_date(self):
        assert run(CODE, neglect_plan(assessment(days_ago(0), 3))) is None

    def test_assessed_a_day_before_the_window(self):
        last = assessment(days_ago(365), 3)
        found = run(CODE, neglect_plan(last))
        assert found is not None
        assert last.ref in found.evidence
        assert "365 days ago" in found.summary

    def test_another_template_does_not_count(self):
        assert run(CODE, neglect_plan(assessment(days_ago(10), 3, template="home-conditions"))) is not None

    def test_any_plan_type_with_category_neglect(self):
        assert run(CODE, neglect_plan(type_="child-in-need")) is not None

    def test_other_categories_do_not_count(self):
        assert run(CODE, neglect_plan(category="physical")) is None

    def test_an_ended_plan_is_not_open(self):
        assert run(CODE, neglect_plan(ended=days_ago(1))) is None
