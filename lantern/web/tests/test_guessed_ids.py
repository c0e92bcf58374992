"""Guessed record ids (hypothesis): for each of Lantern's roles, 1,000 requests to routes that take a
record id — the child's reference and the plan, meeting, assessment, alert, escalation, episode, action,
token, message, patient, request and hold ids under it — with ids guessed around the real ones, other
children's references, random and unicode strings, negative and huge numbers. 0 leaks: no 2xx response
shows a child the professional has no relationship with, and no request changes anything it should not.

One database (matrix_world.py) serves every example: each request runs in a savepoint rolled back after
it. The routes are read from the URL resolver, so a new route with an id is guessed at too.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable
from urllib.parse import quote

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantern.cases.models import CaseEpisode, Escalation
from lantern.casework.models import PlanAction
from lantern.screening.models import Alert
from lantern.web.tests.matrix_world import World, world_build
from lantern.web.tests.test_permission_matrix import (
    API_OPERATIONS,
    ROUTES,
    table_state,
    url_patterns,
)

pytestmark = pytest.mark.django_db

# One professional of each of Lantern's roles; each has a relationship with Ava ("own") or none, and
# none with Noah ("other").
ROLES = {
    "practitioner": "involved",
    "manager": "team_manager",
    "senior manager": "senior_manager",
    "administrator": "administrator",
    "auditor": "auditor",
}
# 1,000 by default; LANTERN_GUESSES_PER_ROLE lowers it for a quick run (docs/security.md has the timings).
EXAMPLES_PER_ROLE = int(os.environ.get("LANTERN_GUESSES_PER_ROLE", "1000"))

_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
# Slots that name no record: one fixed value each (the matrix tests every value's access).
FIXED = {
    "part": "actions",
    "template_id": "home-conditions",
    "area_id": "kitchen-and-food",
    "change": "extend",
    "output": "json",
}


def routes_with_ids() -> list[tuple[str, str, str]]:
    """(method, path template, pattern) for every non-admin route naming a record, and the API's."""
    found = []
    for pattern in url_patterns():
        if pattern.startswith("admin/") or pattern.startswith("api/") or not _CONVERTER.search(pattern):
            continue
        route = ROUTES[pattern]
        if route.get is not None:
            found.append(("GET", pattern, pattern))
        if route.post is not None:
            found.append(("POST", pattern, pattern))
    for method, path in sorted(API_OPERATIONS):
        found.append((method, "api/v1" + path.removeprefix("/api/v1").replace("{ref}", "<ref>"), path))
    return found


def _markers(world: World, target: str) -> list[str]:
    child = world.records[target].child
    return [f"{child.given_name} {child.family_name}", f'"{child.ref}"', f">{child.ref}<", f"/{child.ref}/"]


def _guesses(world: World) -> tuple[st.SearchStrategy[str], st.SearchStrategy[str]]:
    """(references, integer ids) to guess with."""
    refs, pks = [], []
    for records in world.records.values():
        refs += [records.child.ref, records.plan.ref, records.meeting.ref, records.assessment.ref]
        pks += [
            records.plan.pk,
            records.action.pk,
            records.meeting.pk,
            records.assessment.pk,
            records.episode.pk,
            records.escalation.pk,
            records.alert.pk,
            records.sar.pk,
            records.hold.pk,
            records.system.pk,
            records.token.pk,
            records.message.pk,
            records.unmatched.pk,
            records.team_id,
            records.child.pk,
        ]
    sources = sorted({r.split(":")[0] for r in refs})
    near = st.builds(lambda pk, d: pk + d, st.sampled_from(pks), st.integers(-3, 3))
    ints = st.one_of(
        near.map(str),
        st.integers(0, 10_000).map(str),
        st.integers(2**31 - 2, 2**31 + 2).map(str),
        st.integers(2**63 - 2, 10**40).map(str),
        st.integers(-(10**20), -1).map(str),
        st.sampled_from(refs),
        st.text(min_size=1, max_size=12),
    )
    ref_ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_.-", min_size=1, max_size=12)
    guessed_refs = st.one_of(
        st.sampled_from(refs),
        st.builds(lambda s, i: f"{s}:{i}", st.sampled_from(sources), ref_ids),
        st.builds(lambda s, pk: f"{s}:{pk}", st.sampled_from([*sources, "lantern", "demo"]), near.map(str)),
        near.map(str),
        st.text(min_size=1, max_size=20),
        st.builds(lambda a, b: f"{a}:{b}", st.text(min_size=1, max_size=8), st.text(min_size=1, max_size=8)),
    )
    return guessed_refs, ints


def _url(template: str, child_ref: str, refs: list[str], ints: list[str]) -> str:
    ref_iter, int_iter = iter(refs), iter(ints)

    def fill(match: re.Match[str]) -> str:
        converter, name = match.group(1), match.group(2)
        if name in FIXED:
            return FIXED[name]
        if name == "ref":
            value = child_ref
        elif converter == "int":
            value = next(int_iter)
        else:
            value = next(ref_iter)
        return quote(value, safe=":")

    return "/" + _CONVERTER.sub(fill, template)


