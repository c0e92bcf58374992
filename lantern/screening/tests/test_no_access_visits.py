"""no-access-visits: ≥2 home visits with outcome no-access or cancelled-by-family in the last 90 days."""

from lantern.screening.tests.builders import child, days_ago, event, run

CODE = "no-access-visits"


def visit(n, outcome="no-access", location="main-home"):
    return event("home-visit", days_ago(n), location=location, outcome=outcome)


class TestNoAccessVisits:
    def test_two_in_the_window_including_its_first_day(self):
        found = run(CODE, child(events=(visit(0), visit(89))))
        assert found is not None
        assert len(found.evidence) == 2
        assert "90 days" in found.summary

    def test_the_second_a_day_too_early(self):
        assert run(CODE, child(events=(visit(0), visit(90)))) is None

    def test_one_is_not_enough(self):
        assert run(CODE, child(events=(visit(3),))) is None

    def test_family_cancellations_count(self):
        assert (
            run(CODE, child(events=(visit(3, "cancelled-by-family"), visit(4, "no-access", "elsewhere"))))
            is not None
        )

    def test_visits_that_saw_the_child_do_not_count(self):
        assert run(CODE, child(events=(visit(3), visit(4, "seen")))) is None

    def test_missed_appointments_are_not_home_visits(self):
        appointment = event("appointment", days_ago(4), outcome="cancelled-by-family")
        assert run(CODE, child(events=(visit(3), appointment))) is None
