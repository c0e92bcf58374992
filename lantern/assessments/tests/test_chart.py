"""The charts: scores over time and one assessment's grades. Each history is drawn and screened, and the
chart's figures and the improvement-not-sustained rule must say the same thing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from lantern.assessments.chart import assessment_profile, assessment_trend
from lantern.assessments.definitions import template_default
from lantern.assessments.models import Assessment, AssessmentScore
from lantern.people.tests.factories import ChildFactory, HouseholdFactory, HouseholdMemberFactory
from lantern.screening.config import parameters_of
from lantern.screening.facts import child_facts
from lantern.screening.rules import RULES

pytestmark = pytest.mark.django_db

GRADED = template_default("graded-care")
HOME = template_default("home-conditions")
AS_OF = dt.date(2026, 11, 1)
AREAS = ["physical-care", "safety", "emotional-care", "esteem"]

HISTORIES = {
    # name: each assessment's four area grades, oldest first, 90 days apart
    "steady improvement": [(5, 4, 4, 4), (4, 4, 3, 4), (3, 3, 3, 3), (3, 2, 2, 3), (2, 2, 2, 2)],
    "improvement then deterioration": [(4, 4, 4, 4), (3, 3, 3, 3), (2, 3, 2, 3), (4, 3, 4, 4)],
    "flat": [(3, 3, 3, 3), (3, 3, 3, 3), (3, 3, 3, 3)],
}


def _history(child, rows, template="graded-care", areas=AREAS):
    start = AS_OF - dt.timedelta(days=90 * (len(rows) - 1))
    for index, grades in enumerate(rows):
        assessment = Assessment.objects.create(
            source="t", source_id=f"{child.pk}-{template}-{index}", child=child, agency=_agency(),
            template=template, completed_on=start + dt.timedelta(days=90 * index),
        )  # fmt: skip
        AssessmentScore.objects.bulk_create(
            [
                AssessmentScore(assessment=assessment, area=a, score=g)
                for a, g in zip(areas, grades, strict=True)
            ]
        )


def _agency():
    from lantern.agencies.tests.factories import AgencyFactory

    return AgencyFactory()


def _rule(child):
    facts = child_facts([child.pk], as_of=AS_OF)[child.pk]
    return RULES["improvement-not-sustained"].check(facts, parameters_of("improvement-not-sustained"))


@pytest.mark.parametrize("name", list(HISTORIES))
def test_the_chart_draws_what_the_rule_reads(name):
    child = ChildFactory()
    _history(child, HISTORIES[name])
    trend = assessment_trend(child=child, template=GRADED, as_of=AS_OF)
    facts = child_facts([child.pk], as_of=AS_OF)[child.pk]
    # The same assessments, with the same overall scores, in the same order.
    assert [(p.ref, p.on, p.overall) for p in trend.points] == [
        (a.ref, a.completed_on, a.overall) for a in facts.assessments
    ]
    expected = [Decimal(sum(g)) / 4 for g in HISTORIES[name]]
    assert [p.overall for p in trend.points] == expected
    found = _rule(child)
    # The chart marks deterioration exactly where the rule finds it, with the same evidence.
    marked = {a.ref for episode in trend.episodes for a in episode}
    assert marked == (set(found.evidence) if found else set())
    described = trend.description()
    if name == "improvement then deterioration":
        assert found is not None
        assert len(trend.not_sustained()) == 1
        assert "Improvement was not sustained once: the score improved to 2.50" in described
        assert "worsened again to 3.75" in described
    else:
        assert found is None
        assert trend.not_sustained() == []
        assert "not sustained" not in described
    if name == "steady improvement":
        assert "The score has improved and the improvement has held so far." in described
    if name == "flat":
        assert "The score has not changed." in described


def test_lines_for_each_area_and_the_overall_with_the_best_grade_at_the_top():
    child = ChildFactory()
    _history(child, HISTORIES["steady improvement"])
    trend = assessment_trend(child=child, template=GRADED, as_of=AS_OF)
    lines = trend.lines()
    names = ["Physical care", "Safety", "Emotional care", "Esteem and development", "Overall"]
    assert [line.name for line in lines] == names
    physical = [y for _, y, _ in lines[0].coordinates]
    assert physical == sorted(physical, reverse=True)  # 5 → 2: each point higher up than the last
    assert trend.y(1) < trend.y(5)
    headers, rows = trend.table()
    assert headers[-1] == "Overall"
    assert rows[0][1] == ["5", "4", "4", "4", "4.25"]


def test_the_household_home_conditions_are_drawn_as_the_rule_reads_them():
    child, sister = ChildFactory(), ChildFactory()
    home = HouseholdFactory()
    for person in (child, sister):
        HouseholdMemberFactory(household=home, person=person)
    rooms = [a.id for a in HOME.areas[:2]]
    _history(sister, [(2, 2), (1, 1), (2, 2)], template="home-conditions", areas=rooms)
    trend = assessment_trend(child=child, template=HOME, as_of=AS_OF)
    assert [p.overall for p in trend.points] == [2, 1, 2]
    found = _rule(child)
    assert found is not None
    assert found.summary.startswith("The home conditions score improved from 2.00")
    assert {a.ref for episode in trend.episodes for a in episode} == set(found.evidence)


def test_a_template_the_rule_does_not_read_is_drawn_without_episodes():
    from dataclasses import replace

    other = replace(GRADED, id="parenting-capacity", title="Parenting capacity")
    child = ChildFactory()
    _history(child, HISTORIES["improvement then deterioration"], template="parenting-capacity")
    trend = assessment_trend(child=child, template=other, as_of=AS_OF)
    assert len(trend.points) == 4
    assert trend.episodes == []


def test_the_svg_and_its_table_render_with_their_text_alternatives(rf):
    child = ChildFactory()
    _history(child, HISTORIES["improvement then deterioration"])
    trend = assessment_trend(child=child, template=GRADED, as_of=AS_OF)
    html = render_to_string("assessments/_trend.html", {"trend": trend})
    assert 'role="img"' in html
    assert '<desc id="trend-graded-care-desc">4 graded care assessments' in html
    assert html.count("<path ") == 5
    assert "lantern-chart__not-sustained" in html
    assert "Graded care scores over time: grade of each area and the overall score" in html


def test_one_assessments_grades_as_bars_longer_when_worse():
    child = ChildFactory()
    _history(child, [(5, 1, 3, 4)])
    profile = assessment_profile(assessment=Assessment.objects.get(), template=GRADED)
    bars = profile.bars()
    assert [b.grade for b in bars] == [5, 1, 3, 4]
    assert bars[0].width > bars[3].width > bars[2].width > bars[1].width > 0
    assert profile.description().startswith(
        "Grades by area (1 best, 5 worst). Physical care: 5 Unmet, child harmed"
    )
