"""long-running-plan: a child protection plan open ≥18 months.

Months are whole calendar months, counted as ages are: a plan started on 1 May 2025 turns 18 months old on
1 November 2026; one started on 31 August 2024 turns 18 months old on 1 March 2026 (there is no 31 February).
"""

import datetime as dt

from lantern.screening.tests.builders import AS_OF, child, plan, run

CODE = "long-running-plan"


class TestLongRunningPlan:
    def test_the_day_it_turns_18_months(self):
        facts = child(plans=(plan(started=dt.date(2025, 5, 1)),))
        found = run(CODE, facts)
        assert found is not None
        assert found.evidence == (facts.plans[0].ref,)
        assert "18 months" in found.summary

    def test_the_day_before_it_turns_18_months(self):
        assert run(CODE, child(plans=(plan(started=dt.date(2025, 5, 2)),))) is None

    def test_started_on_a_day_the_month_18_months_on_does_not_have(self):
        plans = (plan(started=dt.date(2024, 8, 31)),)
        assert run(CODE, child(plans=plans, as_of=dt.date(2026, 2, 28))) is None
        assert run(CODE, child(plans=plans, as_of=dt.date(2026, 3, 1))) is not None

    def test_only_child_protection_plans(self):
        assert (
            run(CODE, child(plans=(plan("child-in-need", started=dt.date(2023, 1, 1), category=""),))) is None
        )

    def test_an_ended_plan_is_not_open(self):
        assert run(CODE, child(plans=(plan(started=dt.date(2023, 1, 1), ended=AS_OF),))) is None

    def test_a_plan_ended_after_the_screening_date_was_open_then(self):
        ended = AS_OF + dt.timedelta(days=1)
        assert run(CODE, child(plans=(plan(started=dt.date(2023, 1, 1), ended=ended),))) is not None
