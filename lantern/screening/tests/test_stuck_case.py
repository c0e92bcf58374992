"""stuck-case: an open plan whose 2 most recent reviews recorded progress no-change or worse."""

import datetime as dt

from lantern.screening.tests.builders import AS_OF, child, days_ago, plan, review, run

CODE = "stuck-case"


def with_reviews(*reviews, type_="child-protection", **changes):
    return child(plans=(plan(type_, started=days_ago(400), reviews=reviews, **changes),))


class TestStuckCase:
    def test_the_two_latest_reviews_no_change_then_worse(self):
        older, latest = review(days_ago(100), "no-change"), review(days_ago(10), "worse")
        found = with_reviews(older, latest)
        result = run(CODE, found)
        assert result is not None
        assert set(result.evidence) == {found.plans[0].ref, older.ref, latest.ref}

    def test_one_review_alone_is_not_enough(self):
        assert run(CODE, with_reviews(review(days_ago(10), "worse"))) is None

    def test_improvement_at_the_latest_review_is_not_stuck(self):
        reviews = (
            review(days_ago(200), "no-change"),
            review(days_ago(100), "no-change"),
            review(days_ago(10), "improved"),
        )
        assert run(CODE, with_reviews(*reviews)) is None

    def test_an_earlier_improvement_does_not_hide_the_two_latest(self):
        earlier = review(days_ago(200), "improved")
        found = run(
            CODE, with_reviews(earlier, review(days_ago(100), "no-change"), review(days_ago(10), "no-change"))
        )
        assert found is not None
        assert earlier.ref not in found.evidence

    def test_the_latest_are_found_by_date_not_by_order_given(self):
        stuck = (
            review(days_ago(10), "no-change"),
            review(days_ago(300), "improved"),
            review(days_ago(100), "worse"),
        )
        assert run(CODE, with_reviews(*stuck)) is not None
        moving = (
            review(days_ago(10), "improved"),
            review(days_ago(100), "no-change"),
            review(days_ago(200), "worse"),
        )
        assert run(CODE, with_reviews(*moving)) is None

    def test_any_kind_of_plan(self):
        reviews = (review(days_ago(100), "worse"), review(days_ago(10), "worse"))
        assert run(CODE, with_reviews(*reviews, type_="child-in-need", category="")) is not None

    def test_an_ended_plan_is_not_open(self):
        reviews = (review(days_ago(100), "worse"), review(days_ago(10), "worse"))
        assert run(CODE, with_reviews(*reviews, ended=days_ago(1))) is None

    def test_a_plan_ended_after_the_screening_date_was_open_then(self):
        reviews = (review(days_ago(100), "worse"), review(days_ago(10), "worse"))
        assert run(CODE, with_reviews(*reviews, ended=AS_OF + dt.timedelta(days=1))) is not None
