"""``lantern generate``: deterministic, valid, in realistic proportions, and importable (people only)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from lantern.interop.bundle_schema import schema_problems, semantic_problems
from lantern.interop.case_bundle import case_bundle_import, case_bundle_validate
from lantern.interop.synthetic import (
    CHRONOLOGY_SECTIONS,
    DEFAULT_AS_OF,
    PEOPLE_SECTIONS,
    synthetic_bundle,
    synthetic_bundle_write,
)
from lantern.people.identifiers import nhs_number_normalise, postcode_normalise


def _generate(path: Path, *args: str) -> bytes:
    call_command("generate", "--out", str(path), "--no-progress", *args, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return path.read_bytes()


@pytest.fixture(scope="module")
def population() -> dict[str, Any]:
    """20,000 children with their chronology: large enough for the shares to settle."""
    return synthetic_bundle(children=20_000, seed=11)


def _children(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in bundle["people"] if p["kind"] == "child"]


def _open_plans(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [p for p in bundle["plans"] if p["type"] == kind and p["ended_on"] is None]


class TestDeterminism:
    def test_the_same_seed_writes_the_same_bytes(self, tmp_path: Path) -> None:
        first = _generate(tmp_path / "a.json", "--children", "300", "--seed", "7")
        again = _generate(tmp_path / "b.json", "--children", "300", "--seed", "7")
        assert first == again

    def test_another_seed_or_day_writes_another_population(self, tmp_path: Path) -> None:
        first = _generate(tmp_path / "a.json", "--children", "300", "--seed", "7")
        assert _generate(tmp_path / "b.json", "--children", "300", "--seed", "8") != first
        assert (
            _generate(tmp_path / "c.json", "--children", "300", "--seed", "7", "--as-of", "2026-06-01")
            != first
        )

    def test_the_file_holds_what_the_function_returns(self, tmp_path: Path) -> None:
        path = tmp_path / "bundle.json"
        counts = synthetic_bundle_write(path, children=250, seed=3, source="area-3")
        bundle = json.loads(path.read_text(encoding="utf-8"))
        assert bundle == synthetic_bundle(children=250, seed=3, source="area-3")
        assert counts == {section: len(bundle[section]) for section in counts}
        assert bundle["source"] == "area-3"

    def test_people_only_is_the_first_sections_of_the_whole_bundle(self) -> None:
        whole = synthetic_bundle(children=400, seed=5)
        people = synthetic_bundle(children=400, seed=5, people_only=True)
        assert list(people) == ["format", "source", *PEOPLE_SECTIONS]
        assert all(people[section] == whole[section] for section in PEOPLE_SECTIONS)
        assert all(whole[section] for section in ("events", "plans", "meetings"))
        assert set(whole) - set(people) == set(CHRONOLOGY_SECTIONS)

    def test_the_number_of_children_is_exact(self) -> None:
        for children in (1, 2, 17, 333):
            assert (
                len(_children(synthetic_bundle(children=children, seed=children, people_only=True)))
                == children
            )


class TestValidity:
    def test_a_whole_bundle_matches_the_schema_and_its_references_hold(self) -> None:
        bundle = synthetic_bundle(children=200, seed=2)
        assert list(schema_problems(bundle)) == []
        assert list(semantic_problems(bundle, known={})) == []

    @pytest.mark.django_db
    def test_a_people_only_bundle_can_be_imported(self) -> None:
        case_bundle_validate(synthetic_bundle(children=200, seed=2, people_only=True))

    def test_nhs_numbers_are_test_numbers_only_and_never_repeat(self, population: dict[str, Any]) -> None:
        numbers = [p["nhs_number"] for p in population["people"] if "nhs_number" in p]
        assert len(numbers) > 20_000
        assert all(n.startswith("999") and nhs_number_normalise(n) == n for n in numbers)
        assert len(set(numbers)) == len(numbers)

    def test_addresses_have_uk_postcodes(self, population: dict[str, Any]) -> None:
        assert all(postcode_normalise(h["address"]["postcode"]) for h in population["households"])

    def test_nothing_happens_after_the_day_the_population_is_as_at(self, population: dict[str, Any]) -> None:
        as_of = DEFAULT_AS_OF.isoformat()
        assert max(e["at"][:10] for e in population["events"]) <= as_of
        assert max(p["date_of_birth"] for p in population["people"] if "date_of_birth" in p) <= as_of
        assert (
            min(p["expected_date_of_birth"] for p in population["people"] if "expected_date_of_birth" in p)
            > as_of
        )


class TestProportions:
    """Against the published figures quoted in lantern/interop/synthetic.py, on 20,000 children."""

    def test_children_in_need_and_on_child_protection_plans(self, population: dict[str, Any]) -> None:
        children = len(_children(population))
        protection = len(_open_plans(population, "child-protection"))
        in_need = len(_open_plans(population, "child-in-need")) + protection
        assert 0.0035 <= protection / children <= 0.0045  # DfE: ~40 per 10,000
        assert 0.030 <= in_need / children <= 0.036  # DfE: ~330 per 10,000
        assert 0.015 <= len(_open_plans(population, "early-help")) / children <= 0.025

    def test_about_half_of_child_protection_plans_are_for_neglect(self, population: dict[str, Any]) -> None:
        categories = Counter(p["category"] for p in _open_plans(population, "child-protection"))
        assert 0.35 <= categories["neglect"] / sum(categories.values()) <= 0.65
        assert categories["emotional"] > categories["physical"]

    def test_a_small_share_of_children_are_unborn(self, population: dict[str, Any]) -> None:
        unborn = [c for c in _children(population) if "expected_date_of_birth" in c]
        assert 0.01 <= len(unborn) / 20_000 <= 0.03
        assert all("nhs_number" not in c and "date_of_birth" not in c for c in unborn)

    def test_a_and_e_attendance_rates_by_age(self, population: dict[str, Any]) -> None:
        as_of = DEFAULT_AS_OF
        born = {
            c["id"]: dt.date.fromisoformat(c["date_of_birth"])
            for c in _children(population)
            if "date_of_birth" in c
        }

        def band(child: str) -> int:
            age = (as_of - born[child]).days / 365.25
            return 0 if age < 1 else 1 if age < 5 else 2 if age < 15 else 3

        exposure: Counter[int] = Counter()
        for child, dob in born.items():  # years of history (two, or since birth) in each child's band
            exposure[band(child)] += min(730, (as_of - dob).days) / 365.25
        attendances = Counter(band(e["child"]) for e in population["events"] if e["type"] == "attendance")
        rates = [attendances[b] / exposure[b] for b in range(4)]
        assert 0.45 <= rates[0] <= 0.70  # NHS: under-1s highest
        assert 0.25 <= rates[1] <= 0.40
        assert 0.15 <= rates[2] <= 0.26
        assert 0.24 <= rates[3] <= 0.40

    def test_was_not_brought_rates_are_higher_on_plans(self, population: dict[str, Any]) -> None:
        planned = {p["child"] for p in population["plans"] if p["type"] == "child-protection"}
        outcomes: dict[bool, Counter[str]] = {True: Counter(), False: Counter()}
        for e in population["events"]:
            if e["type"] == "appointment":
                outcomes[e["child"] in planned][e["outcome"]] += 1
        share = {k: c["was-not-brought"] / sum(c.values()) for k, c in outcomes.items()}
        assert 0.05 <= share[False] <= 0.10
        assert share[True] > share[False] + 0.05

    def test_households_have_one_or_two_adults_with_parental_responsibility(
        self, population: dict[str, Any]
    ) -> None:
        kinds = {p["id"]: p["kind"] for p in population["people"]}
        adults = Counter(sum(kinds[m] == "adult" for m in h["members"]) for h in population["households"])
        assert set(adults) == {1, 2}
        with_responsibility = {
            r["to"] for r in population["relationships"] if r.get("parental_responsibility")
        }
        assert with_responsibility == {c["id"] for c in _children(population)}
        assert any(r["type"] == "sibling" for r in population["relationships"])

    def test_involvements_follow_age_and_plans(self, population: dict[str, Any]) -> None:
        leads = {i["child"] for i in population["involvements"] if i.get("lead")}
        planned = {p["child"] for p in population["plans"] if p["ended_on"] is None}
        assert leads == planned
        agencies = {a["id"]: a for a in population["agencies"]}
        by_child: dict[str, set[str]] = {}
        for i in population["involvements"]:
            by_child.setdefault(i["child"], set()).add(agencies[i["agency"]]["type"])
        teenagers = [
            c["id"]
            for c in _children(population)
            if "date_of_birth" in c and c["date_of_birth"] < "2012-01-01"
        ]
        assert all("education" in by_child[c] for c in teenagers)


@pytest.mark.django_db
class TestImport:
    def test_a_people_only_bundle_imports_and_importing_again_changes_nothing(self, tmp_path: Path) -> None:
        path = tmp_path / "people.json"
        _generate(path, "--children", "150", "--seed", "4", "--people-only")
        first = case_bundle_import(path)
        assert first.changed
        assert first.created["people"] == len(json.loads(path.read_text())["people"])
        again = case_bundle_import(path)
        assert not again.changed
        assert again.unchanged["people"] == first.created["people"]

    def test_a_whole_bundle_with_its_chronology_imports_and_importing_again_changes_nothing(
        self, tmp_path: Path
    ) -> None:
        path = tmp_path / "whole.json"
        counts = synthetic_bundle_write(path, children=60, seed=9)
        first = case_bundle_import(path)
        assert first.created["people"] == counts["people"]
        assert first.created["events"] == counts["events"]
        assert not case_bundle_import(path).changed
