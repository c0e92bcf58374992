"""injury-non-mobile: an attendance with reason injury, or an observation tagged injury, when the child was
under 6 months old (at the injury)."""

import datetime as dt

from lantern.screening.rules import RULES
from lantern.screening.tests.builders import child, days_ago, event, run

CODE = "injury-non-mobile"
BORN = dt.date(2026, 5, 1)  # six months old on the screening date


def injury_attendance(on):
    return event("attendance", on, setting="emergency-department", reason="injury")


def injury_observation(on, *tags):
    return event("observation", on, tags=tags or ("injury",))


class TestInjuryNonMobile:
    def test_an_injury_at_five_months_and_thirty_days(self):
        found = run(CODE, child(born=BORN, events=(injury_attendance(days_ago(1)),)))
        assert found is not None
        assert "under 6 months" in found.summary
        assert RULES[CODE].severity == "urgent"

    def test_an_injury_at_six_months_exactly(self):
        assert run(CODE, child(born=BORN, events=(injury_attendance(days_ago(0)),))) is None

    def test_an_observation_tagged_injury(self):
        found = run(CODE, child(born=BORN, events=(injury_observation(days_ago(1), "injury", "hygiene"),)))
        assert found is not None

    def test_the_age_at_the_injury_counts_not_the_age_today(self):
        born = dt.date(2024, 1, 15)
        just_under = injury_observation(dt.date(2024, 7, 14))
        assert run(CODE, child(born=born, events=(just_under,))) is not None
        six_months = injury_observation(dt.date(2024, 7, 15))
        assert run(CODE, child(born=born, events=(six_months,))) is None

    def test_on_the_day_of_birth(self):
        assert run(CODE, child(born=BORN, events=(injury_attendance(BORN),))) is not None

    def test_attendances_for_other_reasons_do_not_count(self):
        others = tuple(
            event("attendance", days_ago(5), setting="urgent-care", reason=reason)
            for reason in ("illness", "ingestion", "other")
        )
        assert run(CODE, child(born=BORN, events=others)) is None

    def test_observations_without_the_injury_tag_do_not_count(self):
        assert run(CODE, child(born=BORN, events=(injury_observation(days_ago(5), "hygiene"),))) is None

    def test_an_unborn_child(self):
        unborn = child(born=None, due=dt.date(2027, 1, 1), events=(injury_observation(days_ago(5)),))
        assert run(CODE, unborn) is None
