"""repeat-plan: an open child protection plan for a child who had an earlier child protection plan."""

import datetime as dt

from lantern.screening.tests.builders import AS_OF, child, days_ago, plan, run

CODE = "repeat-plan"


def earlier(type_="child-protection"):
    return plan(type_, started=days_ago(900), ended=days_ago(600))


class TestRepeatPlan:
    def test_open_plan_after_an_earlier_one(self):
        before, now = earlier(), plan(started=days_ago(100))
        found = run(CODE, child(plans=(before, now)))
        assert found is not None
        assert found.evidence == tuple(sorted((before.ref, now.ref)))
        assert "1 earlier child protection plan" in found.summary

    def test_a_first_plan(self):
        assert run(CODE, child(plans=(plan(started=days_ago(100)),))) is None

    def test_an_earlier_plan_of_another_type_does_not_count(self):
        assert run(CODE, child(plans=(earlier("child-in-need"), plan(started=days_ago(100))))) is None

    def test_the_current_plan_must_be_child_protection(self):
        now = plan("child-in-need", started=days_ago(100), category="")
        assert run(CODE, child(plans=(earlier(), now))) is None

    def test_the_current_plan_must_be_open(self):
        assert run(CODE, child(plans=(earlier(), plan(started=days_ago(100), ended=days_ago(1))))) is None

    def test_a_plan_ended_after_the_screening_date_was_open_then(self):
        now = plan(started=days_ago(100), ended=AS_OF + dt.timedelta(days=1))
        assert run(CODE, child(plans=(earlier(), now))) is not None
