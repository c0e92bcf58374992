"""The case-bundle import: all or nothing, the same bundle twice changes nothing, and every problem
is named by its JSON path."""

import copy
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lantern.agencies.models import Agency, Involvement, Professional, Team
from lantern.interop.bundle_schema import BundleInvalid
from lantern.interop.case_bundle import case_bundle_import
from lantern.interop.demo import DEMO_BUNDLE, DEMO_PASSWORD, demo_area_load
from lantern.people.models import Household, HouseholdMember, Person, Relationship, RiskFactor

pytestmark = pytest.mark.django_db

BUNDLE = {
    "format": "lantern.case-bundle/1",
    "source": "t",
    "agencies": [
        {
            "id": "sw",
            "name": "Children's Social Care",
            "type": "social-care",
            "contact_phone": "01632 960101",
        },
        {"id": "hv", "name": "Health Visiting", "type": "health"},
    ],
    "professionals": [
        {"id": "sw1", "name": "Sam Okafor", "agency": "sw", "role": "social-worker", "team": "CP Team"},
    ],
    "people": [
        {
            "id": "c1",
            "kind": "child",
            "given_name": "Ava",
            "family_name": "Morgan",
            "date_of_birth": "2025-02-01",
            "nhs_number": "943 476 5919",
            "premature": True,
            "health_needs": ["reflux"],
        },
        {"id": "u1", "kind": "child", "expected_date_of_birth": "2027-01-20"},
        {
            "id": "m1",
            "kind": "adult",
            "given_name": "Kay",
            "family_name": "Morgan",
            "date_of_birth": "2006-05-05",
            "childhood_history": "Looked after as a teenager.",
            "risk_factors": [{"factor": "substance-misuse", "recorded_on": "2025-06-01", "agency": "hv"}],
        },
    ],
    "relationships": [
        {"from": "m1", "to": "c1", "type": "mother", "parental_responsibility": True},
        {"from": "c1", "to": "u1", "type": "sibling"},
    ],
    "households": [
        {
            "id": "h1",
            "members": ["m1", "c1", "u1"],
            "address": {"line1": "1 Mill Lane", "postcode": "hp19 8ff"},
        },
    ],
    "involvements": [
        {
            "id": "i1",
            "child": "c1",
            "agency": "sw",
            "professional": "sw1",
            "team": "CP Team",
            "lead": True,
            "started_on": "2025-06-01",
        },
        {"id": "i2", "child": "c1", "agency": "hv", "started_on": "2025-02-10"},
    ],
}

MODELS = [
    Agency,
    Team,
    Professional,
    Person,
    RiskFactor,
    Relationship,
    Household,
    HouseholdMember,
    Involvement,
]


def _counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def _bundle(**changes):
    bundle = copy.deepcopy(BUNDLE)
    bundle.update(changes)
    return bundle


def _problems(bundle, tmp_path=None):
    """The problems an invalid bundle is refused with, given as a dict or (``tmp_path``) as a file, whose
    sections are kept on disk while it is checked (ADR 21)."""
    before = _counts()
    if tmp_path is not None:
        bundle_path = tmp_path / "test.json"
        bundle_path.write_text(json.dumps(bundle, indent=1), encoding="utf-8")
        bundle = bundle_path
    with pytest.raises(BundleInvalid) as error:
        case_bundle_import(bundle, name="test.json")
    assert _counts() == before, "an invalid bundle must change nothing"
    return [str(p) for p in error.value.problems]


@pytest.fixture(params=["dict", "file"])
def problems_of(request, tmp_path):
    """``_problems`` for a bundle given as a dict, then as a file: the same problems either way."""
    return lambda bundle: _problems(bundle, tmp_path if request.param == "file" else None)


