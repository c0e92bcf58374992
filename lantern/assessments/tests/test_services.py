"""Completing an assessment over several visits: drafts, grades with evidence, completion (with screening
in the same transaction), countersigning, targets, brothers and sisters at one visit."""

import datetime as dt

import pytest
from django.utils import timezone

from lantern.agencies.models import Role
from lantern.agencies.tests.factories import ProfessionalFactory
from lantern.assessments.definitions import template_default
from lantern.assessments.models import Assessment, AssessmentScore, AssessmentTarget, ItemGrade
from lantern.assessments.selectors import completed_assessments, household_home_conditions
from lantern.assessments.services import (
    AssessmentRefused,
    GradeGiven,
    TargetSet,
    assessment_complete,
    assessment_countersign,
    assessment_start,
    grades_record,
    targets_record,
)
from lantern.casework.models import Plan
from lantern.chronology.models import Event
from lantern.people.tests.factories import ChildFactory, HouseholdFactory, HouseholdMemberFactory
from lantern.screening.models import Alert

pytestmark = pytest.mark.django_db

GRADED = template_default("graded-care")
HOME = template_default("home-conditions")
TODAY = timezone.localdate()


def all_grades(template, grade, **overrides):
    grades = {
        item.id: GradeGiven(grade, f"Seen: {item.title}") for item in template.items if not item.optional
    }
    grades.update({item: GradeGiven(g, "Seen") for item, g in overrides.items()})
    return grades


@pytest.fixture
def social_worker(area):
    area.involved.profession = "social-worker"
    area.involved.save()
    return area.involved


def graded_care(area, worker, grade, on, **overrides):
    (draft,) = assessment_start(template=GRADED, children=[area.child], assessor=worker, started_on=on)
    grades_record(assessment=draft, grades=all_grades(GRADED, grade, **overrides), recorded_by=worker)
    assessment_complete(assessment=draft, completed_by=worker, completed_on=on)
    draft.refresh_from_db()
    return draft


