"""improvement-not-sustained: in the graded care assessments (overall score, 1 best, 5 worst), a score
≥0.5 better than an earlier one followed by one ≥0.5 worse than it; high when it happens twice (episodes
counted without overlap, as the rule's docstring defines). Home conditions are a second history, read
alike."""

from lantern.screening.tests.builders import assessment, child, days_ago, run

CODE = "improvement-not-sustained"


def graded(*scores, template="graded-care"):
    """Graded care assessments 60 days apart, oldest first."""
    last = len(scores) - 1
    return tuple(assessment(days_ago(60 * (last - i)), score, template) for i, score in enumerate(scores))


class TestImprovementNotSustained:
    def test_better_by_exactly_half_then_worse_by_exactly_half(self):
        found = run(CODE, child(assessments=graded(4, 3.5, 4)))
        assert found is not None
        assert found.severity == "medium"
        assert len(found.evidence) == 3
        assert "improved from 4.00" in found.summary
        assert "to 3.50" in found.summary
        assert "worsened to 4.00" in found.summary

    def test_an_improvement_just_under_half(self):
        assert run(CODE, child(assessments=graded(4, 3.51, 4.5))) is None

    def test_a_deterioration_just_under_half(self):
        assert run(CODE, child(assessments=graded(4, 3.5, 3.99))) is None

    def test_worse_than_the_better_score_is_enough_not_back_to_the_earlier_one(self):
        assert run(CODE, child(assessments=graded(4, 3, 3.5))) is not None

    def test_the_lowest_score_after_the_improvement_is_the_one_to_fall_from(self):
        assert run(CODE, child(assessments=graded(4, 3, 2, 2.5))) is not None
        assert run(CODE, child(assessments=graded(4, 3, 2, 2.49))) is None

    def test_the_earlier_score_is_any_earlier_one(self):
        assert run(CODE, child(assessments=graded(4, 3.8, 3.6, 3.5, 4))) is not None

    def test_sustained_improvement(self):
        assert run(CODE, child(assessments=graded(4.5, 4, 3, 2.5, 2.5))) is None

    def test_twice_is_high(self):
        found = run(CODE, child(assessments=graded(4, 3, 4, 3, 4)))
        assert found is not None
        assert found.severity == "high"
        assert len(found.evidence) == 5  # the middle 4 ends the first episode and starts the second
        assert "2 times" in found.summary

    def test_twice_with_a_gap_between(self):
        found = run(CODE, child(assessments=graded(3, 2, 3, 3.2, 2.5, 3.1)))
        assert found is not None
        assert found.severity == "high"

    def test_once_then_improving_again_is_once(self):
        found = run(CODE, child(assessments=graded(4, 3, 4, 3)))
        assert found is not None
        assert found.severity == "medium"

    def test_overlapping_scores_are_one_episode_not_two(self):
        for scores in ((4, 3, 4, 4.5), (4, 3, 2, 3), (5, 4, 3, 4, 5), (4, 3.5, 3, 4)):
            found = run(CODE, child(assessments=graded(*scores)))
            assert found is not None, scores
            assert found.severity == "medium", scores

    def test_read_in_date_order_not_the_order_given(self):
        assert run(CODE, child(assessments=tuple(reversed(graded(4, 3.5, 4))))) is not None
        assert run(CODE, child(assessments=tuple(reversed(graded(4, 4.5, 4))))) is None

    def test_other_templates_are_not_read(self):
        assert run(CODE, child(assessments=graded(4, 3, 4, template="parenting-capacity"))) is None

    def test_home_conditions_are_a_history_of_their_own(self):
        found = run(CODE, child(home_conditions=graded(2, 1, 2, template="home-conditions")))
        assert found is not None
        assert found.summary.startswith("The home conditions score improved from 2.00")
        assert "0 is best, 3 worst" in found.summary
        assert run(CODE, child(home_conditions=graded(2, 1.51, 2, template="home-conditions"))) is None

    def test_graded_care_and_home_conditions_are_not_mixed(self):
        graded_care = (assessment(days_ago(120), 4, "graded-care"), assessment(days_ago(0), 4, "graded-care"))
        home = (assessment(days_ago(60), 1, "home-conditions"),)
        assert run(CODE, child(assessments=graded_care + home, home_conditions=home)) is None

    def test_home_conditions_are_read_from_the_household_not_the_childs_own_list(self):
        own = graded(2, 1, 2, template="home-conditions")
        assert run(CODE, child(assessments=own)) is None

    def test_both_histories_are_told_and_either_can_make_it_high(self):
        home = tuple(
            assessment(days_ago(10 + 60 * (4 - i)), score, "home-conditions")
            for i, score in enumerate((3, 2, 3, 2, 3))
        )
        found = run(CODE, child(assessments=graded(4, 3, 4), home_conditions=home))
        assert found is not None
        assert found.summary.startswith("The graded care score improved")
        assert ". The home conditions score improved" in found.summary
        assert found.severity == "high"
        assert len(found.evidence) == 8

    def test_fewer_than_three_assessments(self):
        assert run(CODE, child(assessments=graded(4, 3))) is None
        assert run(CODE, child()) is None
