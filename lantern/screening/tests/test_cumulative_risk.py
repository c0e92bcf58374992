"""cumulative-risk: adults have ≥2 of domestic-abuse, substance-misuse, parental-mental-health (high), or
≥3 distinct risk factors of any kind (medium)."""

from lantern.screening.tests.builders import adult, child, run

CODE = "cumulative-risk"


class TestCumulativeRisk:
    def test_two_of_the_three_on_one_adult_is_high(self):
        mother = adult("domestic-abuse", "substance-misuse")
        found = run(CODE, child(adults=(mother, adult())))
        assert found is not None
        assert found.severity == "high"
        assert found.evidence == (mother.ref,)

    def test_two_of_the_three_across_two_adults_is_high(self):
        mother, father = adult("parental-mental-health"), adult("domestic-abuse", pr=False)
        found = run(CODE, child(adults=(mother, father)))
        assert found is not None
        assert found.severity == "high"
        assert found.evidence == tuple(sorted((mother.ref, father.ref)))

    def test_one_of_the_three_shared_by_two_adults_counts_once(self):
        adults = (adult("substance-misuse"), adult("substance-misuse"), adult("young-parent"))
        assert run(CODE, child(adults=adults)) is None

    def test_three_distinct_factors_of_any_kind_is_medium(self):
        adults = (adult("domestic-abuse", "young-parent"), adult("financial-hardship"))
        found = run(CODE, child(adults=adults))
        assert found is not None
        assert found.severity == "medium"
        assert "3 different risk factors" in found.summary
        assert len(found.evidence) == 2

    def test_two_distinct_factors_of_other_kinds(self):
        assert run(CODE, child(adults=(adult("postnatal-depression", "domestic-abuse"),))) is None

    def test_no_adults_or_no_factors(self):
        assert run(CODE, child()) is None
        assert run(CODE, child(adults=(adult(), adult()))) is None
