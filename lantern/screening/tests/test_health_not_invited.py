"""health-not-invited: a conference (initial or review), core group or team-around-the-family meeting in
the last 365 days with no health agency invited."""

from lantern.screening.tests.builders import child, days_ago, meeting, run

CODE = "health-not-invited"


class TestHealthNotInvited:
    def test_a_core_group_today_without_health(self):
        held = meeting("core-group", days_ago(0), invited=("social-care", "education"))
        found = run(CODE, child(meetings=(held,)))
        assert found is not None
        assert found.evidence == (held.ref,)

    def test_on_the_first_day_of_the_window(self):
        assert run(CODE, child(meetings=(meeting("core-group", days_ago(364)),))) is not None

    def test_a_day_before_the_window(self):
        assert run(CODE, child(meetings=(meeting("core-group", days_ago(365)),))) is None

    def test_every_kind_that_counts(self):
        for kind in ("initial-conference", "review-conference", "core-group", "team-around-the-family"):
            assert run(CODE, child(meetings=(meeting(kind, days_ago(10)),))) is not None, kind

    def test_a_strategy_discussion_does_not_count(self):
        assert run(CODE, child(meetings=(meeting("strategy-discussion", days_ago(10)),))) is None

    def test_health_invited(self):
        held = meeting("review-conference", days_ago(10), invited=("social-care", "health"))
        assert run(CODE, child(meetings=(held,))) is None

    def test_only_the_meetings_without_health_are_evidence(self):
        without = meeting("core-group", days_ago(30))
        found = run(CODE, child(meetings=(without, meeting("core-group", days_ago(10), invited=("health",)))))
        assert found is not None
        assert found.evidence == (without.ref,)
