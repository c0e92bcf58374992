"""non-engagement: the family declined a referral or an early help offer in the last 365 days (info)."""

from lantern.screening.rules import RULES
from lantern.screening.tests.builders import child, days_ago, event, run

CODE = "non-engagement"


def referral(n, outcome="declined-by-family"):
    return event("referral", days_ago(n), outcome=outcome)


class TestNonEngagement:
    def test_declined_today(self):
        declined = referral(0)
        found = run(CODE, child(events=(declined,)))
        assert found is not None
        assert found.evidence == (declined.ref,)
        assert RULES[CODE].severity == "info"

    def test_declined_on_the_first_day_of_the_window(self):
        assert run(CODE, child(events=(referral(364),))) is not None

    def test_declined_a_day_before_the_window(self):
        assert run(CODE, child(events=(referral(365),))) is None

    def test_other_referral_outcomes(self):
        assert run(CODE, child(events=(referral(1, "accepted"), referral(2, "no-further-action")))) is None

    def test_only_referrals(self):
        noted = event("observation", days_ago(1), tags=("non-engagement",), outcome="declined-by-family")
        assert run(CODE, child(events=(noted,))) is None
