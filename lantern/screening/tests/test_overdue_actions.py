"""overdue-actions: a plan action not done whose due date is ≥28 days past (open plans only)."""

import datetime as dt

from lantern.screening.tests.builders import AS_OF, action, child, days_ago, plan, run

CODE = "overdue-actions"


def on_plan(*actions, **changes):
    return child(plans=(plan(started=days_ago(200), actions=actions, **changes),))


class TestOverdueActions:
    def test_due_exactly_28_days_ago_and_not_done(self):
        late = action(days_ago(28))
        found = run(CODE, on_plan(late))
        assert found is not None
        assert found.evidence == (late.ref,)
        assert "28 days" in found.summary

    def test_due_27_days_ago_is_not_yet_overdue(self):
        assert run(CODE, on_plan(action(days_ago(27)))) is None

    def test_done_actions_never_count(self):
        assert run(CODE, on_plan(action(days_ago(100), done=days_ago(1)))) is None

    def test_only_the_overdue_actions_are_evidence_and_counted(self):
        late, later = action(days_ago(60)), action(days_ago(28))
        found = run(CODE, on_plan(late, later, action(days_ago(27)), action(days_ago(90), done=days_ago(80))))
        assert found is not None
        assert found.evidence == tuple(sorted((late.ref, later.ref)))
        assert found.summary.startswith("2 plan actions")
        assert "60 days ago" in found.summary

    def test_an_ended_plan_is_not_open(self):
        assert run(CODE, on_plan(action(days_ago(100)), ended=days_ago(1))) is None

    def test_a_plan_ending_on_the_screening_date_is_not_open_then(self):
        assert run(CODE, on_plan(action(days_ago(100)), ended=AS_OF)) is None

    def test_a_plan_ended_after_the_screening_date_was_open_then(self):
        assert run(CODE, on_plan(action(days_ago(100)), ended=AS_OF + dt.timedelta(days=1))) is not None
