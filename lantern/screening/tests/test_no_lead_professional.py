"""no-lead-professional: an open plan with no lead professional."""

from lantern.screening.tests.builders import child, days_ago, plan, run

CODE = "no-lead-professional"


class TestNoLeadProfessional:
    def test_an_open_plan_without_a_lead(self):
        facts = child(plans=(plan(started=days_ago(10), lead=""),))
        found = run(CODE, facts)
        assert found is not None
        assert found.evidence == (facts.plans[0].ref,)

    def test_an_open_plan_with_a_lead(self):
        assert run(CODE, child(plans=(plan(started=days_ago(10)),))) is None

    def test_any_kind_of_plan(self):
        assert (
            run(CODE, child(plans=(plan("early-help", started=days_ago(0), category="", lead=""),)))
            is not None
        )

    def test_an_ended_plan_is_not_open(self):
        assert run(CODE, child(plans=(plan(started=days_ago(100), ended=days_ago(1), lead=""),))) is None