class TestOverSeveralVisits:
    def test_a_draft_graded_at_two_visits_then_completed(self, area, social_worker):
        (draft,) = assessment_start(
            template=GRADED,
            children=[area.child],
            assessor=social_worker,
            started_on=TODAY - dt.timedelta(days=7),
        )
        physical = {i.id: GradeGiven(4, "No food in the fridge") for i in GRADED.area("physical-care").items}
        grades_record(assessment=draft, grades=physical, recorded_by=social_worker)
        assert draft.status == "draft"
        assert not draft.scores.exists()
        rest = {i.id: GradeGiven(2, "Warm with the baby") for a in GRADED.areas[1:] for i in a.items}
        rest["comfort"] = GradeGiven(3, "Left to cry")
        grades_record(assessment=draft, grades=rest, recorded_by=social_worker)
        assessment_complete(assessment=draft, completed_by=social_worker, completed_on=TODAY)
        draft.refresh_from_db()
        assert (draft.status, draft.completed_on) == ("completed", TODAY)
        # Each area is as concerning as its worst item; overall is the mean of the areas.
        assert {s.area: s.score for s in draft.scores.all()} == {
            "physical-care": 4, "safety": 2, "emotional-care": 3, "esteem": 2,
        }  # fmt: skip
        assert str(draft.overall) == "2.75"
        assert ItemGrade.objects.get(assessment=draft, item="comfort").evidence == "Left to cry"
        event = Event.objects.get(assessment=draft)
        assert (event.type, event.occurred_on, event.text) == (
            "assessment", TODAY, "Graded care assessment: overall 2.75",
        )  # fmt: skip

    def test_a_missing_required_grade_is_refused_and_nothing_is_saved(self, area, social_worker):
        (draft,) = assessment_start(
            template=GRADED, children=[area.child], assessor=social_worker, started_on=TODAY
        )
        grades = all_grades(GRADED, 3)
        del grades["left-with"]
        grades_record(assessment=draft, grades=grades, recorded_by=social_worker)
        with pytest.raises(AssessmentRefused) as refused:
            assessment_complete(assessment=draft, completed_by=social_worker, completed_on=TODAY)
        assert refused.value.problems == {
            "left-with": "Grade “Left only with people who are able and safe to look after the child”: "
            "it is required"
        }
        draft.refresh_from_db()
        assert draft.status == "draft"
        assert draft.completed_on is None
        assert not AssessmentScore.objects.exists()
        assert not Event.objects.exists()

    def test_a_grade_outside_the_scale_or_an_unknown_item_saves_nothing(self, area, social_worker):
        (draft,) = assessment_start(
            template=GRADED, children=[area.child], assessor=social_worker, started_on=TODAY
        )
        with pytest.raises(AssessmentRefused) as refused:
            grades_record(
                assessment=draft,
                grades={
                    "food-enough": GradeGiven(2),
                    "clothes-fit": GradeGiven(6),
                    "wallpaper": GradeGiven(1),
                },
                recorded_by=social_worker,
            )
        assert refused.value.problems == {
            "clothes-fit": "Grade 6 is outside the scale 1 to 5",
            "wallpaper": "Graded care has no item 'wallpaper'",
        }
        assert not ItemGrade.objects.exists()

    def test_a_completed_assessment_takes_no_more_grades(self, area, social_worker):
        done = graded_care(area, social_worker, 2, TODAY)
        with pytest.raises(AssessmentRefused, match="can no longer change"):
            grades_record(assessment=done, grades={"food-enough": GradeGiven(1)}, recorded_by=social_worker)

    def test_completing_screens_the_child_in_the_same_transaction(self, area, social_worker):
        for days, grade in ((300, 4), (200, 3)):
            graded_care(area, social_worker, grade, TODAY - dt.timedelta(days=days))
        assert not Alert.objects.filter(rule="improvement-not-sustained").exists()
        graded_care(area, social_worker, 4, TODAY)
        alert = Alert.objects.get(rule="improvement-not-sustained", child=area.child)
        assert alert.summary.startswith("The graded care score improved from 4.00")


class TestWhoMay:
    def test_graded_care_needs_one_of_its_professions(self, area):
        with pytest.raises(AssessmentRefused) as refused:
            assessment_start(template=GRADED, children=[area.child], assessor=area.involved, started_on=TODAY)
        assert "may complete a graded care assessment" in refused.value.problems[""]
        assert not Assessment.objects.exists()

    def test_anyone_involved_may_complete_home_conditions(self, area):
        (draft,) = assessment_start(
            template=HOME, children=[area.child], assessor=area.involved, started_on=TODAY
        )
        assert draft.rated_for == area.child

    def test_a_licensed_template_needs_the_assessor_to_confirm_the_licence(self, area, social_worker):
        from dataclasses import replace

        licensed = replace(GRADED, licence="The area's licence for its graded care tool")
        with pytest.raises(AssessmentRefused, match="Confirm that you hold the licence"):
            assessment_start(
                template=licensed, children=[area.child], assessor=social_worker, started_on=TODAY
            )
        (draft,) = assessment_start(
            template=licensed,
            children=[area.child],
            assessor=social_worker,
            started_on=TODAY,
            assessor_licensed=True,
        )
        assert draft.assessor_licensed is True


