"""home-not-seen: ≥2 home visits in the last 90 days and none of them saw the child at the main home."""

from lantern.screening.tests.builders import child, days_ago, event, run

CODE = "home-not-seen"


def visit(n, location="elsewhere", outcome="seen"):
    return event("home-visit", days_ago(n), location=location, outcome=outcome)


class TestHomeNotSeen:
    def test_two_visits_elsewhere_in_the_window_including_its_first_day(self):
        found = run(CODE, child(events=(visit(0), visit(89))))
        assert found is not None
        assert len(found.evidence) == 2
        assert "2 home visits in the last 90 days" in found.summary

    def test_the_second_a_day_too_early(self):
        assert run(CODE, child(events=(visit(0), visit(90)))) is None

    def test_one_visit_is_not_enough(self):
        assert run(CODE, child(events=(visit(3),))) is None

    def test_a_visit_that_saw_the_child_at_the_main_home(self):
        assert run(CODE, child(events=(visit(3), visit(10), visit(20, "main-home")))) is None

    def test_going_to_the_main_home_without_seeing_the_child_is_not_seeing_it(self):
        events = (visit(3, "main-home", "no-access"), visit(10, "main-home", "cancelled-by-family"))
        assert run(CODE, child(events=events)) is not None

    def test_seeing_the_child_at_the_main_home_before_the_window_does_not_help(self):
        assert run(CODE, child(events=(visit(3), visit(10), visit(90, "main-home")))) is not None

    def test_other_events_are_not_home_visits(self):
        observation = event("observation", days_ago(2), tags=("hygiene",))
        assert run(CODE, child(events=(visit(3), observation))) is None
