"""Validation of case bundles: the JSON Schema first, then what a schema cannot say (references,
check digits, postcodes, duplicate ids). Every problem names its JSON path."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import fastjsonschema
from django.conf import settings
from django.core.exceptions import ValidationError
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError
from jsonschema.exceptions import best_match

from lantern.assessments.definitions import Template
from lantern.assessments.exchange import bundle_assessment_problems
from lantern.interop.bundle_text import SpooledSection
from lantern.people.identifiers import nhs_number_normalise, postcode_normalise

if TYPE_CHECKING:
    from lantern.interop.bundle_stream import EventReferences

SCHEMA_PATH = Path(settings.BASE_DIR) / "docs" / "schema" / "case-bundle-1.json"
MAX_PROBLEMS = 100
Bundle = dict[str, Any]


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class BundleInvalid(Exception):
    """The bundle cannot be imported; nothing has been written."""

    def __init__(self, problems: list[Problem], *, name: str = "bundle") -> None:
        self.problems = problems
        self.name = name
        shown = "\n".join(f"  {p}" for p in problems[:MAX_PROBLEMS])
        more = f"\n  … and {len(problems) - MAX_PROBLEMS} more" if len(problems) > MAX_PROBLEMS else ""
        super().__init__(f"{name}: {len(problems)} problem(s), nothing imported:\n{shown}{more}")


@cache
def case_bundle_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(case_bundle_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def json_path(parts: Iterable[str | int]) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


def _specific(error: SchemaError) -> Iterator[SchemaError]:
    """oneOf/anyOf say only "is not valid under any of the given schemas": name what is wrong instead.

    The branch that fits (a child's schema for ``"kind": "child"``) is the one whose ``const`` matched;
    its errors are the ones to show.
    """
    if not error.context:
        yield error
        return
    branches: dict[Any, list[SchemaError]] = defaultdict(list)
    for sub in error.context:
        branches[sub.relative_schema_path[0]].append(sub)
    plausible = [errors for errors in branches.values() if not any(e.validator == "const" for e in errors)]
    if len(plausible) == 1:
        for sub in plausible[0]:
            yield from _specific(sub)
    else:
        yield from _specific(best_match(error.context))


def fast_validator(schema: dict[str, Any]) -> Callable[[Any], Any]:
    """A compiled validator (fastjsonschema) that only says yes or no, quickly: the common case is a good
    bundle. When it says no, jsonschema (slower, but it lists every problem with its path) explains.

    Every ``$ref`` is written out in place first: the compiled code calls a function for each ``$ref``,
    which costs more than the check itself (ADR 0011)."""
    inlined = _inline(schema, schema.get("$defs", {}))
    return fastjsonschema.compile({**inlined, "$schema": "http://json-schema.org/draft-07/schema#"})


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """The schema with each ``{"$ref": "#/$defs/x"}`` replaced by ``x`` (the schema has no cycles)."""
    if isinstance(node, list):
        return [_inline(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target = _inline(defs[node["$ref"].removeprefix("#/$defs/")], defs)
        rest = {k: _inline(v, defs) for k, v in node.items() if k != "$ref" and not _annotation(k, v)}
        return {"allOf": [target, rest]} if rest else target
    return {k: _inline(v, defs) for k, v in node.items() if k != "$defs" and not _annotation(k, v)}


def _annotation(key: str, value: Any) -> bool:
    """A ``description`` that says something to people (not a property called "description")."""
    return key == "description" and isinstance(value, str)


def _arrays() -> dict[str, dict[str, Any]]:
    """The schema of the items of each top-level array, with the definitions they use."""
    schema = case_bundle_schema()
    return {
        name: {"$defs": schema["$defs"], **spec["items"]}
        for name, spec in schema["properties"].items()
        if spec.get("type") == "array" and "items" in spec
    }


@cache
def _fast() -> tuple[Callable[[Any], Any], dict[str, Callable[[Any], Any]]]:
    """One validator for the bundle's own fields, its arrays taken as empty, and one for the items of
    each array: compiled code checks an array's items in a loop that builds each item's path, which
    costs more than checking the item."""
    return fast_validator(case_bundle_schema()), {n: fast_validator(s) for n, s in _arrays().items()}


def schema_arrays() -> frozenset[str]:
    """The top-level arrays the schema describes."""
    return frozenset(_fast()[1])


@cache
def _item_validators() -> dict[str, Draft202012Validator]:
    return {
        name: Draft202012Validator(s, format_checker=Draft202012Validator.FORMAT_CHECKER)
        for name, s in _arrays().items()
    }


def _is_array(value: Any) -> bool:
    """A top-level array, held (a list) or kept on disk while a file is read (``SpooledSection``)."""
    return isinstance(value, (list, SpooledSection))


def explained(
    fast: Callable[[Any], Any], validator: Draft202012Validator, where: list[str | int], value: Any
) -> list[Problem]:
    """Nothing if the compiled validator accepts ``value`` (the common case, quickly); else what
    jsonschema says is wrong with it, each problem at its path under ``where``."""
    try:
        fast(value)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    return [
        Problem(json_path([*where, *specific.absolute_path]), specific.message)
        for error in validator.iter_errors(value)
        for specific in _specific(error)
    ]


def item_problems(section: str, index: int, item: Any) -> list[Problem]:
    """What the schema says is wrong with one item of a top-level array (its path in the whole bundle);
    an array the schema does not know is reported by ``schema_problems``."""
    fast = _fast()[1].get(section)
    if fast is None:
        return []
    return explained(fast, _item_validators()[section], [section, index], item)


def schema_problems(bundle: Any, *, items: bool = True) -> Iterator[Problem]:
    """What the schema says is wrong: the bundle's own fields, then each item of each array (``items``
    False: the items were checked one by one as they were read, by ``item_problems``)."""
    whole, item_validators = _fast()
    if not isinstance(bundle, dict):
        own: Any = bundle
    else:
        own = {k: [] if k in item_validators and _is_array(v) else v for k, v in bundle.items()}
    yield from explained(whole, _validator(), [], own)
    if items and isinstance(bundle, dict):
        for name in item_validators:
            if _is_array(bundle.get(name)):
                for index, item in enumerate(bundle[name]):
                    yield from item_problems(name, index, item)


def semantic_problems(
    bundle: Bundle, *, known: dict[str, set[str]], events: EventReferences | None = None
) -> Iterator[Problem]:
    """References, identifiers and ids: ``known`` holds ids of this source already in the database;
    ``events`` what the streamed events refer to (each event itself was checked as it was read)."""
    ids: dict[str, dict[str, int]] = {}
    for section in (
        "agencies",
        "professionals",
        "people",
        "households",
        "involvements",
        "assessments",
        "plans",
        "meetings",
    ):
        seen: dict[str, int] = {}
        for index, item in enumerate(bundle.get(section, [])):
            if item["id"] in seen:
                yield Problem(
                    json_path([section, index, "id"]),
                    f"duplicate id {item['id']!r} (first at {json_path([section, seen[item['id']]])})",
                )
            seen.setdefault(item["id"], index)
        ids[section] = seen

    def exists(section: str, ref: str) -> bool:
        return ref in ids[section] or ref in known.get(section, set())

    kinds = {p["id"]: p["kind"] for p in bundle.get("people", [])}

    def check(section: str, path: list[str | int], ref: str, what: str) -> Iterator[Problem]:
        if not exists(section, ref):
            yield Problem(
                json_path(path), f"{what} {ref!r} is not in this bundle's {section} nor already imported"
            )

    def check_child(path: list[str | int], ref: str) -> Iterator[Problem]:
        yield from check("people", path, ref, "child")
        if kinds.get(ref, "child") != "child" or ref in known.get("adults", set()):
            yield Problem(json_path(path), f"{ref!r} is an adult, not a child")

    for index, professional in enumerate(bundle.get("professionals", [])):
        yield from check("agencies", ["professionals", index, "agency"], professional["agency"], "agency")

    nhs_seen: dict[str, str] = {}
    for index, person in enumerate(bundle.get("people", [])):
        if "nhs_number" in person:
            try:
                number = nhs_number_normalise(person["nhs_number"])
            except ValidationError as error:
                yield Problem(json_path(["people", index, "nhs_number"]), error.messages[0])
            else:
                if number in nhs_seen:
                    yield Problem(
                        json_path(["people", index, "nhs_number"]),
                        f"NHS number {number} is also given to {nhs_seen[number]!r}",
                    )
                nhs_seen[number] = person["id"]
        for r_index, risk in enumerate(person.get("risk_factors", [])):
            if "agency" in risk:
                yield from check(
                    "agencies", ["people", index, "risk_factors", r_index, "agency"], risk["agency"], "agency"
                )

    related: dict[tuple[str, str, str], int] = {}
    for index, relationship in enumerate(bundle.get("relationships", [])):
        for end in ("from", "to"):
            yield from check("people", ["relationships", index, end], relationship[end], "person")
        if relationship["from"] == relationship["to"]:
            yield Problem(json_path(["relationships", index]), "a person cannot be related to themselves")
        key = (relationship["from"], relationship["to"], relationship["type"])
        if key in related:  # a relationship has no id: the same one twice could say two things
            yield Problem(
                json_path(["relationships", index]),
                f"the same relationship as {json_path(['relationships', related[key]])}",
            )
        related.setdefault(key, index)

    households_of: dict[str, list[int]] = defaultdict(list)
    for index, household in enumerate(bundle.get("households", [])):
        for m_index, member in enumerate(household["members"]):
            yield from check("people", ["households", index, "members", m_index], member, "member")
            households_of[member].append(index)
        for m_index, member in enumerate(household.get("main_home_for", [])):
            if member not in household["members"]:
                yield Problem(
                    json_path(["households", index, "main_home_for", m_index]),
                    f"{member!r} is not a member of this household",
                )
        try:
            postcode_normalise(household["address"]["postcode"])
        except ValidationError as error:
            yield Problem(json_path(["households", index, "address", "postcode"]), error.messages[0])
    main_homes: Counter[str] = Counter()
    for household in bundle.get("households", []):
        marked = household.get("main_home_for")
        for member in household["members"]:
            if (member in marked) if marked is not None else len(households_of[member]) == 1:
                main_homes[member] += 1
    for person, count in main_homes.items():
        if count > 1:
            yield Problem(json_path(["households"]), f"{person!r} has {count} main homes: mark only one")

    leads: dict[str, int] = {}
    for index, involvement in enumerate(bundle.get("involvements", [])):
        path: list[str | int] = ["involvements", index]
        yield from check_child([*path, "child"], involvement["child"])
        yield from check("agencies", [*path, "agency"], involvement["agency"], "agency")
        if "professional" in involvement:
            yield from check(
                "professionals", [*path, "professional"], involvement["professional"], "professional"
            )
        ended = involvement.get("ended_on")
        if ended is not None and ended < involvement["started_on"]:
            yield Problem(json_path([*path, "ended_on"]), "an involvement cannot end before it starts")
        if involvement.get("lead") and ended is None:
            if involvement["child"] in leads:
                yield Problem(
                    json_path([*path, "lead"]),
                    f"child {involvement['child']!r} already has a current lead at "
                    f"{json_path(['involvements', leads[involvement['child']]])}",
                )
            leads.setdefault(involvement["child"], index)

    yield from _record_problems(bundle, exists, check, check_child)
    if events is not None:
        yield from _event_reference_problems(events, exists, check_child)


def _event_reference_problems(
    events: EventReferences,
    exists: Callable[[str, str], bool],
    check_child: Callable[[list[str | int], str], Iterator[Problem]],
) -> Iterator[Problem]:
    """Each missing reference once, at the first event that makes it."""
    for child, index in events.children.items():
        yield from check_child(["events", index, "child"], child)
    for section, refs, what in (
        ("agencies", events.agencies, "agency"),
        ("professionals", events.professionals, "professional"),
    ):
        for ref, (index, key) in refs.items():
            if not exists(section, ref):
                yield Problem(
                    json_path(["events", index, key]),
                    f"{what} {ref!r} is not in this bundle's {section} nor already imported",
                )


def _record_problems(
    bundle: Bundle,
    exists: Callable[[str, str], bool],
    check: Callable[[str, list[str | int], str, str], Iterator[Problem]],
    check_child: Callable[[list[str | int], str], Iterator[Problem]],
) -> Iterator[Problem]:
    """References from assessments, plans and meetings; assessments against their templates."""
    templates: dict[tuple[str, int | None], Template | None] = {}
    for index, assessment in enumerate(bundle.get("assessments", [])):
        path: list[str | int] = ["assessments", index]
        yield from check_child([*path, "child"], assessment["child"])
        yield from check("agencies", [*path, "agency"], assessment["agency"], "agency")
        if "assessor" in assessment:
            yield from check("professionals", [*path, "assessor"], assessment["assessor"], "professional")
        if "countersigned_by" in assessment:
            yield from check(
                "professionals", [*path, "countersigned_by"], assessment["countersigned_by"], "professional"
            )
        if "rated_for" in assessment:
            yield from check_child([*path, "rated_for"], assessment["rated_for"])
        for t_index, target in enumerate(assessment.get("targets", [])):
            if "plan" in target:
                yield from check("plans", [*path, "targets", t_index, "plan"], target["plan"], "plan")
        for where, message in bundle_assessment_problems(assessment, templates):
            yield Problem(json_path([*path, *where]), message)
    for index, plan in enumerate(bundle.get("plans", [])):
        path = ["plans", index]
        if "child" in plan:
            yield from check_child([*path, "child"], plan["child"])
        for c_index, child in enumerate(plan.get("children", [])):
            yield from check_child([*path, "children", c_index], child)
        if plan.get("lead_professional"):
            yield from check(
                "professionals", [*path, "lead_professional"], plan["lead_professional"], "professional"
            )
        if plan.get("ended_on") and plan["ended_on"] < plan["started_on"]:
            yield Problem(json_path([*path, "ended_on"]), "a plan cannot end before it starts")
        if plan.get("category") and plan["type"] != "child-protection":
            yield Problem(json_path([*path, "category"]), "only a child protection plan has a category")
        held = set()
        for r_index, review in enumerate(plan.get("reviews", [])):
            if review["held_on"] in held:
                yield Problem(
                    json_path([*path, "reviews", r_index, "held_on"]), "two reviews of this plan on one day"
                )
            held.add(review["held_on"])
        for a_index, action in enumerate(plan.get("actions", [])):
            owner = action["owner"]
            if not (exists("people", owner) or exists("professionals", owner)):
                yield Problem(
                    json_path([*path, "actions", a_index, "owner"]),
                    f"owner {owner!r} is neither a person nor a professional in this bundle "
                    "nor already imported",
                )
    for index, meeting in enumerate(bundle.get("meetings", [])):
        path = ["meetings", index]
        yield from check_child([*path, "child"], meeting["child"])
        for key in ("invited_agencies", "attended_agencies"):
            for a_index, agency in enumerate(meeting.get(key, [])):
                yield from check("agencies", [*path, key, a_index], agency, "agency")