class TestCountersigning:
    def test_a_manager_other_than_the_assessor_countersigns(self, area, social_worker):
        done = graded_care(area, social_worker, 2, TODAY)
        with pytest.raises(AssessmentRefused, match="other than the assessor"):
            assessment_countersign(assessment=done, manager=social_worker, on=TODAY)
        assessment_countersign(assessment=done, manager=area.team_manager, on=TODAY)
        done.refresh_from_db()
        assert (done.status, done.countersigned_by, done.countersigned_on) == (
            "countersigned", area.team_manager, TODAY,
        )  # fmt: skip
        with pytest.raises(AssessmentRefused, match="not yet countersigned"):
            assessment_countersign(assessment=done, manager=area.team_manager, on=TODAY)

    def test_a_draft_or_a_template_without_countersigning_is_refused(self, area, social_worker):
        (draft,) = assessment_start(
            template=GRADED, children=[area.child], assessor=social_worker, started_on=TODAY
        )
        with pytest.raises(AssessmentRefused):
            assessment_countersign(assessment=draft, manager=area.team_manager, on=TODAY)
        (home,) = assessment_start(
            template=HOME, children=[area.child], assessor=social_worker, started_on=TODAY
        )
        with pytest.raises(AssessmentRefused, match="is not countersigned"):
            assessment_countersign(assessment=home, manager=area.team_manager, on=TODAY)


class TestSiblings:
    def test_one_home_conditions_visit_for_two_children_records_the_grades_for_each(self, area):
        brother = ChildFactory(given_name="Leo", family_name="Morgan")
        drafts = assessment_start(
            template=HOME,
            children=[area.child, brother],
            assessor=area.involved,
            started_on=TODAY,
            rated_for=brother,
        )
        grades_record(assessment=drafts[0], grades=all_grades(HOME, 1, smell=3), recorded_by=area.involved)
        assessment_complete(
            assessment=drafts[1], completed_by=area.involved, completed_on=TODAY, level_of_concern="high"
        )
        for each in Assessment.objects.all():
            assert each.status == "completed"
            assert each.rated_for == brother
            assert each.level_of_concern == "high"
            assert each.scores.get(area="smells-and-damp").score == 3
            assert each.occasion == drafts[0].occasion != ""
        assert Event.objects.filter(type="assessment").count() == 2

    def test_home_conditions_for_several_children_name_the_child_most_affected(self, area):
        brother = ChildFactory()
        with pytest.raises(AssessmentRefused, match="affect most"):
            assessment_start(
                template=HOME, children=[area.child, brother], assessor=area.involved, started_on=TODAY
            )

    def test_home_conditions_need_a_level_of_concern(self, area):
        (draft,) = assessment_start(
            template=HOME, children=[area.child], assessor=area.involved, started_on=TODAY
        )
        grades_record(assessment=draft, grades=all_grades(HOME, 0), recorded_by=area.involved)
        with pytest.raises(AssessmentRefused) as refused:
            assessment_complete(assessment=draft, completed_by=area.involved, completed_on=TODAY)
        assert refused.value.problems == {"level_of_concern": "Select the overall level of concern"}

    def test_graded_care_grades_each_child_and_refuses_while_one_is_missing(self, area, social_worker):
        sister = ChildFactory(given_name="Isla", family_name="Morgan")
        ava, isla = assessment_start(
            template=GRADED, children=[area.child, sister], assessor=social_worker, started_on=TODAY
        )
        grades_record(assessment=ava, grades=all_grades(GRADED, 2), recorded_by=social_worker)
        with pytest.raises(AssessmentRefused) as refused:
            assessment_complete(assessment=ava, completed_by=social_worker, completed_on=TODAY)
        assert refused.value.problems["food-enough"].endswith("for Isla Morgan: it is required")
        grades_record(assessment=isla, grades=all_grades(GRADED, 4), recorded_by=social_worker)
        assessment_complete(assessment=ava, completed_by=social_worker, completed_on=TODAY)
        assert {str(a.overall) for a in Assessment.objects.all()} == {"2.00", "4.00"}

    def test_a_brothers_home_conditions_are_the_childs_history_too_once_a_day(self, area):
        brother = ChildFactory()
        home = HouseholdFactory()
        HouseholdMemberFactory(household=home, person=area.child)
        HouseholdMemberFactory(household=home, person=brother)
        for child in (area.child, brother):  # the same visit, recorded for each
            (draft,) = assessment_start(
                template=HOME, children=[child], assessor=area.involved, started_on=TODAY
            )
            grades_record(assessment=draft, grades=all_grades(HOME, 2), recorded_by=area.involved)
            assessment_complete(
                assessment=draft, completed_by=area.involved, completed_on=TODAY, level_of_concern="low"
            )
        (earlier,) = assessment_start(
            template=HOME,
            children=[brother],
            assessor=area.involved,
            started_on=TODAY - dt.timedelta(days=30),
        )
        grades_record(assessment=earlier, grades=all_grades(HOME, 1), recorded_by=area.involved)
        assessment_complete(
            assessment=earlier, completed_by=area.involved, completed_on=TODAY - dt.timedelta(days=30),
            level_of_concern="low",
        )  # fmt: skip
        found = household_home_conditions([area.child.pk], as_of=TODAY)[area.child.pk]
        assert [(a.child_id, a.completed_on) for a in found] == [
            (brother.pk, TODAY - dt.timedelta(days=30)), (area.child.pk, TODAY),
        ]  # fmt: skip
        # The child's own assessments are the child's alone (the overlooked-teenager rule reads them).
        assert [a.child_id for a in completed_assessments([area.child.pk], as_of=TODAY)[area.child.pk]] == [
            area.child.pk
        ]