def _body(pattern: str) -> dict[str, object]:
    from lantern.web.tests.test_permission_matrix import _API_BODIES, BODY

    return _API_BODIES.get(pattern, {}) if pattern.startswith("/api/") else BODY


@pytest.fixture
def world(area) -> World:  # type: ignore[no-untyped-def]
    return world_build(area)


@pytest.mark.parametrize("role", list(ROLES))
def test_guessed_ids_leak_nothing(world, client, role):
    professional = world.who(ROLES[role])
    client.force_login(professional)
    baseline = table_state()
    own = world.records["own"]
    related = ROLES[role] in {"involved", "team_manager", "senior_manager"}
    # The records the professional may change: their own child's, when they have a relationship.
    own_refs = {own.child.ref, own.plan.ref, own.meeting.ref, own.assessment.ref}
    # (the screening rules raise alerts of their own while the world is built: all of the child's count)
    own_ints = {
        str(pk)
        for model in (Alert, Escalation, CaseEpisode)
        for pk in model.objects.filter(child=own.child).values_list("pk", flat=True)
    } | {str(pk) for pk in PlanAction.objects.filter(plan__children=own.child).values_list("pk", flat=True)}
    routes = routes_with_ids()
    guessed_refs, ints = _guesses(world)
    children = st.one_of(st.sampled_from([own.child.ref, world.records["other"].child.ref]), guessed_refs)
    leaks: list[str] = []
    errors: list[str] = []
    statuses: dict[int, int] = {}

    @settings(
        max_examples=EXAMPLES_PER_ROLE, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(
        route=st.sampled_from(routes),
        child_ref=children,
        refs=st.lists(guessed_refs, min_size=2, max_size=2),
        int_ids=st.lists(ints, min_size=2, max_size=2),
    )
    def guess(route: tuple[str, str, str], child_ref: str, refs: list[str], int_ids: list[str]) -> None:
        method, template, pattern = route
        url = _url(template, child_ref, refs, int_ids)
        with transaction.atomic():
            try:
                if method == "GET":
                    response = client.get(url)
                elif pattern.startswith("/api/"):
                    response = client.post(url, json.dumps(_body(pattern)), content_type="application/json")
                else:
                    response = client.post(url, _body(pattern))
            except Exception as error:
                errors.append(f"{method} {url}: {type(error).__name__}: {error}")
                transaction.set_rollback(True)
                return
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            if 200 <= response.status_code < 300 and not response.streaming:
                page = response.content.decode(errors="replace")
                # The children the matrix lets this role see on this route (an auditor: any access log).
                may = _may(pattern, method)
                shown = [
                    m
                    for target in ("own", "other")
                    if not may(ROLES[role], target)
                    for m in _markers(world, target)
                    if m in page
                ]
                if shown:
                    leaks.append(f"{method} {url}: {response.status_code} shows {shown}")
            if response.status_code >= 500:
                errors.append(f"{method} {url}: {response.status_code}")
            changed = [k for k, rows in table_state().items() if rows != baseline[k]]
            if changed:
                named = _named(template, child_ref, refs, int_ids)
                legitimate = (
                    method == "POST"
                    and related
                    and ("<ref:ref>" not in template or child_ref == own.child.ref)
                    and all(v in own_refs for v in named["refs"])
                    and all(v in own_ints for v in named["ints"])
                )
                if not legitimate:
                    leaks.append(f"{method} {url}: changed {changed}")
            transaction.set_rollback(True)

    started = time.perf_counter()
    guess()
    took = time.perf_counter() - started
    print(f"\n{role}: {EXAMPLES_PER_ROLE} guesses in {took:.1f} s; statuses {dict(sorted(statuses.items()))}")
    assert not errors, "\n".join(errors[:20])
    assert not leaks, "\n".join(leaks[:20])
    assert sum(statuses.values()) >= EXAMPLES_PER_ROLE


def _may(pattern: str, method: str) -> Callable[[str, str], bool]:
    """Who the permission matrix lets use the route by this method."""
    if pattern.startswith("/api/"):
        return API_OPERATIONS[(method, pattern)]
    route = ROUTES[pattern]
    predicate = route.get if method == "GET" else route.post
    assert predicate is not None
    return predicate


def _named(template: str, child_ref: str, refs: list[str], ints: list[str]) -> dict[str, list[str]]:
    """The guessed values a URL used (beyond the child's reference)."""
    used: dict[str, list[str]] = {"refs": [], "ints": []}
    ref_iter, int_iter = iter(refs), iter(ints)
    for converter, name in _CONVERTER.findall(template):
        if name in FIXED or name == "ref":
            continue
        if converter == "int":
            used["ints"].append(next(int_iter))
        else:
            used["refs"].append(next(ref_iter))
    return used
