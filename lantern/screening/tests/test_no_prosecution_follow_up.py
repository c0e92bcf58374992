"""no-prosecution-follow-up: a criminal case about the child ended in no-prosecution and no strategy
discussion or open child protection plan followed within 30 days.

"Within 30 days" is the 30 days that begin with the decision day (day 0 to day 29 after it). Until they
have run out at the screening date there is still time, so nothing is raised; from day 30 it is raised if
nothing followed. A child protection plan open on any of those days counts, including one already open at
the decision.
"""

from lantern.screening.tests.builders import child, days_ago, event, meeting, plan, run

CODE = "no-prosecution-follow-up"


def decided(n, outcome="no-prosecution"):
    return event("criminal-case", days_ago(n), outcome=outcome)


class TestNoProsecutionFollowUp:
    def test_nothing_followed_in_the_30_days(self):
        case = decided(30)
        found = run(CODE, child(events=(case,)))
        assert found is not None
        assert found.evidence == (case.ref,)
        assert "30 days" in found.summary

    def test_the_30_days_have_not_run_out_yet(self):
        assert run(CODE, child(events=(decided(29),))) is None

    def test_a_strategy_discussion_on_the_last_day_of_the_30(self):
        held = meeting("strategy-discussion", days_ago(1))
        assert run(CODE, child(events=(decided(30),), meetings=(held,))) is None

    def test_a_strategy_discussion_a_day_too_late(self):
        held = meeting("strategy-discussion", days_ago(1))
        assert run(CODE, child(events=(decided(31),), meetings=(held,))) is not None

    def test_a_strategy_discussion_on_the_decision_day(self):
        held = meeting("strategy-discussion", days_ago(40))
        assert run(CODE, child(events=(decided(40),), meetings=(held,))) is None

    def test_a_strategy_discussion_before_the_decision_did_not_follow_it(self):
        held = meeting("strategy-discussion", days_ago(41))
        assert run(CODE, child(events=(decided(40),), meetings=(held,))) is not None

    def test_other_meetings_are_not_strategy_discussions(self):
        held = meeting("core-group", days_ago(35))
        assert run(CODE, child(events=(decided(40),), meetings=(held,))) is not None

    def test_a_child_protection_plan_started_on_the_last_day_of_the_30(self):
        assert run(CODE, child(events=(decided(40),), plans=(plan(started=days_ago(11)),))) is None

    def test_a_child_protection_plan_started_a_day_too_late(self):
        assert run(CODE, child(events=(decided(40),), plans=(plan(started=days_ago(10)),))) is not None

    def test_a_child_protection_plan_already_open_at_the_decision(self):
        assert run(CODE, child(events=(decided(40),), plans=(plan(started=days_ago(100)),))) is None

    def test_a_child_protection_plan_ended_before_the_decision(self):
        ended = plan(started=days_ago(300), ended=days_ago(41))
        assert run(CODE, child(events=(decided(40),), plans=(ended,))) is not None

    def test_a_child_protection_plan_ending_on_the_decision_day_was_not_open_then(self):
        ended = plan(started=days_ago(300), ended=days_ago(40))
        assert run(CODE, child(events=(decided(40),), plans=(ended,))) is not None

    def test_a_plan_of_another_type_does_not_count(self):
        cin = plan("child-in-need", started=days_ago(35), category="")
        assert run(CODE, child(events=(decided(40),), plans=(cin,))) is not None

    def test_other_outcomes(self):
        assert run(CODE, child(events=(decided(40, "charged"), decided(40, "under-investigation")))) is None

    def test_only_the_cases_without_follow_up_are_evidence(self):
        old, followed = decided(400), decided(40)
        held = meeting("strategy-discussion", days_ago(39))
        found = run(CODE, child(events=(old, followed), meetings=(held,)))
        assert found is not None
        assert found.evidence == (old.ref,)
