"""review-overdue: open child protection plan with no review within 92 days of its start, or later within
183 days of the last review (overdue from day 93 after the start with no review, or day 184 after the last
one)."""

from lantern.screening.tests.builders import child, days_ago, plan, review, run

CODE = "review-overdue"


def cp(started, *reviews, type_="child-protection", **changes):
    return child(plans=(plan(type_, started=started, reviews=reviews, **changes),))


class TestReviewOverdue:
    def test_no_review_92_days_after_the_start_is_still_in_time(self):
        assert run(CODE, cp(days_ago(92))) is None

    def test_no_review_93_days_after_the_start_is_overdue(self):
        facts = cp(days_ago(93))
        found = run(CODE, facts)
        assert found is not None
        assert found.evidence == (facts.plans[0].ref,)
        assert "93 days" in found.summary

    def test_last_review_183_days_ago_is_still_in_time(self):
        assert run(CODE, cp(days_ago(400), review(days_ago(183), "improved"))) is None

    def test_last_review_184_days_ago_is_overdue(self):
        last = review(days_ago(184), "improved")
        found = run(CODE, cp(days_ago(400), review(days_ago(300), "no-change"), last))
        assert found is not None
        assert last.ref in found.evidence
        assert "184 days" in found.summary

    def test_the_last_review_counts_whatever_the_order_given(self):
        assert (
            run(CODE, cp(days_ago(400), review(days_ago(10), "improved"), review(days_ago(200), "worse")))
            is None
        )

    def test_a_late_first_review_then_in_time(self):
        assert run(CODE, cp(days_ago(150), review(days_ago(10), "improved"))) is None

    def test_only_child_protection_plans(self):
        assert run(CODE, cp(days_ago(400), type_="child-in-need", category="")) is None
        assert run(CODE, cp(days_ago(400), type_="early-help", category="")) is None

    def test_an_ended_plan_is_not_open(self):
        assert run(CODE, cp(days_ago(400), ended=days_ago(1))) is None
