"""Assessment templates as data: reading and checking a template file, and finding the one in use.

A template is JSON (``docs/schema/assessment-template-1.json``): areas, their sub-areas and the items graded
in each, on a scale with a descriptor for every grade. The lowest grade is the best. Two defaults ship with
Lantern (``definitions/``), written in the project's own words; an administrator loads others, or newer
versions, with ``lantern assessments load-template FILE`` (an area licensed to use the NSPCC's Graded Care
Profile 2 loads its own file). A loaded version must keep every area of the one before it, so that scores
stay comparable over time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from jsonschema import Draft202012Validator

SCHEMA_PATH = Path(settings.BASE_DIR) / "docs" / "schema" / "assessment-template-1.json"
DEFAULTS_DIR = Path(__file__).parent / "definitions"
DEFAULTS = ("graded-care", "home-conditions")
# Templates whose grades are for the home, not one child: a child's home history is the household's.
HOME_TEMPLATES = frozenset({"home-conditions"})


class TemplateInvalid(Exception):
    """The template cannot be loaded; every problem names where it is (a JSON path)."""

    def __init__(self, problems: list[str], *, name: str = "template") -> None:
        self.problems = problems
        listed = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{name}: {len(problems)} problem(s), not loaded:\n{listed}")


@dataclass(frozen=True)
class Grade:
    grade: int
    label: str
    descriptor: str


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    guidance: str
    optional: bool
    descriptors: dict[int, str]


@dataclass(frozen=True)
class SubArea:
    id: str
    title: str
    guidance: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Area:
    id: str
    title: str
    guidance: str
    sub_areas: tuple[SubArea, ...]

    @property
    def items(self) -> list[Item]:
        return [item for sub in self.sub_areas for item in sub.items]


@dataclass(frozen=True)
class LevelOfConcern:
    id: str
    label: str
    descriptor: str


@dataclass(frozen=True)
class Template:
    id: str
    version: int
    title: str
    description: str
    authorship: str
    licence: str
    professions: frozenset[str]  # empty: anyone involved with the child may complete it
    countersign: bool
    per_child: bool
    lowest: int
    highest: int
    concern_from: int
    grades: tuple[Grade, ...]
    areas: tuple[Area, ...]
    levels_of_concern: tuple[LevelOfConcern, ...]
    source: dict[str, Any]  # the file as loaded, kept with every stored version

    def area(self, area_id: str) -> Area:
        return next(a for a in self.areas if a.id == area_id)

    @property
    def items(self) -> list[Item]:
        return [item for area in self.areas for item in area.items]

    def grade(self, grade: int) -> Grade:
        return next(g for g in self.grades if g.grade == grade)

    def in_scale(self, grade: int) -> bool:
        return self.lowest <= grade <= self.highest

    @property
    def scale_text(self) -> str:
        return f"{self.lowest} to {self.highest}"


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def _path(parts: Any) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


def _semantic_problems(data: dict[str, Any]) -> Iterator[str]:
    scale = data["scale"]
    lowest, highest = scale["lowest"], scale["highest"]
    if lowest >= highest:
        yield f"$.scale: the lowest grade ({lowest}) must be below the highest ({highest})"
        return
    span = f"{lowest} to {highest}"
    seen: set[int] = set()
    for index, grade in enumerate(scale["grades"]):
        if not lowest <= grade["grade"] <= highest:
            yield f"$.scale.grades[{index}].grade: grade {grade['grade']} is outside the scale {span}"
        elif grade["grade"] in seen:
            yield f"$.scale.grades[{index}].grade: grade {grade['grade']} is described twice"
        seen.add(grade["grade"])
    for missing in sorted(set(range(lowest, highest + 1)) - seen):
        yield f"$.scale.grades: grade {missing} has no descriptor (every grade from {span} needs one)"
    if not lowest <= scale["concern_from"] <= highest:
        yield f"$.scale.concern_from: grade {scale['concern_from']} is outside the scale {span}"
    first_at: dict[str, str] = {}
    for a, area in enumerate(data["areas"]):
        places: list[tuple[str, str, str]] = [("area", area["id"], _path(["areas", a, "id"]))]
        for s, sub in enumerate(area["sub_areas"]):
            places.append(("sub-area", sub["id"], _path(["areas", a, "sub_areas", s, "id"])))
            for i, item in enumerate(sub["items"]):
                where = ["areas", a, "sub_areas", s, "items", i]
                places.append(("item", item["id"], _path([*where, "id"])))
                for grade in item.get("descriptors", {}):
                    if not lowest <= int(grade) <= highest:
                        at = _path([*where, "descriptors", grade])
                        yield f"{at}: grade {grade} is outside the scale {span}"
        for kind, ident, path in places:
            if ident in first_at:
                yield f"{path}: duplicate {kind} id {ident!r} (first at {first_at[ident]})"
            else:
                first_at[ident] = path
    levels = [level["id"] for level in data.get("conclusion", {}).get("levels_of_concern", [])]
    for index, level in enumerate(levels):
        if level in levels[:index]:
            yield f"$.conclusion.levels_of_concern[{index}].id: duplicate level of concern {level!r}"


def template_parse(data: Any, *, name: str = "template") -> Template:
    """The template ``data`` describes, or TemplateInvalid listing every problem with its JSON path."""
    problems = [
        f"{_path(error.absolute_path)}: {error.message}"
        for error in sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    ]
    if not problems:
        problems = list(_semantic_problems(data))
    if problems:
        raise TemplateInvalid(problems, name=name)
    scale = data["scale"]
    may = data["may_complete"]
    return Template(
        id=data["id"],
        version=data["version"],
        title=data["title"],
        description=data.get("description", ""),
        authorship=data["authorship"],
        licence=data.get("licence", ""),
        professions=frozenset(may["professions"]) if isinstance(may, dict) else frozenset(),
        countersign=data["countersign"],
        per_child=data["per_child"],
        lowest=scale["lowest"],
        highest=scale["highest"],
        concern_from=scale["concern_from"],
        grades=tuple(
            Grade(g["grade"], g["label"], g["descriptor"])
            for g in sorted(scale["grades"], key=lambda g: g["grade"])
        ),
        areas=tuple(
            Area(
                id=area["id"],
                title=area["title"],
                guidance=area.get("guidance", ""),
                sub_areas=tuple(
                    SubArea(
                        id=sub["id"],
                        title=sub["title"],
                        guidance=sub.get("guidance", ""),
                        items=tuple(
                            Item(
                                id=item["id"],
                                title=item["title"],
                                guidance=item.get("guidance", ""),
                                optional=item.get("optional", False),
                                descriptors={int(k): v for k, v in item.get("descriptors", {}).items()},
                            )
                            for item in sub["items"]
                        ),
                    )
                    for sub in area["sub_areas"]
                ),
            )
            for area in data["areas"]
        ),
        levels_of_concern=tuple(
            LevelOfConcern(level["id"], level["label"], level.get("descriptor", ""))
            for level in data.get("conclusion", {}).get("levels_of_concern", [])
        ),
        source=data,
    )


def template_read(path: Path) -> Template:
    """A template file, read and checked; a file that is not JSON is refused naming the line."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise TemplateInvalid(
            [f"line {error.lineno}, column {error.colno}: {error.msg}"], name=str(path)
        ) from None
    return template_parse(data, name=str(path))


@cache
def template_default(template_id: str) -> Template:
    return template_read(DEFAULTS_DIR / f"{template_id}.json")
