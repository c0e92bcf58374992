"""agreement-not-met: a written agreement on an open plan not-met, or pending past its due date. Agreements
of ended plans do not count."""

from lantern.screening.tests.builders import agreement, child, days_ago, plan, run

CODE = "agreement-not-met"


def on_plan(*agreements, **fields):
    return child(plans=(plan(started=days_ago(200), agreements=agreements, **fields),))


class TestAgreementNotMet:
    def test_an_agreement_not_met(self):
        broken = agreement(days_ago(-30), "not-met")
        found = run(CODE, on_plan(broken, agreement(days_ago(10), "met")))
        assert found is not None
        assert found.evidence == (broken.ref,)
        assert "1 not met" in found.summary

    def test_pending_the_day_after_its_due_date(self):
        late = agreement(days_ago(1), "pending")
        found = run(CODE, on_plan(late))
        assert found is not None
        assert found.evidence == (late.ref,)
        assert "pending after its due date" in found.summary

    def test_pending_on_its_due_date(self):
        assert run(CODE, on_plan(agreement(days_ago(0), "pending"))) is None

    def test_pending_before_its_due_date(self):
        assert run(CODE, on_plan(agreement(days_ago(-1), "pending"))) is None

    def test_met_after_its_due_date(self):
        assert run(CODE, on_plan(agreement(days_ago(40), "met"))) is None

    def test_both_kinds_together(self):
        found = run(CODE, on_plan(agreement(days_ago(5), "not-met"), agreement(days_ago(9), "pending")))
        assert found is not None
        assert len(found.evidence) == 2
        assert " and " in found.summary

    def test_an_ended_plans_agreements_do_not_count(self):
        assert run(CODE, on_plan(agreement(days_ago(50), "not-met"), ended=days_ago(1))) is None

    def test_a_plan_ending_on_the_screening_date_is_not_open(self):
        assert run(CODE, on_plan(agreement(days_ago(50), "pending"), ended=days_ago(0))) is None

    def test_any_type_of_open_plan(self):
        assert (
            run(CODE, on_plan(agreement(days_ago(5), "not-met"), type_="early-help", category="")) is not None
        )
