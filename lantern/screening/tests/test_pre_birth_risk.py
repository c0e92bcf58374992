"""pre-birth-risk: unborn child and ≥1 risk factor on an expectant parent (an adult with parental
responsibility)."""

import datetime as dt

from lantern.screening.tests.builders import adult, child, days_ago, run

CODE = "pre-birth-risk"
DUE = dt.date(2027, 2, 1)


class TestPreBirthRisk:
    def test_an_expectant_parent_with_a_risk_factor(self):
        mother = adult("postnatal-depression", "social-isolation")
        found = run(CODE, child(born=None, due=DUE, adults=(mother, adult())))
        assert found is not None
        assert found.evidence == (mother.ref,)
        assert "2 risk factors" in found.summary

    def test_no_risk_factor(self):
        assert run(CODE, child(born=None, due=DUE, adults=(adult(),))) is None

    def test_a_household_member_without_parental_responsibility_is_not_an_expectant_parent(self):
        lodger = adult("substance-misuse", pr=False)
        assert run(CODE, child(born=None, due=DUE, adults=(adult(), lodger))) is None

    def test_a_child_born_on_the_screening_date_is_born(self):
        assert run(CODE, child(born=days_ago(0), adults=(adult("substance-misuse"),))) is None

    def test_a_child_born_since_the_due_date_is_born(self):
        assert run(CODE, child(born=days_ago(40), due=days_ago(30), adults=(adult("young-parent"),))) is None
