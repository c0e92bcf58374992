"""Templates as data: the two defaults, what a template file must be, and loading newer versions."""

import copy
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from lantern.assessments.definitions import (
    DEFAULTS_DIR,
    TemplateInvalid,
    template_default,
    template_parse,
)
from lantern.assessments.models import AssessmentTemplate
from lantern.assessments.selectors import template_current
from lantern.assessments.services import template_load

GRADED_CARE = json.loads((DEFAULTS_DIR / "graded-care.json").read_text())

# Wording distinctive of the NSPCC's Graded Care Profile 2 (a licensed tool) and of the original Graded Care
# Profile's grade descriptors and area names. Lantern's defaults are written in its own words: none of
# these may appear in them. (Everyday words such as "nutrition" or "safety" are not the tool's wording.)
LICENSED_PHRASES = [
    "graded care profile 2",
    "gcp2",
    "child first",
    "all the child's needs met",
    "all child's needs met",
    "essential needs met",
    "essential needs unmet",
    "essential needs entirely unmet",
    "child not considered",
    "child's needs given priority",
    "needs not given priority",
    "some needs met",
    "care of safety",
    "care of love",
    "love and care",
    "care of esteem",
    "in presence of carer",
    "in the presence of carer",
    "in absence of carer",
    "in the absence of carer",
    "mutual engagement",
    "carer's attitudes",
    "sensitivity and responsiveness",
    "quality of care",
    "srivastava",
]


class TestDefaults:
    @pytest.mark.parametrize("name", ["graded-care", "home-conditions"])
    def test_each_default_is_a_valid_template_stating_its_own_authorship(self, name):
        template = template_default(name)
        assert template.id == name
        assert "Written for Lantern by its contributors in their own words" in template.authorship

    @pytest.mark.parametrize("name", ["graded-care", "home-conditions"])
    def test_no_default_holds_wording_of_the_licensed_tool(self, name):
        data = json.loads((DEFAULTS_DIR / f"{name}.json").read_text())
        del data["authorship"]  # which names the tool, to say this is not it
        text = json.dumps(data, ensure_ascii=False).lower().replace("\N{RIGHT SINGLE QUOTATION MARK}", "'")
        found = [phrase for phrase in LICENSED_PHRASES if phrase in text]
        assert found == [], f"{name} holds wording of the licensed GCP2 tool: {found}"

    def test_the_guard_would_catch_the_licensed_wording(self):
        """The check above is not vacuous: a descriptor in the tool's words is caught."""
        copied = copy.deepcopy(GRADED_CARE)
        del copied["authorship"]
        copied["scale"]["grades"][0]["descriptor"] = "All the child's needs met, child first"
        text = json.dumps(copied).lower()
        assert [p for p in LICENSED_PHRASES if p in text] == ["child first", "all the child's needs met"]

    def test_graded_care_has_the_four_areas_the_bundles_and_rules_use_on_a_1_to_5_scale(self):
        template = template_default("graded-care")
        assert [a.id for a in template.areas] == ["physical-care", "safety", "emotional-care", "esteem"]
        assert (template.lowest, template.highest, template.concern_from) == (1, 5, 4)
        assert [g.grade for g in template.grades] == [1, 2, 3, 4, 5]
        assert template.countersign
        assert template.per_child
        assert "social-worker" in template.professions
        assert [s.title for s in template.area("physical-care").sub_areas] == [
            "Food and drink", "The home", "Clothes", "Keeping clean", "Health and health care",
        ]  # fmt: skip

    def test_home_conditions_scores_the_home_0_to_3_for_anyone_involved(self):
        template = template_default("home-conditions")
        assert (template.lowest, template.highest) == (0, 3)
        assert not template.professions
        assert not template.countersign
        assert not template.per_child
        titles = [a.title for a in template.areas]
        assert titles == [
            "Kitchen and food", "Sleeping arrangements", "Bathroom and hygiene", "Floors and hazards",
            "Heating, light and water", "Smells, damp and pests", "Animals", "Outside space",
        ]  # fmt: skip
        assert [level.id for level in template.levels_of_concern] == ["none", "low", "medium", "high"]
        assert {i.id for i in template.items if i.optional} == {"animals-safe", "outside-safe"}


def _refused(data):
    with pytest.raises(TemplateInvalid) as refused:
        template_parse(data)
    return refused.value.problems


