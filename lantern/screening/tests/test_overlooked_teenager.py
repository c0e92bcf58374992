"""overlooked-teenager: child aged 13 to 17 with a sibling on an open plan, while the teenager has no open
plan and no assessment in the last 365 days."""

import datetime as dt

from lantern.screening.tests.builders import assessment, child, days_ago, plan, run, sibling

CODE = "overlooked-teenager"
THIRTEEN = dt.date(2013, 11, 1)  # 13 on the screening date, 2026-11-01
NEARLY_THIRTEEN = dt.date(2013, 11, 2)
NEARLY_EIGHTEEN = dt.date(2008, 11, 2)
EIGHTEEN = dt.date(2008, 11, 1)


def younger_on_plan():
    return sibling(plan(started=days_ago(100)))


class TestOverlookedTeenager:
    def test_a_thirteen_year_old_whose_sibling_is_on_a_plan(self):
        brother = younger_on_plan()
        found = run(CODE, child(born=THIRTEEN, siblings=(brother, sibling())))
        assert found is not None
        assert found.evidence == (brother.plans[0].ref,)
        assert "aged 13" in found.summary

    def test_twelve_is_too_young(self):
        assert run(CODE, child(born=NEARLY_THIRTEEN, siblings=(younger_on_plan(),))) is None

    def test_seventeen_the_day_before_eighteen(self):
        assert run(CODE, child(born=NEARLY_EIGHTEEN, siblings=(younger_on_plan(),))) is not None

    def test_eighteen_is_too_old(self):
        assert run(CODE, child(born=EIGHTEEN, siblings=(younger_on_plan(),))) is None

    def test_no_sibling_on_a_plan(self):
        assert run(CODE, child(born=THIRTEEN, siblings=(sibling(),))) is None
        assert run(CODE, child(born=THIRTEEN)) is None

    def test_a_siblings_ended_plan_is_not_open(self):
        ended = sibling(plan(started=days_ago(300), ended=days_ago(1)))
        assert run(CODE, child(born=THIRTEEN, siblings=(ended,))) is None

    def test_a_siblings_plan_ending_on_the_screening_date_is_not_open(self):
        ended = sibling(plan(started=days_ago(300), ended=days_ago(0)))
        assert run(CODE, child(born=THIRTEEN, siblings=(ended,))) is None

    def test_the_teenager_on_an_open_plan_of_their_own(self):
        own = plan("child-in-need", category="", started=days_ago(30))
        assert run(CODE, child(born=THIRTEEN, plans=(own,), siblings=(younger_on_plan(),))) is None

    def test_the_teenagers_own_ended_plan_does_not_count(self):
        own = plan("child-in-need", category="", started=days_ago(300), ended=days_ago(10))
        assert run(CODE, child(born=THIRTEEN, plans=(own,), siblings=(younger_on_plan(),))) is not None

    def test_an_assessment_on_the_first_day_of_the_window(self):
        teen = child(
            born=THIRTEEN, assessments=(assessment(days_ago(364), 2),), siblings=(younger_on_plan(),)
        )
        assert run(CODE, teen) is None

    def test_an_assessment_a_day_too_early(self):
        teen = child(
            born=THIRTEEN, assessments=(assessment(days_ago(365), 2),), siblings=(younger_on_plan(),)
        )
        assert run(CODE, teen) is not None

    def test_an_assessment_of_any_template_counts(self):
        home = assessment(days_ago(10), 3, template="home-conditions")
        assert run(CODE, child(born=THIRTEEN, assessments=(home,), siblings=(younger_on_plan(),))) is None
