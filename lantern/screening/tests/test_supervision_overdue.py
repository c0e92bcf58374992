"""supervision-overdue: open plan whose allocated social worker (the latest allocation's worker, else the
plan's lead professional) has no supervision record for this child in the last 56 days."""

from lantern.screening.tests.builders import child, days_ago, event, plan, run

CODE = "supervision-overdue"


def supervised(n, worker="t:sw1"):
    return event("supervision", days_ago(n), worker=worker)


def allocated(n, worker):
    return event("allocation", days_ago(n), worker=worker)


def on_plan(*events, **changes):
    return child(plans=(plan(started=days_ago(300), **changes),), events=events)


class TestSupervisionOverdue:
    def test_supervised_today(self):
        assert run(CODE, on_plan(supervised(0))) is None

    def test_supervised_on_the_first_day_of_the_window(self):
        assert run(CODE, on_plan(supervised(55))) is None

    def test_supervised_a_day_before_the_window(self):
        last = supervised(56)
        facts = on_plan(last)
        found = run(CODE, facts)
        assert found is not None
        assert found.evidence == tuple(sorted((facts.plans[0].ref, last.ref)))
        assert "56 days" in found.summary

    def test_never_supervised(self):
        found = run(CODE, on_plan())
        assert found is not None
        assert "none" in found.summary

    def test_supervision_of_another_worker_does_not_count(self):
        assert run(CODE, on_plan(supervised(1, worker="t:sw9"))) is not None

    def test_the_latest_allocation_names_the_worker_not_the_lead(self):
        assert run(CODE, on_plan(allocated(20, "t:sw2"), supervised(1, worker="t:sw1"))) is not None
        assert run(CODE, on_plan(allocated(20, "t:sw2"), supervised(1, worker="t:sw2"))) is None

    def test_the_latest_allocation_by_date(self):
        events = (allocated(20, "t:sw3"), allocated(200, "t:sw2"), supervised(1, worker="t:sw3"))
        assert run(CODE, on_plan(*events)) is None
        events = (allocated(20, "t:sw3"), allocated(200, "t:sw2"), supervised(1, worker="t:sw2"))
        assert run(CODE, on_plan(*events)) is not None

    def test_no_allocated_worker_at_all(self):
        assert run(CODE, on_plan(lead="")) is None

    def test_an_ended_plan_is_not_open(self):
        assert run(CODE, on_plan(ended=days_ago(1))) is None
