"""Assessments in case bundles: what a bundle's assessment must agree with in its template (checked with
the rest of the bundle, before anything is written), and a child's assessments written out as a bundle."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from lantern.assessments.definitions import Template, template_parse
from lantern.assessments.models import Assessment, AssessmentStatus, AssessmentTemplate
from lantern.assessments.selectors import template_current
from lantern.people.models import Person

Where = list[str | int]


def _template_at(template_id: str, version: int | None) -> Template | None:
    if version is not None:
        loaded = AssessmentTemplate.objects.filter(template=template_id, version=version).first()
        if loaded is not None:
            return template_parse(loaded.definition, name=f"{template_id} version {version}")
    current = template_current(template_id)
    if current is not None and (version is None or current.version == version):
        return current
    return None


def bundle_assessment_problems(
    entry: dict[str, Any], templates: dict[tuple[str, int | None], Template | None]
) -> Iterator[tuple[Where, str]]:
    """What is wrong with one bundle assessment against its template (``templates`` caches the lookups)."""
    key = (entry["template"], entry.get("template_version"))
    if key not in templates:
        templates[key] = _template_at(*key)
    template = templates[key]
    if template is None:
        version = f" version {key[1]}" if key[1] is not None else ""
        yield (
            ["template"],
            f"template {entry['template']!r}{version} is not loaded (lantern assessments load-template FILE)",
        )
        return
    scale = f"outside the scale {template.scale_text} of {template.id}"
    areas = {a.id: a for a in template.areas}
    for area, grade in entry["scores"].items():
        if area not in areas:
            yield ["scores", area], f"{template.id} has no area {area!r}"
        elif not template.in_scale(grade):
            yield ["scores", area], f"grade {grade} is {scale}"
    for area in template.areas:
        if area.id not in entry["scores"] and any(not item.optional for item in area.items):
            yield ["scores"], f"area {area.id!r} ({area.title}) is missing"
    items = entry.get("items")
    if items is not None:
        known = {item.id: area.id for area in template.areas for item in area.items}
        for item_id, given in items.items():
            if item_id not in known:
                yield ["items", item_id], f"{template.id} has no item {item_id!r}"
            elif not template.in_scale(given["grade"]):
                yield ["items", item_id, "grade"], f"grade {given['grade']} is {scale}"
        for item in template.items:
            if not item.optional and item.id not in items:
                yield ["items"], f"item {item.id!r} ({item.title}) has no grade"
        for area in template.areas:
            worst = max((items[i.id]["grade"] for i in area.items if i.id in items), default=None)
            given_score = entry["scores"].get(area.id)
            if worst is not None and given_score is not None and given_score != worst:
                yield (
                    ["scores", area.id],
                    f"grade {given_score} is not the worst grade of the area's items ({worst})",
                )
    levels = {level.id for level in template.levels_of_concern}
    if "level_of_concern" in entry and entry["level_of_concern"] not in levels:
        yield ["level_of_concern"], f"{template.id} has no level of concern {entry['level_of_concern']!r}"
    for index, target in enumerate(entry.get("targets", [])):
        if target["area"] not in areas:
            yield ["targets", index, "area"], f"{template.id} has no area {target['area']!r}"
        if not template.in_scale(target["target"]):
            yield ["targets", index, "target"], f"grade {target['target']} is {scale}"
        if target["due_on"] <= entry["completed_on"]:
            yield ["targets", index, "due_on"], "a target's date must be after the assessment"
    if entry.get("status") == AssessmentStatus.COUNTERSIGNED:
        if not template.countersign:
            yield ["status"], f"a {template.id} assessment is not countersigned"
        for field in ("countersigned_by", "countersigned_on"):
            if field not in entry:
                yield [field], "a countersigned assessment names who countersigned it and when"
    elif "countersigned_by" in entry or "countersigned_on" in entry:
        yield ["status"], "an assessment countersigned must have the status countersigned"


def _id(record: Any, source: str) -> str:
    """A record's id in a bundle of ``source``: its own id when it is of that source, else source.id."""
    return record.source_id if record.source == source else f"{record.source}.{record.source_id}"


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def assessments_bundle(*, child: Person) -> dict[str, Any]:
    """The child's completed assessments as a case bundle of the child's source, with the agencies,
    professionals, children and plans they name (records of other sources get the id ``source.id``)."""
    source = child.source
    found = (
        Assessment.objects.filter(child=child)
        .exclude(status=AssessmentStatus.DRAFT)
        .select_related(
            "agency",
            "assessor",
            "assessor__agency",
            "countersigned_by",
            "countersigned_by__agency",
            "rated_for",
        )
        .prefetch_related("scores", "item_grades", "targets__plan")
        .order_by("completed_on", "pk")
    )
    agencies: dict[str, dict[str, Any]] = {}
    professionals: dict[str, dict[str, Any]] = {}
    people: dict[str, dict[str, Any]] = {_id(child, source): _person(child, source)}
    entries = []
    for a in found:
        agencies[_id(a.agency, source)] = {
            "id": _id(a.agency, source),
            "name": a.agency.name,
            "type": a.agency.type,
        }
        entry: dict[str, Any] = {
            "id": _id(a, source),
            "child": _id(child, source),
            "agency": _id(a.agency, source),
            "template": a.template,
            "template_version": a.template_version,
            "completed_on": _iso(a.completed_on),
            "status": a.status,
            "scores": {s.area: s.score for s in a.scores.all()},
        }
        for role in ("assessor", "countersigned_by"):
            who = getattr(a, role)
            if who is not None and who.agency is not None:
                ref = _id(who, source) if who.source else f"lantern.{who.username}"
                agencies.setdefault(
                    _id(who.agency, source),
                    {"id": _id(who.agency, source), "name": who.agency.name, "type": who.agency.type},
                )
                professionals[ref] = {"id": ref, "name": who.name, "agency": _id(who.agency, source),
                                      "role": who.profession or "professional"}  # fmt: skip
                entry[role] = ref
        if a.countersigned_on:
            entry["countersigned_on"] = a.countersigned_on.isoformat()
        if a.assessor_licensed is not None:
            entry["assessor_licensed"] = a.assessor_licensed
        if a.occasion:
            entry["occasion"] = a.occasion
        if a.rated_for is not None:
            people.setdefault(_id(a.rated_for, source), _person(a.rated_for, source))
            entry["rated_for"] = _id(a.rated_for, source)
        if a.level_of_concern:
            entry["level_of_concern"] = a.level_of_concern
        if a.actions:
            entry["actions"] = a.actions
        grades = list(a.item_grades.all())
        if grades:
            entry["items"] = {g.item: {"grade": g.grade, "evidence": g.evidence} for g in grades}
        targets = []
        for t in a.targets.all():
            target: dict[str, Any] = {"area": t.area, "target": t.target, "due_on": t.due_on.isoformat()}
            if t.plan is not None and t.plan.source == source:
                target["plan"] = t.plan.source_id
            targets.append(target)
        if targets:
            entry["targets"] = targets
        entries.append(entry)
    return {
        "format": "lantern.case-bundle/1",
        "source": source,
        "agencies": sorted(agencies.values(), key=lambda a: a["id"]),
        "professionals": sorted(professionals.values(), key=lambda p: p["id"]),
        "people": sorted(people.values(), key=lambda p: p["id"]),
        "assessments": entries,
    }


def _person(person: Person, source: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": _id(person, source), "kind": "child"}
    for field in ("given_name", "family_name"):
        if getattr(person, field):
            entry[field] = getattr(person, field)
    if person.date_of_birth:
        entry["date_of_birth"] = person.date_of_birth.isoformat()
    elif person.expected_date_of_birth:
        entry["expected_date_of_birth"] = person.expected_date_of_birth.isoformat()
    if person.nhs_number:
        entry["nhs_number"] = person.nhs_number
    return entry
