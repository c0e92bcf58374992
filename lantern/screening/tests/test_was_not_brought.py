"""was-not-brought: ≥2 was-not-brought appointments in the last 180 days, or ≥1 while on an open CP plan."""

from lantern.screening.tests.builders import child, days_ago, event, plan, run

CODE = "was-not-brought"


def wnb(n):
    return event("appointment", days_ago(n), outcome="was-not-brought")


class TestWasNotBrought:
    def test_two_within_the_window_including_its_first_day(self):
        found = run(CODE, child(events=(wnb(0), wnb(179))))
        assert found is not None
        assert len(found.evidence) == 2

    def test_the_second_just_outside_the_window_does_not_count(self):
        assert run(CODE, child(events=(wnb(0), wnb(180)))) is None

    def test_one_alone_is_not_enough(self):
        assert run(CODE, child(events=(wnb(3),))) is None

    def test_one_while_on_an_open_child_protection_plan(self):
        found = run(CODE, child(events=(wnb(3),), plans=(plan(started=days_ago(30)),)))
        assert found is not None
        assert "child protection plan" in found.summary

    def test_one_while_on_a_child_in_need_plan_is_not_enough(self):
        assert run(CODE, child(events=(wnb(3),), plans=(plan("child-in-need", category=""),))) is None

    def test_a_plan_ended_before_the_screening_date_is_not_open(self):
        ended = plan(started=days_ago(300), ended=days_ago(1))
        assert run(CODE, child(events=(wnb(3),), plans=(ended,))) is None

    def test_provider_cancellations_and_attended_never_count(self):
        others = (
            event("appointment", days_ago(1), outcome="cancelled-by-provider"),
            event("appointment", days_ago(2), outcome="attended"),
            event("appointment", days_ago(3), outcome="cancelled-by-family"),
        )
        assert run(CODE, child(events=(wnb(4), *others))) is None