class TestRefusals:
    def test_a_grade_outside_the_scale(self):
        data = copy.deepcopy(GRADED_CARE)
        data["scale"]["grades"].append({"grade": 6, "label": "Worse", "descriptor": "Off the scale"})
        assert _refused(data) == ["$.scale.grades[5].grade: grade 6 is outside the scale 1 to 5"]

    def test_an_item_descriptor_outside_the_scale(self):
        data = copy.deepcopy(GRADED_CARE)
        data["areas"][0]["sub_areas"][0]["items"][0]["descriptors"] = {"0": "Better than best"}
        assert _refused(data) == [
            "$.areas[0].sub_areas[0].items[0].descriptors.0: grade 0 is outside the scale 1 to 5"
        ]

    def test_a_grade_without_a_descriptor_and_a_concern_level_off_the_scale(self):
        data = copy.deepcopy(GRADED_CARE)
        del data["scale"]["grades"][2]
        data["scale"]["concern_from"] = 7
        assert _refused(data) == [
            "$.scale.grades: grade 3 has no descriptor (every grade from 1 to 5 needs one)",
            "$.scale.concern_from: grade 7 is outside the scale 1 to 5",
        ]

    def test_a_duplicate_item_id(self):
        data = copy.deepcopy(GRADED_CARE)
        data["areas"][1]["sub_areas"][0]["items"][0]["id"] = "food-enough"
        assert _refused(data) == [
            "$.areas[1].sub_areas[0].items[0].id: duplicate item id 'food-enough' "
            "(first at $.areas[0].sub_areas[0].items[0].id)"
        ]

    def test_no_areas_and_an_area_with_nothing_to_grade(self):
        data = copy.deepcopy(GRADED_CARE)
        data["areas"] = []
        assert _refused(data) == ["$.areas: [] should be non-empty"]
        data = copy.deepcopy(GRADED_CARE)
        data["areas"][2]["sub_areas"] = []
        assert _refused(data) == ["$.areas[2].sub_areas: [] should be non-empty"]

    def test_a_missing_field_and_an_unknown_one(self):
        data = copy.deepcopy(GRADED_CARE)
        del data["authorship"]
        data["colour"] = "blue"
        problems = _refused(data)
        assert "$: 'authorship' is a required property" in problems
        assert any("'colour' was unexpected" in p for p in problems)


@pytest.mark.django_db
class TestLoading:
    def _file(self, tmp_path, data, name="graded-care.json"):
        path = tmp_path / name
        path.write_text(json.dumps(data))
        return path

    def test_a_newer_version_replaces_the_default_and_loading_it_again_changes_nothing(self, tmp_path):
        data = copy.deepcopy(GRADED_CARE)
        data["version"] = 2
        data["licence"] = "Our area's licence for its own graded care tool"
        path = self._file(tmp_path, data)
        template, changed = template_load(path=path, loaded_by="admin")
        assert changed
        assert template.version == 2
        assert template_current("graded-care").licence.startswith("Our area's licence")
        assert template_load(path=path)[1] is False
        assert AssessmentTemplate.objects.count() == 1

    def test_a_version_not_newer_is_refused(self, tmp_path):
        data = copy.deepcopy(GRADED_CARE)
        data["title"] = "Graded care, reworded"
        with pytest.raises(TemplateInvalid, match="graded-care is at version 1: a new file needs a higher"):
            template_load(path=self._file(tmp_path, data))
        assert not AssessmentTemplate.objects.exists()

    def test_a_new_version_missing_an_area_is_refused(self, tmp_path):
        data = copy.deepcopy(GRADED_CARE)
        data["version"] = 2
        del data["areas"][3]
        with pytest.raises(TemplateInvalid) as refused:
            template_load(path=self._file(tmp_path, data))
        assert refused.value.problems == [
            "$.areas: area 'esteem' (Esteem and development) of version 1 is missing: keep every area, "
            "so that scores stay comparable over time"
        ]
        assert not AssessmentTemplate.objects.exists()

    def test_the_command_loads_a_file_and_names_every_problem_of_a_bad_one(self, tmp_path, capsys):
        data = copy.deepcopy(GRADED_CARE)
        data["id"] = "parenting-capacity"
        call_command("assessments", "load-template", str(self._file(tmp_path, data, "pc.json")))
        assert "Loaded parenting-capacity version 1" in capsys.readouterr().out
        assert template_current("parenting-capacity") is not None
        bad = tmp_path / "bad.json"
        bad.write_text('{\n  "id": ')
        from django.core.management.base import CommandError

        with pytest.raises(CommandError, match=r"bad.json: 1 problem\(s\), not loaded:\n  line 2, column 9"):
            call_command("assessments", "load-template", str(bad))

    def test_loading_a_default_as_it_ships_changes_nothing(self):
        assert template_load(path=Path(DEFAULTS_DIR / "home-conditions.json"))[1] is False


@pytest.mark.django_db
class TestAdminUpload:
    URL = "/admin/assessments/assessmenttemplate/add/"

    def _upload(self, client, data, name="graded-care.json"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        return client.post(self.URL, {"file": SimpleUploadedFile(name, json.dumps(data).encode())})

    def test_an_administrator_uploads_a_newer_version(self, client, area):
        client.force_login(area.administrator)
        data = copy.deepcopy(GRADED_CARE)
        data["version"] = 2
        response = self._upload(client, data)
        assert response.status_code == 302
        loaded = AssessmentTemplate.objects.get()
        assert (loaded.template, loaded.version, loaded.loaded_by) == (
            "graded-care",
            2,
            area.administrator.username,
        )
        assert client.get("/admin/assessments/assessmenttemplate/").status_code == 200

    def test_a_bad_file_is_refused_with_its_problems_and_nothing_is_loaded(self, client, area):
        client.force_login(area.administrator)
        data = copy.deepcopy(GRADED_CARE)
        data["areas"][1]["sub_areas"][0]["items"][0]["id"] = "food-enough"
        response = self._upload(client, data)
        assert response.status_code == 200
        assert "duplicate item id &#x27;food-enough&#x27;" in response.content.decode()
        response = self._upload(client, GRADED_CARE)
        assert "graded-care version 1 is already loaded, unchanged" in response.content.decode()
        assert not AssessmentTemplate.objects.exists()

    @pytest.mark.parametrize("who", ["involved", "team_manager", "auditor"])
    def test_only_administrators(self, client, area, who):
        client.force_login(getattr(area, who))
        response = client.get(self.URL)
        assert response.status_code == 302
