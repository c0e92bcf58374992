"""Assessments in case bundles: the additions (items with evidence, targets under a plan, countersigning,
siblings at one visit) imported and exported; a bundle that disagrees with its template is refused whole."""

import copy
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from lantern.assessments.definitions import template_default
from lantern.assessments.models import Assessment, AssessmentTarget, ItemGrade
from lantern.interop.bundle_schema import BundleInvalid
from lantern.interop.case_bundle import case_bundle_import

pytestmark = pytest.mark.django_db

EXAMPLE = json.loads(
    (Path(__file__).parents[2] / "interop" / "tests" / "design-example-bundle.json").read_text()
)
GRADED = template_default("graded-care")


def _bundle():
    bundle = copy.deepcopy(EXAMPLE)
    entry = bundle["assessments"][0]
    items = {i.id: {"grade": 2, "evidence": f"Seen: {i.title}"} for i in GRADED.items}
    items["food-enough"] = {"grade": 4, "evidence": "Cupboards empty"}
    items["comfort"] = {"grade": 4, "evidence": "Left to cry"}
    entry.update(
        {
            "scores": {"physical-care": 4, "safety": 2, "emotional-care": 4, "esteem": 2},
            "items": items,
            "status": "countersigned",
            "countersigned_by": "sw1",
            "countersigned_on": "2025-05-27",
            "targets": [{"area": "physical-care", "target": 2, "due_on": "2025-09-01", "plan": "p1"}],
        }
    )
    return bundle


def _problems(bundle):
    with pytest.raises(BundleInvalid) as refused:
        case_bundle_import(bundle)
    assert not Assessment.objects.exists()
    return [str(p) for p in refused.value.problems]


class TestImport:
    def test_items_targets_and_countersigning_are_imported_and_a_second_import_changes_nothing(self):
        case_bundle_import(_bundle())
        assessment = Assessment.objects.get()
        assert (assessment.status, assessment.countersigned_by.ref, str(assessment.overall)) == (
            "countersigned", "example:sw1", "3.00",
        )  # fmt: skip
        assert ItemGrade.objects.get(item="food-enough").evidence == "Cupboards empty"
        target = AssessmentTarget.objects.get()
        assert (target.area, target.target, target.plan.ref) == ("physical-care", 2, "example:p1")
        result = case_bundle_import(_bundle())
        assert result.created["assessment_items"] == 0
        assert result.created["assessment_targets"] == 0
        assert ItemGrade.objects.count() == len(GRADED.items)

    def test_designs_example_still_imports(self):
        case_bundle_import(copy.deepcopy(EXAMPLE))
        assert Assessment.objects.get().status == "completed"

    def test_a_grade_outside_the_scale_an_unknown_area_and_a_missing_one(self):
        bundle = copy.deepcopy(EXAMPLE)
        bundle["assessments"][0]["scores"] = {
            "physical-care": 6,
            "safety": 3,
            "emotional-care": 4,
            "hygiene": 2,
        }
        assert _problems(bundle) == [
            "$.assessments[0].scores.physical-care: grade 6 is outside the scale 1 to 5 of graded-care",
            "$.assessments[0].scores.hygiene: graded-care has no area 'hygiene'",
            "$.assessments[0].scores: area 'esteem' (Esteem and development) is missing",
        ]

    def test_items_that_disagree_with_the_area_grades_or_leave_one_out(self):
        bundle = _bundle()
        entry = bundle["assessments"][0]
        entry["scores"]["physical-care"] = 3
        del entry["items"]["accepted"]
        entry["items"]["wallpaper"] = {"grade": 1}
        assert _problems(bundle) == [
            "$.assessments[0].items.wallpaper: graded-care has no item 'wallpaper'",
            "$.assessments[0].items: item 'accepted' (The child is accepted for who they are, not blamed or "
            "singled out among brothers and sisters) has no grade",
            "$.assessments[0].scores.physical-care: grade 3 is not the worst grade of the area's items (4)",
        ]

    def test_an_unknown_template_a_target_and_countersigning_that_do_not_fit(self):
        bundle = _bundle()
        entry = bundle["assessments"][0]
        entry["targets"][0].update({"target": 0, "due_on": "2025-05-01", "plan": "p9"})
        del entry["countersigned_on"]
        assert _problems(bundle) == [
            "$.assessments[0].targets[0].plan: plan 'p9' is not in this bundle's plans nor already imported",
            "$.assessments[0].targets[0].target: grade 0 is outside the scale 1 to 5 of graded-care",
            "$.assessments[0].targets[0].due_on: a target's date must be after the assessment",
            "$.assessments[0].countersigned_on: "
            "a countersigned assessment names who countersigned it and when",
        ]
        bundle = copy.deepcopy(EXAMPLE)
        bundle["assessments"][0]["template"] = "parenting-capacity"
        assert _problems(bundle) == [
            "$.assessments[0].template: template 'parenting-capacity' is not loaded "
            "(lantern assessments load-template FILE)"
        ]


class TestExport:
    def test_a_childs_assessments_exported_import_again_unchanged(self, tmp_path):
        case_bundle_import(_bundle())
        path = tmp_path / "a.json"
        call_command("assessments", "export", "--child", "example:c1", "--output", str(path))
        exported = json.loads(path.read_text())
        assert exported["format"] == "lantern.case-bundle/1"
        (entry,) = exported["assessments"]
        assert entry["items"]["comfort"] == {"grade": 4, "evidence": "Left to cry"}
        assert entry["targets"] == [
            {"area": "physical-care", "target": 2, "due_on": "2025-09-01", "plan": "p1"}
        ]
        assert entry["status"] == "countersigned"
        result = case_bundle_import(path)
        assert result.updated["assessments"] == 0
        assert result.created["assessments"] == 0
        assert Assessment.objects.count() == 1

    def test_an_assessment_made_in_lantern_is_exported_under_the_childs_source(self, area):
        from django.utils import timezone

        from lantern.assessments.services import (
            GradeGiven,
            assessment_complete,
            assessment_start,
            grades_record,
        )

        home = template_default("home-conditions")
        today = timezone.localdate()
        (draft,) = assessment_start(
            template=home, children=[area.child], assessor=area.involved, started_on=today
        )
        grades_record(
            assessment=draft,
            grades={i.id: GradeGiven(1, "ok") for i in home.items},
            recorded_by=area.involved,
        )
        assessment_complete(
            assessment=draft, completed_by=area.involved, completed_on=today, level_of_concern="low"
        )
        from lantern.assessments.exchange import assessments_bundle

        bundle = assessments_bundle(child=area.child)
        (entry,) = bundle["assessments"]
        assert bundle["source"] == area.child.source
        assert entry["id"] == f"lantern.{draft.source_id}"
        assert entry["level_of_concern"] == "low"
        from lantern.interop.bundle_schema import schema_problems

        assert list(schema_problems(bundle)) == []
