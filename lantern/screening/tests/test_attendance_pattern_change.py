"""attendance-pattern-change: the 2 most recent appointments (ignoring cancelled-by-provider) were
was-not-brought and the 3 before them were attended."""

from lantern.screening.tests.builders import child, days_ago, event, run

CODE = "attendance-pattern-change"


def appointments(*outcomes):
    """Appointments ten days apart, oldest first, the last on the screening date."""
    last = len(outcomes) - 1
    return tuple(
        event("appointment", days_ago(10 * (last - i)), outcome=outcome) for i, outcome in enumerate(outcomes)
    )


A, W = "attended", "was-not-brought"


class TestAttendancePatternChange:
    def test_three_attended_then_two_not_brought(self):
        found = run(CODE, child(events=appointments(A, A, A, W, W)))
        assert found is not None
        assert len(found.evidence) == 5
        assert "2 most recent" in found.summary

    def test_what_came_before_the_three_does_not_matter(self):
        assert run(CODE, child(events=appointments(W, W, A, A, A, W, W))) is not None

    def test_only_one_not_brought_is_not_enough(self):
        assert run(CODE, child(events=appointments(A, A, A, A, W))) is None

    def test_the_most_recent_attended(self):
        assert run(CODE, child(events=appointments(A, A, A, W, W, A))) is None

    def test_only_two_attended_before_them(self):
        assert run(CODE, child(events=appointments(W, A, A, W, W))) is None
        assert run(CODE, child(events=appointments(A, A, W, W))) is None

    def test_a_third_not_brought_is_no_longer_this_pattern(self):
        # The 3 before the 2 most recent are attended, attended, was-not-brought (was-not-brought covers it).
        assert run(CODE, child(events=appointments(A, A, A, W, W, W))) is None

    def test_provider_cancellations_are_ignored_wherever_they_fall(self):
        P = "cancelled-by-provider"
        found = run(CODE, child(events=appointments(A, P, A, A, P, W, P, W, P)))
        assert found is not None
        assert len(found.evidence) == 5

    def test_a_family_cancellation_breaks_the_pattern(self):
        C = "cancelled-by-family"
        assert run(CODE, child(events=appointments(A, A, A, C, W))) is None
        assert run(CODE, child(events=appointments(A, A, C, W, W))) is None

    def test_read_in_date_order_not_the_order_given(self):
        events = appointments(A, A, A, W, W)
        assert run(CODE, child(events=tuple(reversed(events)))) is not None

    def test_other_event_types_are_not_appointments(self):
        attendance = event("attendance", days_ago(0), setting="urgent-care", reason="illness")
        assert run(CODE, child(events=(*appointments(A, A, A, W, W), attendance))) is not None
