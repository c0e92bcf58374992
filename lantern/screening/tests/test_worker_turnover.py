"""worker-turnover: open plan and ≥3 allocation events (each a newly allocated worker) in the last 365
days."""

from lantern.screening.tests.builders import child, days_ago, event, plan, run

CODE = "worker-turnover"


def allocated(n):
    return event("allocation", days_ago(n), worker=f"t:sw{n}")


def on_plan(*events, **changes):
    return child(plans=(plan(started=days_ago(500), **changes),), events=events)


class TestWorkerTurnover:
    def test_three_in_the_window_including_its_first_day(self):
        found = run(CODE, on_plan(allocated(0), allocated(100), allocated(364)))
        assert found is not None
        assert len(found.evidence) == 3
        assert "3 times" in found.summary

    def test_the_third_a_day_before_the_window(self):
        assert run(CODE, on_plan(allocated(0), allocated(100), allocated(365))) is None

    def test_two_are_not_enough(self):
        assert run(CODE, on_plan(allocated(0), allocated(100))) is None

    def test_only_allocations_count(self):
        others = (
            event("supervision", days_ago(1), worker="t:sw1"),
            event("home-visit", days_ago(2), outcome="seen"),
        )
        assert run(CODE, on_plan(allocated(0), allocated(100), *others)) is None

    def test_without_an_open_plan(self):
        assert run(CODE, on_plan(allocated(0), allocated(100), allocated(200), ended=days_ago(1))) is None
        assert run(CODE, child(events=(allocated(0), allocated(100), allocated(200)))) is None