class TestImport:
    def test_everything_in_the_bundle_is_written(self):
        result = case_bundle_import(_bundle())
        assert result.changed
        child = Person.objects.get(source="t", source_id="c1")
        assert (child.kind, child.nhs_number, child.premature, child.health_needs) == (
            "child",
            "9434765919",
            True,
            ["reflux"],
        )
        assert Person.objects.get(source_id="u1").is_unborn
        mother = Person.objects.get(source_id="m1")
        assert mother.childhood_history == "Looked after as a teenager."
        assert mother.risk_factors.get().agency.name == "Health Visiting"
        assert Relationship.objects.get(to_person=child).parental_responsibility
        member = HouseholdMember.objects.get(person=child)
        assert member.main_home
        assert member.household.address.postcode == "HP19 8FF"
        lead = Involvement.objects.get(lead=True)
        assert (lead.child, lead.professional.name, lead.team.name) == (child, "Sam Okafor", "CP Team")
        sw1 = Professional.objects.get(source_id="sw1")
        assert (sw1.username, sw1.profession, sw1.role, sw1.has_usable_password()) == (
            "t.sw1",
            "social-worker",
            "practitioner",
            False,
        )

    def test_importing_the_same_bundle_again_changes_nothing(self):
        case_bundle_import(_bundle())
        before = _counts()
        rows = list(Person.objects.values())
        result = case_bundle_import(_bundle())
        assert not result.changed
        assert _counts() == before
        assert list(Person.objects.values()) == rows

    def test_a_newer_bundle_updates_what_changed(self):
        case_bundle_import(_bundle())
        bundle = _bundle()
        bundle["people"][0]["family_name"] = "Morgan-Hart"
        bundle["households"][0]["address"]["line1"] = "2 Mill Lane"
        result = case_bundle_import(bundle)
        assert result.updated["people"] == 1
        assert result.updated["households"] == 1
        assert Person.objects.get(source_id="c1").family_name_index == "morgan hart"
        assert Household.objects.get().address.line1 == "2 Mill Lane"

    def test_a_later_bundle_may_refer_to_records_already_imported(self):
        case_bundle_import(_bundle())
        later = {
            "format": "lantern.case-bundle/1",
            "source": "t",
            "involvements": [{"id": "i3", "child": "c1", "agency": "hv", "started_on": "2025-07-01"}],
        }
        case_bundle_import(later)
        assert Involvement.objects.filter(source_id="i3").exists()

    def test_the_main_home_can_move(self):
        case_bundle_import(_bundle())
        bundle = _bundle()
        bundle["households"].append(
            {
                "id": "h2",
                "members": ["c1"],
                "main_home_for": ["c1"],
                "address": {"line1": "9 Orchard Close", "postcode": "HP20 1QT"},
            }
        )
        bundle["households"][0]["main_home_for"] = ["m1", "u1"]
        case_bundle_import(bundle)
        child = Person.objects.get(source_id="c1")
        assert HouseholdMember.objects.get(person=child, main_home=True).household.source_id == "h2"

    def test_same_ids_from_another_source_are_other_records(self):
        case_bundle_import(_bundle())
        other = _bundle(source="other")
        for person in other["people"]:
            person.pop("nhs_number", None)
        case_bundle_import(other)
        assert Person.objects.filter(source_id="c1").count() == 2


