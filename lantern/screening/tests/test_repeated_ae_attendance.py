"""repeated-ae-attendance: ≥3 attendances (A&E, urgent care, minor injuries) in the last 365 days."""

from lantern.screening.tests.builders import child, days_ago, event, run

CODE = "repeated-ae-attendance"


def attendance(n, setting="emergency-department"):
    return event("attendance", days_ago(n), setting=setting, reason="injury")


class TestRepeatedAeAttendance:
    def test_three_in_the_window_of_any_setting(self):
        found = run(
            CODE,
            child(events=(attendance(0), attendance(100, "urgent-care"), attendance(364, "minor-injuries"))),
        )
        assert found is not None
        assert len(found.evidence) == 3

    def test_the_third_a_day_too_early(self):
        assert run(CODE, child(events=(attendance(0), attendance(100), attendance(365)))) is None

    def test_two_are_not_enough(self):
        assert run(CODE, child(events=(attendance(0), attendance(1)))) is None

    def test_appointments_are_not_attendances(self):
        appointments = tuple(event("appointment", days_ago(n), outcome="attended") for n in range(3))
        assert run(CODE, child(events=(attendance(0), attendance(1), *appointments))) is None