class TestTargets:
    def test_targets_for_areas_of_concern_link_to_the_childs_plan(self, area, social_worker):
        done = graded_care(area, social_worker, 2, TODAY, **{"food-enough": 5})
        plan = Plan.objects.create(source="t", source_id="p1", type="child-protection", category="neglect",
                                   started_on=TODAY - dt.timedelta(days=40))  # fmt: skip
        plan.children.add(area.child)
        other = Plan.objects.create(source="t", source_id="p2", type="child-in-need", started_on=TODAY)
        due = TODAY + dt.timedelta(days=90)
        with pytest.raises(AssessmentRefused) as refused:
            targets_record(assessment=done, targets=[
                TargetSet("physical-care", 5, due, plan),
                TargetSet("safety", 1, due, other),
                TargetSet("esteem", 0, due),
                TargetSet("emotional-care", 1, TODAY),
            ])  # fmt: skip
        assert refused.value.problems == {
            "physical-care": "The target must be a better grade than now (5)",
            "safety": "The plan must be one of the child's plans",
            "esteem": "Grade 0 is outside the scale 1 to 5",
            "emotional-care": "The date must be after the assessment",
        }
        assert not AssessmentTarget.objects.exists()
        targets_record(assessment=done, targets=[TargetSet("physical-care", 3, due, plan)])
        target = AssessmentTarget.objects.get()
        assert (target.area, target.target, target.due_on, target.plan) == ("physical-care", 3, due, plan)


def test_a_manager_role_alone_does_not_make_a_graded_care_assessor(area):
    manager = ProfessionalFactory(agency=area.social_care, team=area.team, role=Role.MANAGER)
    with pytest.raises(AssessmentRefused):
        assessment_start(template=GRADED, children=[area.child], assessor=manager, started_on=TODAY)


def test_a_draft_does_not_count_as_a_graded_care_assessment_until_it_is_completed(area, social_worker):
    from lantern.screening.engine import alerts_sync

    plan = Plan.objects.create(source="t", source_id="p1", type="child-protection", category="neglect",
                               started_on=TODAY - dt.timedelta(days=60))  # fmt: skip
    plan.children.add(area.child)
    (draft,) = assessment_start(
        template=GRADED, children=[area.child], assessor=social_worker, started_on=TODAY
    )
    grades_record(assessment=draft, grades=all_grades(GRADED, 3), recorded_by=social_worker)
    alerts_sync([area.child.pk])
    alert = Alert.objects.get(rule="assessment-overdue", child=area.child)
    assert alert.status == "raised"
    assessment_complete(assessment=draft, completed_by=social_worker, completed_on=TODAY)
    alert.refresh_from_db()
    assert alert.status == "resolved"
