"""The assessment pages: who may see and do what, every visit logged, forms that refuse with their errors
and change nothing, and a home conditions assessment completed over two visits."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lantern.assessments.definitions import template_default
from lantern.assessments.models import Assessment, AssessmentTarget, ItemGrade
from lantern.assessments.services import GradeGiven, assessment_complete, assessment_start, grades_record
from lantern.casework.models import Plan
from lantern.core.models import AccessLogEntry

pytestmark = pytest.mark.django_db

HOME = template_default("home-conditions")
GRADED = template_default("graded-care")
TODAY = timezone.localdate()


def _date(prefix, day):
    return {f"{prefix}-day": day.day, f"{prefix}-month": day.month, f"{prefix}-year": day.year}


def _area_post(area, grade, evidence="Seen on the visit"):
    data = {}
    for item in area.items:
        data[f"grade-{item.id}"] = str(grade)
        data[f"evidence-{item.id}"] = evidence
    return data


@pytest.fixture
def draft(area):
    (draft,) = assessment_start(
        template=HOME, children=[area.child], assessor=area.involved, started_on=TODAY
    )
    return draft


@pytest.fixture
def completed(area):
    area.involved.profession = "social-worker"
    area.involved.save()
    (draft,) = assessment_start(
        template=GRADED, children=[area.child], assessor=area.involved, started_on=TODAY
    )
    grades = {i.id: GradeGiven(2, "Seen") for i in GRADED.items}
    grades["food-enough"] = GradeGiven(5, "No food in the home for two days")
    grades_record(assessment=draft, grades=grades, recorded_by=area.involved)
    assessment_complete(assessment=draft, completed_by=area.involved, completed_on=TODAY)
    return draft


class TestTwoVisits:
    def test_a_home_conditions_assessment_over_two_visits(self, client, area):
        client.force_login(area.involved)
        child = area.child
        page = client.get(reverse("assessments", args=[child.ref])).content.decode()
        assert "Start a home conditions assessment" in page
        assert "may complete a graded care assessment" in page  # not a social worker by profession
        response = client.post(
            reverse("assessment-start", args=[child.ref, "home-conditions"]), _date("started_on", TODAY)
        )
        assessment = Assessment.objects.get()
        assert response.url == reverse("assessment", args=[child.ref, assessment.ref])
        # First visit: two rooms.
        for area_id in ("kitchen-and-food", "sleeping"):
            url = reverse("assessment-area", args=[child.ref, assessment.ref, area_id])
            assert client.post(url, _area_post(HOME.area(area_id), 2)).status_code == 302
        page = client.get(reverse("assessment", args=[child.ref, assessment.ref])).content.decode()
        assert page.count("Not started") == 6
        # Second visit: the rest, then complete.
        for a in HOME.areas[2:]:
            url = reverse("assessment-area", args=[child.ref, assessment.ref, a.id])
            assert client.post(url, _area_post(a, 1)).status_code == 302
        response = client.post(
            reverse("assessment-complete", args=[child.ref, assessment.ref]),
            {
                **_date("completed_on", TODAY),
                "level_of_concern": "medium",
                "actions": "Clear the kitchen by Friday",
            },
        )
        assert response.status_code == 302
        assessment.refresh_from_db()
        assert assessment.status == "completed"
        assert str(assessment.overall) == "1.25"
        page = client.get(reverse("assessments", args=[child.ref])).content.decode()
        assert "Home conditions scores over time" in page
        assert "<svg" in page
        pages = set(
            AccessLogEntry.objects.filter(child=child, action="record").values_list("page", flat=True)
        )
        assert pages == {"assessment-start", "assessment-area", "assessment-complete"}

    def test_evidence_is_needed_for_each_grade_and_nothing_is_saved_without_it(self, client, area, draft):
        client.force_login(area.involved)
        url = reverse("assessment-area", args=[area.child.ref, draft.ref, "kitchen-and-food"])
        data = _area_post(HOME.area("kitchen-and-food"), 3)
        data["evidence-kitchen-clean"] = " "
        response = client.post(url, data)
        assert response.status_code == 400
        page = response.content.decode()
        assert "There is a problem" in page
        assert (
            "Enter the evidence for the grade of “Surfaces, sink and cooker clean enough to prepare food”"
            in page
        )
        assert 'href="#evidence-kitchen-clean"' in page
        assert not ItemGrade.objects.exists()

    def test_completing_with_a_missing_grade_is_refused_naming_it(self, client, area, draft):
        client.force_login(area.involved)
        response = client.post(
            reverse("assessment-complete", args=[area.child.ref, draft.ref]),
            {**_date("completed_on", TODAY), "level_of_concern": "low"},
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "Grade “Food in the home, stored safely and in date”: it is required" in page
        draft.refresh_from_db()
        assert draft.status == "draft"


class TestSummaryAndTargets:
    def test_areas_of_concern_with_targets_under_the_plan(self, client, area, completed):
        plan = Plan.objects.create(source="t", source_id="p1", type="child-protection", category="neglect",
                                   started_on=TODAY - dt.timedelta(days=30))  # fmt: skip
        plan.children.add(area.child)
        client.force_login(area.involved)
        page = client.get(reverse("assessment", args=[area.child.ref, completed.ref])).content.decode()
        assert "Areas graded 4 or worse, with the target for each" in page
        assert "Physical care" in page
        url = reverse("assessment-targets", args=[area.child.ref, completed.ref])
        response = client.post(url, {"target-physical-care": "6", **_date("due_on-physical-care", TODAY)})
        assert response.status_code == 400
        assert not AssessmentTarget.objects.exists()
        due = TODAY + dt.timedelta(days=60)
        response = client.post(
            url,
            {"target-physical-care": "3", **_date("due_on-physical-care", due), "plan-physical-care": "t:p1"},
        )
        assert response.status_code == 302
        page = client.get(reverse("assessment", args=[area.child.ref, completed.ref])).content.decode()
        assert "(t:p1)" in page
        assert f"{due.day} {due:%B %Y}" in page

    def test_a_manager_countersigns_and_the_assessor_cannot(self, client, area, completed):
        url = reverse("assessment-countersign", args=[area.child.ref, completed.ref])
        client.force_login(area.involved)
        assert client.post(url).status_code == 403
        client.force_login(area.team_manager)
        page = client.get(reverse("assessment", args=[area.child.ref, completed.ref])).content.decode()
        assert "Countersign the assessment" in page
        client.post(url)
        completed.refresh_from_db()
        assert (completed.status, completed.countersigned_by) == ("countersigned", area.team_manager)


class TestAccess:
    @pytest.mark.parametrize("page", ["assessments", "assessment", "assessment-area", "assessment-start"])
    def test_refused_without_a_relationship_and_logged(self, client, area, draft, page):
        args = {
            "assessments": [area.child.ref],
            "assessment": [area.child.ref, draft.ref],
            "assessment-area": [area.child.ref, draft.ref, "kitchen-and-food"],
            "assessment-start": [area.child.ref, "home-conditions"],
        }[page]
        client.force_login(area.stranger)
        assert client.get(reverse(page, args=args)).status_code == 403
        assert AccessLogEntry.objects.filter(professional=area.stranger, action="refused", page=page).exists()

    def test_an_assessment_of_another_child_is_not_found_under_this_one(self, client, area, draft):
        from lantern.agencies.tests.factories import InvolvementFactory

        InvolvementFactory(child=area.unrelated_child, agency=area.social_care, professional=area.involved)
        client.force_login(area.involved)
        url = reverse("assessment", args=[area.unrelated_child.ref, draft.ref])
        assert client.get(url).status_code == 404


class TestTwoPeopleGradingAtOnce:
    """Optimistic concurrency on a draft's grades (ADR 14)."""

    def test_grades_saved_from_a_page_opened_before_someone_else_saved_are_a_conflict(
        self, client, area, draft
    ):
        client.force_login(area.involved)
        url = reverse("assessment-area", args=[area.child.ref, draft.ref, "kitchen-and-food"])
        assert f'name="version" value="{draft.version}"' in client.get(url).content.decode()
        kitchen = HOME.area("kitchen-and-food")
        first = client.post(url, {**_area_post(kitchen, 2), "version": str(draft.version)})
        assert first.status_code == 302
        # The second professional's page was opened at the same version.
        late = client.post(url, {**_area_post(kitchen, 3), "version": str(draft.version)})
        assert late.status_code == 409
        page = late.content.decode()
        assert "Someone else saved grades for this assessment while you were grading" in page
        assert "What you entered (not saved)" in page
        assert f'name="version" value="{draft.version + 1}"' in page
        assert set(ItemGrade.objects.filter(assessment=draft).values_list("grade", flat=True)) == {2}
        draft.refresh_from_db()
        assert draft.version == 2
        # Entered again on the page as it now is: saved.
        assert client.post(url, {**_area_post(kitchen, 3), "version": "2"}).status_code == 302
        assert set(ItemGrade.objects.filter(assessment=draft).values_list("grade", flat=True)) == {3}
