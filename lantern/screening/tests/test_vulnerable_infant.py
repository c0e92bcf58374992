"""vulnerable-infant: child under 1 (under 2 if premature or with ongoing health needs) and ≥1 risk factor
on an adult (with parental responsibility, or in the household: the facts hold only those)."""

import datetime as dt

from lantern.screening.tests.builders import adult, child, run

CODE = "vulnerable-infant"
ELEVEN_MONTHS = dt.date(2025, 11, 2)  # 11 months and 30 days on the screening date, 2026-11-01
ONE_YEAR = dt.date(2025, 11, 1)
TWENTY_THREE_MONTHS = dt.date(2024, 11, 2)
TWO_YEARS = dt.date(2024, 11, 1)


class TestVulnerableInfant:
    def test_a_baby_just_under_one_with_a_risk_factor_on_a_parent(self):
        mother = adult("substance-misuse")
        found = run(CODE, child(born=ELEVEN_MONTHS, adults=(mother, adult())))
        assert found is not None
        assert found.evidence == (mother.ref,)
        assert "under 12 months" in found.summary
        assert "substance misuse" in found.summary

    def test_a_child_of_one(self):
        assert run(CODE, child(born=ONE_YEAR, adults=(adult("substance-misuse"),))) is None

    def test_no_risk_factor(self):
        assert run(CODE, child(born=ELEVEN_MONTHS, adults=(adult(), adult()))) is None

    def test_an_adult_in_the_household_without_parental_responsibility_counts(self):
        partner = adult("domestic-abuse", pr=False)
        assert run(CODE, child(born=ELEVEN_MONTHS, adults=(adult(), partner))) is not None

    def test_premature_just_under_two(self):
        found = run(CODE, child(born=TWENTY_THREE_MONTHS, premature=True, adults=(adult("young-parent"),)))
        assert found is not None
        assert "premature" in found.summary

    def test_premature_at_two(self):
        assert run(CODE, child(born=TWO_YEARS, premature=True, adults=(adult("young-parent"),))) is None

    def test_ongoing_health_needs_just_under_two(self):
        baby = child(
            born=TWENTY_THREE_MONTHS, health_needs=("cystic-fibrosis",), adults=(adult("homelessness"),)
        )
        assert run(CODE, baby) is not None

    def test_ongoing_health_needs_at_two(self):
        baby = child(born=TWO_YEARS, health_needs=("cystic-fibrosis",), adults=(adult("homelessness"),))
        assert run(CODE, baby) is None

    def test_neither_premature_nor_unwell_at_twenty_three_months(self):
        assert run(CODE, child(born=TWENTY_THREE_MONTHS, adults=(adult("young-parent"),))) is None

    def test_an_unborn_child_is_for_pre_birth_risk(self):
        unborn = child(born=None, due=dt.date(2027, 1, 1), adults=(adult("substance-misuse"),))
        assert run(CODE, unborn) is None