class TestInvalidBundles:
    def test_not_a_case_bundle(self, problems_of):
        assert problems_of({"format": "something-else", "source": "t"}) == [
            "$.format: 'lantern.case-bundle/1' was expected"
        ]

    def test_schema_problems_name_the_json_path(self, problems_of):
        bundle = _bundle()
        bundle["people"][0]["date_of_birth"] = "01/02/2025"
        bundle["agencies"][1]["type"] = "hospital"
        problems = problems_of(bundle)
        assert any(p.startswith("$.people[0].date_of_birth:") for p in problems), problems
        assert any(p.startswith("$.agencies[1].type:") and "hospital" in p for p in problems), problems

    def test_an_invalid_nhs_number(self, problems_of):
        bundle = _bundle()
        bundle["people"][0]["nhs_number"] = "9434765918"
        assert problems_of(bundle) == [
            "$.people[0].nhs_number: 9434765918 is not a valid NHS number: its check digit does not match"
        ]

    def test_an_unknown_postcode_format(self, problems_of):
        bundle = _bundle()
        bundle["households"][0]["address"]["postcode"] = "HP19"
        assert problems_of(bundle) == [
            "$.households[0].address.postcode: HP19 is not a UK postcode: enter a postcode like HP19 8FF"
        ]

    def test_an_nhs_number_that_belongs_to_someone_else(self, problems_of):
        from lantern.people.tests.factories import ChildFactory

        ChildFactory(source="other", source_id="x1", nhs_number="9434765919")
        assert problems_of(_bundle()) == [
            "$.people[0].nhs_number: NHS number 9434765919 already belongs to other:x1"
        ]

    def test_a_reference_to_nobody(self, problems_of):
        bundle = _bundle()
        bundle["relationships"][0]["from"] = "m9"
        assert problems_of(bundle) == [
            "$.relationships[0].from: person 'm9' is not in this bundle's people nor already imported"
        ]

    def test_the_same_relationship_twice(self, problems_of):
        """A relationship has no id: given twice, it could say two things (parental responsibility)."""
        bundle = _bundle()
        bundle["relationships"].append({**bundle["relationships"][0], "parental_responsibility": False})
        last = len(bundle["relationships"]) - 1
        assert problems_of(bundle) == [
            f"$.relationships[{last}]: the same relationship as $.relationships[0]"
        ]

    def test_a_duplicate_id(self, problems_of):
        bundle = _bundle()
        bundle["people"].append(dict(bundle["people"][1]))
        assert problems_of(bundle) == ["$.people[3].id: duplicate id 'u1' (first at $.people[1])"]

    def test_two_current_leads_for_one_child(self, problems_of):
        bundle = _bundle()
        bundle["involvements"][1]["lead"] = True
        problems = problems_of(bundle)
        assert problems == [
            "$.involvements[1].lead: child 'c1' already has a current lead at $.involvements[0]"
        ]

    def test_an_adult_cannot_be_the_child_of_an_involvement(self, problems_of):
        bundle = _bundle()
        bundle["involvements"][1]["child"] = "m1"
        assert problems_of(bundle) == ["$.involvements[1].child: 'm1' is an adult, not a child"]

    def test_two_main_homes(self, problems_of):
        bundle = _bundle()
        bundle["households"].append(
            {
                "id": "h2",
                "members": ["c1"],
                "main_home_for": ["c1"],
                "address": {"line1": "9 Orchard Close", "postcode": "HP20 1QT"},
            }
        )
        bundle["households"][0]["main_home_for"] = ["m1", "c1"]
        assert problems_of(bundle) == ["$.households: 'c1' has 2 main homes: mark only one"]

    def test_a_child_with_neither_birth_nor_expected_date(self, problems_of):
        bundle = _bundle()
        del bundle["people"][1]["expected_date_of_birth"]
        problems = problems_of(bundle)
        assert problems
        assert all(p.startswith("$.people[1]") for p in problems), problems

    def test_one_bad_record_among_many_writes_nothing(self, problems_of):
        bundle = _bundle()
        bundle["people"] += [
            {"id": f"x{n}", "kind": "child", "date_of_birth": "2020-01-01"} for n in range(50)
        ]
        bundle["people"][-1]["nhs_number"] = "1234567890"
        assert len(problems_of(bundle)) == 1
        assert not Person.objects.exists()


class TestCommand:
    def test_import_reports_and_is_a_no_op_the_second_time(self, tmp_path, capsys):
        path = tmp_path / "bundle.json"
        path.write_text(json.dumps(BUNDLE))
        call_command("import", str(path), "--no-progress")
        assert "imported" in capsys.readouterr().out
        call_command("import", str(path), "--no-progress")
        assert "already imported, nothing changed" in capsys.readouterr().out

    def test_invalid_file_exits_non_zero_naming_file_and_path(self, tmp_path, capsys):
        path = tmp_path / "bad.json"
        path.write_text('{"format": "lantern.case-bundle/1", "source": "t", "people": [{"id": "c1"}]}')
        with pytest.raises(CommandError, match="1 of 1 file"):
            call_command("import", str(path), "--no-progress")
        err = capsys.readouterr().err
        assert str(path) in err
        assert "$.people[0]" in err

    def test_malformed_json_names_line_and_column(self, tmp_path, capsys):
        path = tmp_path / "broken.json"
        path.write_text('{"format": "lantern.case-bundle/1",\n "source": }')
        with pytest.raises(CommandError):
            call_command("import", str(path), "--no-progress")
        assert "not valid JSON" in capsys.readouterr().err

    def test_the_command_line_entry_point_answers_django_commands(self, capsys):
        from lantern.cli import main

        main(["help", "import"])
        assert "Import case bundles" in capsys.readouterr().out


class TestDemo:
    def test_the_demo_area_loads_and_loading_it_again_changes_nothing(self):
        result, sign_ins = demo_area_load()
        assert result.changed
        before = _counts()
        again, _ = demo_area_load()
        assert not again.changed
        assert _counts() == before
        assert Professional.objects.get(username="demo.sw1").check_password(DEMO_PASSWORD)
        assert {s.username for s in sign_ins} >= {"demo.sw1", "demo.tm1", "demo.admin1", "demo.aud1"}

    def test_demo_nhs_numbers_are_in_the_test_range(self):
        bundle = json.loads(DEMO_BUNDLE.read_text())
        numbers = [p["nhs_number"] for p in bundle["people"] if "nhs_number" in p]
        assert numbers
        assert all(n.startswith("999") for n in numbers)
