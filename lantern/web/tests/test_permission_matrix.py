"""The permission matrix: every URL pattern (found by the URL resolver, the API's operations read from its
OpenAPI description) x every role in every relation to a child (WHO, in matrix_world.py) x the child one
has a relationship with ("own") and one nobody has ("other"), by GET and, where a route changes
things, by POST (JSON for the API) with a valid-looking body.

A route that is not in ROUTES (or API) fails the test: nobody adds a URL without deciding who may use it.
Every refusal must change nothing (every table's rows, compared whole) and be logged where Lantern logs
refusals: an access-log row ("refused", the professional, the child) for anything about a child or a
person, else Django's ``django.request`` warning. Each request runs in a savepoint rolled back after it,
so a permitted change (a break-glass grant…) cannot alter the next request's answer.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from lantern.core.models import AccessLogEntry
from lantern.health.models import TokenRefusal
from lantern.web.tests.matrix_world import TARGETS, WHO, World, world_build

pytestmark = pytest.mark.django_db

Who = str
Target = str
Predicate = Callable[[Who, Target], bool]

RELATED = {"involved", "teammate", "team_manager", "senior_manager"}
CHILD_MANAGERS = {"team_manager", "senior_manager"}
MANAGERS = {"team_manager", "senior_manager", "stranger_manager", "other_agency_manager"}
RECORD_USERS = {
    "involved",
    "teammate",
    "team_manager",
    "senior_manager",
    "stranger",
    "stranger_manager",
    "other_agency",
    "other_agency_manager",
    "data_protection_officer",
}


def everyone(who: Who, target: Target) -> bool:
    return True


def nobody(who: Who, target: Target) -> bool:
    return False


def record(who: Who, target: Target) -> bool:
    """people.view_child and everything built on it: a relationship with the child."""
    return target == "own" and who in RELATED


def child_manager(who: Who, target: Target) -> bool:
    return target == "own" and who in CHILD_MANAGERS


def access_log(who: Who, target: Target) -> bool:
    return child_manager(who, target) or who == "auditor"


def shares(who: Who, target: Target) -> bool:
    return record(who, target) or who == "auditor"


def record_user(who: Who, target: Target) -> bool:
    return who in RECORD_USERS


def manager(who: Who, target: Target) -> bool:
    return who in MANAGERS


def second_factor(who: Who, target: Target) -> bool:
    """Managers and administrators, who must use an authenticator app (ADR 16), so the world gives them one:
    their own recovery codes are theirs to see and replace; anyone else's account page is not found."""
    return who in MANAGERS | {"administrator", "health_administrator"}


def health_administrator(who: Who, target: Target) -> bool:
    return who == "health_administrator"


def own_health_administrator(who: Who, target: Target) -> bool:
    return who == "health_administrator" and target == "own"


def other_hospital(who: Who, target: Target) -> int:
    """Another agency's feeds are not found by a health administrator, refused to anyone else."""
    return 404 if who == "health_administrator" else 403


def team_manager(who: Who, target: Target) -> bool:
    """Someone who manages a team (a senior manager of an agency with no teams manages none)."""
    return who in MANAGERS - {"other_agency_manager"}


def data_protection_officer(who: Who, target: Target) -> bool:
    return who == "data_protection_officer"


def break_glass(who: Who, target: Target) -> bool:
    """Record users with no relationship break the glass; those with one are sent to the record."""
    return who in RECORD_USERS


def team_dashboard(who: Who, target: Target) -> bool:
    return (
        who == "senior_manager"
        or (who == "team_manager" and target == "own")
        or (who == "stranger_manager" and target == "other")
    )


def _date(prefix: str) -> dict[str, str]:
    today = timezone.localdate()
    return {
        f"{prefix}-day": str(today.day),
        f"{prefix}-month": str(today.month),
        f"{prefix}-year": str(today.year),
    }


# A body every form of Lantern would find plausible: the refusal must come before any validation.
BODY: dict[str, Any] = {
    **_date("occurred_on"),
    **_date("held_on"),
    **_date("due_on"),
    **_date("started_on"),
    **_date("received_on"),
    **_date("completed_on"),
    **_date("verified_on"),
    "text": "Seen at home; the kitchen had no food.",
    "tags": ["physical-neglect"],
    "significance": "routine",
    "location": "main-home",
    "outcome": "seen",
    "announced": "True",
    "reason": "Needed to protect the child",
    "explanation": "The child was brought to the police station at night.",
    "description": "Dental check",
    "summary": "Progress reviewed",
    "progress": "improved",
    "needs_met": "False",
    "reflections": "Reflections",
    "decisions": "Decisions",
    "level": "universal",
    "kind": "stuck-case",
    "subject": "case-drift",
    "concern": "The case is stuck",
    "do": "acknowledge",
    "what": "The chronology",
    "recipient": "Dr Lee, GP",
    "purpose": "Care",
    "lawful_basis": "public-task",
    "consent": "given",
    "decision": "shared",
    "reasoning": "Necessary",
    "months": "1",
    "evidence": "Passport",
    "lifted_reason": "Settled",
    "record_type": "police-event",
    "requester_name": "Kim Morgan",
    "requester": "parent",
    "note": "Formal",
    "version": "1",
    "type": "child-protection",
    "category": "neglect",
}

GET_OK = frozenset({200})
POST_OK = frozenset({200, 201, 302, 400, 422})


@dataclass(frozen=True)
class Route:
    url: Callable[[World, Target], str]
    get: Predicate | None  # who may GET it; None: GET is not served (405 for everyone signed in)
    post: Predicate | None = None  # who may POST (None: it changes nothing, not POSTed)
    get_ok: frozenset[int] = GET_OK
    post_ok: frozenset[int] = POST_OK
    refused: int | Callable[[Who, Target], int] = 403
    about_child: bool = True  # a refusal is an access-log row naming the child
    per_target: bool = True  # False: the route names no record ("own" only)
    body: dict[str, Any] = field(default_factory=lambda: BODY)
    public: bool = False


def _r(target: Target, world: World):  # type: ignore[no-untyped-def]
    return world.records[target]


def child_url(name: str, *extra: Callable[[Any], object]) -> Callable[[World, Target], str]:
    def url(world: World, target: Target) -> str:
        records = _r(target, world)
        return reverse(name, args=[records.child.ref, *(f(records) for f in extra)])

    return url


def plain(name: str, suffix: str = "") -> Callable[[World, Target], str]:
    return lambda world, target: reverse(name) + suffix


def of(name: str, getter: Callable[[Any], object]) -> Callable[[World, Target], str]:
    return lambda world, target: reverse(name, args=[getter(_r(target, world))])


plan = lambda r: r.plan.ref  # noqa: E731
meeting = lambda r: r.meeting.ref  # noqa: E731
assessment = lambda r: r.assessment.ref  # noqa: E731
episode = lambda r: r.episode.pk  # noqa: E731
actions = lambda r: "actions"  # noqa: E731

# Every route of the URL configuration, by its pattern.
ROUTES: dict[str, Route] = {
    "": Route(plain("my-children"), everyone, per_target=False, about_child=False),
    "sign-in/": Route(
        plain("sign-in"),
        everyone,
        get_ok=frozenset({200, 302}),
        per_target=False,
        about_child=False,
        public=True,
    ),
    "sign-out/": Route(plain("sign-out"), None, per_target=False, about_child=False),
    "sign-in/code/": Route(
        plain("sign-in-code"), everyone, get_ok=frozenset({200, 302}), per_target=False, about_child=False
    ),
    "sign-in/code/set-up/": Route(
        plain("sign-in-code-set-up"), everyone, get_ok=frozenset({302}), per_target=False, about_child=False
    ),
    "sign-in/code/set-up/qr.svg": Route(
        plain("sign-in-code-set-up-picture"), nobody, refused=404, per_target=False, about_child=False
    ),
    "sign-in/recovery-code/": Route(
        plain("sign-in-recovery-code"), everyone, get_ok=frozenset({302}), per_target=False, about_child=False
    ),
    "account/recovery-codes/": Route(
        plain("recovery-codes"),
        second_factor,
        post=second_factor,
        refused=404,
        per_target=False,
        about_child=False,
    ),
    "healthz": Route(plain("health-check"), everyone, per_target=False, about_child=False, public=True),
    "search/": Route(plain("search", "?q=Morgan"), record_user, per_target=False, about_child=False),
    "children/<ref:ref>/": Route(child_url("child-overview"), record),
    "children/<ref:ref>/access-log/": Route(child_url("child-access-log"), access_log),
    "children/<ref:ref>/emergency-access/": Route(child_url("emergency-access-new"), None, post=break_glass),
    "emergency-access/": Route(plain("emergency-access"), manager, per_target=False, about_child=False),
    "children/<ref:ref>/sharing/": Route(child_url("sharing"), shares),
    "children/<ref:ref>/sharing/new/": Route(child_url("sharing-new"), record, post=record),
    "children/<ref:ref>/chronology/": Route(child_url("chronology"), record),
    "children/<ref:ref>/chronology.csv": Route(child_url("chronology-csv"), record),
    "children/<ref:ref>/chronology.pdf": Route(child_url("chronology-pdf"), record),
    "children/<ref:ref>/observations/new/": Route(child_url("record-observation"), record, post=record),
    "children/<ref:ref>/home-visits/new/": Route(child_url("record-home-visit"), record, post=record),
    "children/<ref:ref>/plans/": Route(child_url("plans"), record),
    "children/<ref:ref>/plans/new/": Route(child_url("plan-new"), record, post=record),
    "children/<ref:ref>/plans/<ref:plan_ref>/": Route(child_url("plan", plan), record),
    "children/<ref:ref>/plans/<ref:plan_ref>/edit/": Route(child_url("plan-edit", plan), record, post=record),
    "children/<ref:ref>/plans/<ref:plan_ref>/reviews/new/": Route(
        child_url("plan-review-new", plan), record, post=record
    ),
    "children/<ref:ref>/plans/<ref:plan_ref>/<plan_part:part>/new/": Route(
        child_url("plan-part-new", plan, actions), record, post=record
    ),
    "children/<ref:ref>/plans/<ref:plan_ref>/<plan_part:part>/<int:item_id>/edit/": Route(
        child_url("plan-part-edit", plan, actions, lambda r: r.action.pk), record, post=record
    ),
    "children/<ref:ref>/plans/<ref:plan_ref>/<plan_part:part>/quality-check/": Route(
        child_url("plan-quality-check", plan, actions), None, post=record
    ),
    "plans/quality/": Route(plain("plan-quality-audit"), manager, per_target=False, about_child=False),
    "children/<ref:ref>/meetings/": Route(child_url("meetings"), record),
    "children/<ref:ref>/meetings/new/": Route(child_url("meeting-new"), record, post=record),
    "children/<ref:ref>/meetings/<ref:meeting_ref>/": Route(child_url("meeting", meeting), record),
    "children/<ref:ref>/meetings/<ref:meeting_ref>/actions/new/": Route(
        child_url("meeting-action-new", meeting), record, post=record
    ),
    "children/<ref:ref>/assessments/": Route(child_url("assessments"), record),
    "children/<ref:ref>/assessments/new/<slug:template_id>/": Route(
        child_url("assessment-start", lambda r: "home-conditions"), record, post=record
    ),
    "children/<ref:ref>/assessments/<ref:assessment_ref>/": Route(
        child_url("assessment", assessment), record
    ),
    "children/<ref:ref>/assessments/<ref:assessment_ref>/areas/<slug:area_id>/": Route(
        child_url("assessment-area", assessment, lambda r: "kitchen-and-food"), record, post=record
    ),
    "children/<ref:ref>/assessments/<ref:assessment_ref>/complete/": Route(
        child_url("assessment-complete", assessment), record, post=record
    ),
    "children/<ref:ref>/assessments/<ref:assessment_ref>/countersign/": Route(
        child_url("assessment-countersign", assessment), None, post=child_manager
    ),
    "children/<ref:ref>/assessments/<ref:assessment_ref>/targets/": Route(
        child_url("assessment-targets", assessment), record, post=record, get_ok=frozenset({200, 302})
    ),
    "fhir/Bundle": Route(
        plain("fhir-bundle"), None, post=nobody, refused=401, per_target=False, about_child=False
    ),
    "health/": Route(plain("health-feeds"), health_administrator, per_target=False, about_child=False),
    "health/systems/<int:system_id>/tokens/": Route(
        of("health-token-issue", lambda r: r.system.pk),
        None,
        post=own_health_administrator,
        refused=other_hospital,
        about_child=False,
    ),
    "health/tokens/<int:token_id>/revoke/": Route(
        of("health-token-revoke", lambda r: r.token.pk),
        None,
        post=own_health_administrator,
        refused=other_hospital,
        about_child=False,
    ),
    "health/messages/<int:message_id>/replay/": Route(
        of("health-replay", lambda r: r.message.pk),
        None,
        post=own_health_administrator,
        refused=other_hospital,
        about_child=False,
    ),
    "health/unmatched/": Route(
        plain("health-unmatched"), health_administrator, per_target=False, about_child=False
    ),
    "health/unmatched/<int:patient_id>/": Route(
        of("health-resolve", lambda r: r.unmatched.pk),
        None,
        post=own_health_administrator,
        refused=other_hospital,
        about_child=False,
    ),
    "notifications/": Route(plain("notifications"), everyone, per_target=False, about_child=False),
    "alerts/": Route(plain("worklist"), record_user, per_target=False, about_child=False),
    "alerts/<int:alert_id>/": Route(of("alert", lambda r: r.alert.pk), record, post=record),
    "children/<ref:ref>/case/": Route(child_url("case"), record),
    "children/<ref:ref>/case/open/": Route(child_url("case-open"), child_manager, post=child_manager),
    "children/<ref:ref>/case/<int:episode_id>/reviews/new/": Route(
        child_url("case-review", episode), record, post=record
    ),
    "children/<ref:ref>/case/<int:episode_id>/transfer/": Route(
        child_url("case-transfer", episode), child_manager, post=child_manager
    ),
    "children/<ref:ref>/case/<int:episode_id>/close/": Route(
        child_url("case-close", episode), child_manager, post=child_manager
    ),
    "children/<ref:ref>/supervision/": Route(child_url("case-supervision"), record, post=child_manager),
    "children/<ref:ref>/level-of-need/": Route(child_url("level-of-need"), record, post=record),
    "children/<ref:ref>/escalations/new/": Route(child_url("escalation-new"), record, post=record),
    "escalations/<int:escalation_id>/": Route(
        of("escalation", lambda r: r.escalation.pk),
        record,
        post=record,
        body={"do": "resolve", "outcome": "Agreed a plan"},
    ),
    "teams/dashboard/": Route(
        plain("my-team-dashboard"), team_manager, get_ok=frozenset({302}), per_target=False, about_child=False
    ),
    "teams/<int:team_id>/dashboard/": Route(
        of("team-dashboard", lambda r: r.team_id), team_dashboard, about_child=False
    ),
    "subject-access/": Route(
        plain("subject-access"), data_protection_officer, per_target=False, about_child=False
    ),
    "subject-access/new/": Route(
        plain("subject-access-new"),
        data_protection_officer,
        post=data_protection_officer,
        per_target=False,
        about_child=False,
    ),
    "subject-access/<int:request_id>/": Route(
        of("subject-access-request", lambda r: r.sar.pk), data_protection_officer
    ),
    "subject-access/<int:request_id>/<str:change>/": Route(
        lambda w, t: reverse("subject-access-change", args=[_r(t, w).sar.pk, "extend"]),
        None,
        post=data_protection_officer,
    ),
    "subject-access/<int:request_id>/export.<str:output>": Route(
        lambda w, t: reverse("subject-access-export", args=[_r(t, w).sar.pk, "json"]), data_protection_officer
    ),
    "retention/people/<ref:ref>/": Route(child_url("retention-person"), data_protection_officer),
    "retention/people/<ref:ref>/holds/": Route(
        child_url("legal-hold-place"), None, post=data_protection_officer
    ),
    "retention/holds/<int:hold_id>/lift/": Route(
        of("legal-hold-lift", lambda r: r.hold.pk), None, post=data_protection_officer
    ),
    "retention/people/<ref:ref>/looked-after/": Route(
        child_url("looked-after-record"), None, post=data_protection_officer
    ),
}


def administrators(who: Who, target: Target) -> bool:
    return who in {"administrator", "health_administrator"}


def _admin_url(route: str) -> Callable[[World, Target], str]:
    """A path for an admin route: the app's index, a real object of the model, or a path matching nothing."""

    def url(world: World, target: Target) -> str:
        path = "/" + route
        if "(?P<app_label>" in path:
            return "/admin/agencies/"
        if "(?P<url>" in path:
            return "/admin/no-such-page/"
        if "<path:content_type_id>" in path:
            from django.contrib.contenttypes.models import ContentType

            agency = world.area.social_care  # type: ignore[attr-defined]
            kind = ContentType.objects.get_for_model(agency)
            return f"/admin/r/{kind.pk}/{agency.pk}/"
        if "<path:object_id>" in path or "<id>" in path:
            app_label, model_name = path.split("/")[2:4]
            model = apps.get_model(app_label, model_name)
            first = model._default_manager.order_by("pk").first()
            pk = str(first.pk) if first is not None else "1"
            return path.replace("<path:object_id>", pk).replace("<id>", pk)
        return path

    return url


# The API's operations, from its OpenAPI description: (method, path) → who may.
API: dict[tuple[str, str], Route] = {}
_API_BODIES = {
    "/api/v1/children/{ref}/observations": {
        "occurred_on": "2026-01-10",
        "tags": ["physical-neglect"],
        "text": "No food in the house",
    },
    "/api/v1/children/{ref}/assessments": {"template": "home-conditions", "started_on": "2026-01-10"},
}
API_OPERATIONS = {
    ("GET", "/api/v1/children/{ref}/chronology"): record,
    ("POST", "/api/v1/children/{ref}/observations"): record,
    ("GET", "/api/v1/children/{ref}/assessments"): record,
    ("POST", "/api/v1/children/{ref}/assessments"): record,
}
# The resolver's patterns of the API: its operations (the paths above), its description and its root.
API_PATTERNS = {
    "api/v1/openapi.json": Route(
        lambda w, t: "/api/v1/openapi.json", everyone, per_target=False, about_child=False
    ),
    "api/v1/": Route(lambda w, t: "/api/v1/", nobody, refused=404, per_target=False, about_child=False),
}


def url_patterns() -> list[str]:
    """Every pattern of the URL configuration, as its full route (included configurations walked)."""
    found: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                assert isinstance(pattern, URLPattern)
                found.append(prefix + str(pattern.pattern))

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


def api_operations() -> list[tuple[str, str]]:
    from lantern.api.views import api

    schema = api.get_openapi_schema(path_prefix="/api/v1")
    return sorted((method.upper(), path) for path, ops in schema["paths"].items() for method in ops)


def _api_route_of(pattern: str) -> bool:
    """An API operation's pattern (``api/v1/children/<ref>/…``), classified by API_OPERATIONS."""
    path = "/" + pattern.replace("<ref>", "{ref}")
    return any(p == path for _, p in API_OPERATIONS)


def classified() -> dict[str, Route]:
    routes = dict(ROUTES) | dict(API_PATTERNS)
    for pattern in url_patterns():
        if pattern.startswith("admin/"):
            routes[pattern] = Route(
                _admin_url(pattern),
                administrators,
                get_ok=frozenset({200, 302, 403, 404, 405}),  # the admin's own permissions decide
                post=administrators
                if pattern.endswith(("add/", "change/", "delete/", "password/"))
                else None,
                post_ok=frozenset({200, 302, 403, 404}),
                refused=302,
                per_target=False,
                about_child=False,
            )
    return routes


class TestEveryRouteIsClassified:
    def test_every_url_pattern_is_in_the_matrix(self):
        routes = classified()
        unclassified = [p for p in url_patterns() if p not in routes and not _api_route_of(p)]
        assert unclassified == [], "add these to ROUTES in lantern/web/tests/test_permission_matrix.py"
        stale = [p for p in ROUTES if p not in url_patterns()]
        assert stale == []

    def test_every_api_operation_is_in_the_matrix(self):
        assert api_operations() == sorted(API_OPERATIONS)


# --- the requests ------------------------------------------------------------------------------------


def table_state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the sessions and the access log (compared on their own)."""
    skip = {Session, AccessLogEntry, TokenRefusal}  # the access log and the refused tokens' log
    state = {}
    for model in apps.get_models():
        if model in skip or model._meta.proxy or not model._meta.managed:
            continue
        state[model._meta.label] = list(model._default_manager.order_by("pk").values_list())
    return state


@dataclass
class Outcome:
    requests: int = 0
    refusals: int = 0
    unexpected_successes: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)


def _send(client, method: str, url: str, body: dict[str, Any] | None, *, api: bool):  # type: ignore[no-untyped-def]
    if method == "GET":
        return client.get(url)
    if api:
        return client.post(url, json.dumps(body), content_type="application/json")
    return client.post(url, body)


def _check(
    world: World,
    client,  # type: ignore[no-untyped-def]
    caplog: pytest.LogCaptureFixture,
    outcome: Outcome,
    *,
    name: str,
    who: Who,
    target: Target,
    method: str,
    url: str,
    may: bool,
    ok: frozenset[int],
    refused: int,
    about_child: bool,
    body: dict[str, Any] | None,
    api: bool = False,
    baseline: dict[str, list[tuple[Any, ...]]],
) -> None:
    professional = world.who(who)
    child = world.records[target].child
    label = f"{method} {name} as {who} ({target} child): {url}"
    with transaction.atomic():
        log_before = set(AccessLogEntry.objects.values_list("pk", flat=True))
        caplog.clear()
        response = _send(client, method, url, body, api=api)
        outcome.requests += 1
        status = response.status_code
        if may:
            if status not in ok:
                outcome.mismatches.append(f"{label}: {status}, expected one of {sorted(ok)}")
        else:
            outcome.refusals += 1
            if status != refused:
                problem = f"{label}: {status}, expected {refused}"
                (outcome.unexpected_successes if status < 300 else outcome.mismatches).append(problem)
            # The admin sends whoever is not an administrator to its login, which is Lantern's sign-in (its
            # logout, to its index, which does the same).
            location = response.get("Location", "")
            if refused == 302 and not (
                location.startswith((reverse("sign-in"), "/admin/login/")) or location == "/admin/"
            ):
                outcome.mismatches.append(f"{label}: sent to {response.get('Location')}, not to sign in")
            changed = [k for k, rows in table_state().items() if rows != baseline[k]]
            if changed:
                outcome.unexpected_successes.append(f"{label}: a refusal changed {changed}")
            new = list(AccessLogEntry.objects.exclude(pk__in=log_before))
            if any(e.action != AccessLogEntry.Action.REFUSED for e in new):
                outcome.mismatches.append(f"{label}: a refusal logged {[e.action for e in new]}")
            if refused in (401, 403, 404) and status == refused:
                logged = [(e.professional_id, e.child_id) for e in new]
                if about_child:
                    if (professional.pk, child.pk) not in logged:
                        outcome.mismatches.append(f"{label}: refusal not in the access log")
                elif not logged and not any(
                    r.name == "django.request" and r.levelno >= logging.WARNING for r in caplog.records
                ):
                    outcome.mismatches.append(f"{label}: refusal logged nowhere")
        transaction.set_rollback(True)


def _run(world: World, client, caplog, name: str, route: Route, *, api_method: str | None = None):  # type: ignore[no-untyped-def]
    outcome = Outcome()
    targets = TARGETS if route.per_target else ("own",)
    for who in WHO:
        client.force_login(world.who(who))
        baseline = table_state()
        for target in targets:
            url = route.url(world, target)
            refused = route.refused if isinstance(route.refused, int) else route.refused(who, target)
            common = {
                "name": name,
                "who": who,
                "target": target,
                "url": url,
                "about_child": route.about_child,
                "refused": refused,
                "baseline": baseline,
            }
            if api_method is not None:
                assert route.get is not None
                _check(
                    world,
                    client,
                    caplog,
                    outcome,
                    method=api_method,
                    may=route.get(who, target),
                    ok=frozenset({200, 201, 422}),
                    body=route.body,
                    api=True,
                    **common,
                )
                continue
            if route.get is None:
                _check(
                    world,
                    client,
                    caplog,
                    outcome,
                    method="GET",
                    may=True,
                    ok=frozenset({405}),
                    body=None,
                    **common,
                )
            else:
                _check(
                    world,
                    client,
                    caplog,
                    outcome,
                    method="GET",
                    may=route.get(who, target),
                    ok=route.get_ok,
                    body=None,
                    **common,
                )
            if route.post is not None:
                _check(
                    world,
                    client,
                    caplog,
                    outcome,
                    method="POST",
                    may=route.post(who, target),
                    ok=route.post_ok,
                    body=route.body,
                    **common,
                )
    client.logout()
    return outcome


# Totals across the parametrised tests, printed by the last one (for docs/security.md).
TOTALS = Outcome()


@pytest.fixture
def world(area) -> World:  # type: ignore[no-untyped-def]
    return world_build(area)


@pytest.mark.parametrize("pattern", sorted(ROUTES) + sorted(API_PATTERNS))
def test_each_route_answers_each_role_as_the_matrix_says(world, client, caplog, pattern):
    route = classified()[pattern]
    outcome = _run(world, client, caplog, pattern, route)
    TOTALS.requests += outcome.requests
    TOTALS.refusals += outcome.refusals
    assert not outcome.unexpected_successes, "\n".join(outcome.unexpected_successes)
    assert not outcome.mismatches, "\n".join(outcome.mismatches)


@pytest.mark.parametrize(("method", "path"), sorted(API_OPERATIONS))
def test_each_api_operation_answers_each_role_as_the_matrix_says(world, client, caplog, method, path):
    may = API_OPERATIONS[(method, path)]

    def url(w: World, t: Target) -> str:
        return path.replace("{ref}", w.records[t].child.ref)

    route = Route(url, may, body=_API_BODIES.get(path, {}) if method == "POST" else {})
    outcome = _run(world, client, caplog, f"{method} {path}", route, api_method=method)
    TOTALS.requests += outcome.requests
    TOTALS.refusals += outcome.refusals
    assert not outcome.unexpected_successes, "\n".join(outcome.unexpected_successes)
    assert not outcome.mismatches, "\n".join(outcome.mismatches)


def test_every_admin_route_is_for_administrators_only(world, client, caplog):
    """Django's admin (agencies, teams, accounts, involvements, templates, health systems, the officer):
    administrators only; anyone else is sent to sign in. Children's records are not in it (ADR 3)."""
    routes = classified()
    outcome = Outcome()
    for pattern in [p for p in url_patterns() if p.startswith("admin/")]:
        one = _run(world, client, caplog, pattern, routes[pattern])
        outcome.requests += one.requests
        outcome.unexpected_successes += one.unexpected_successes
        outcome.mismatches += one.mismatches
    assert outcome.requests > 500
    assert not outcome.unexpected_successes, "\n".join(outcome.unexpected_successes)
    assert not outcome.mismatches, "\n".join(outcome.mismatches)


def test_a_signed_out_visitor_is_sent_to_sign_in_everywhere(world, client):
    """No role at all: every route but the public ones (marked so in ROUTES) sends a signed-out visitor to
    sign in, by GET and by POST; the API and the FHIR endpoint (a hospital's token) answer 401 (or 404, 405
    for what they do not serve); nothing changes."""
    baseline = table_state()
    sign_in = reverse("sign-in")
    problems: list[str] = []
    requests = 0
    checks = [(pattern, route.url(world, "own"), route, False) for pattern, route in classified().items()]
    checks += [
        (f"{m} {p}", p.replace("{ref}", world.records["own"].child.ref), None, True)
        for m, p in API_OPERATIONS
    ]
    for name, url, route, api in sorted(checks, key=lambda c: c[0]):
        for method in ("GET", "POST"):
            with transaction.atomic():
                body = (route.body if route else _API_BODIES.get(url, {})) if method == "POST" else None
                response = _send(client, method, url, body, api=api)
                requests += 1
                status, location = response.status_code, response.get("Location", "")
                label = f"{method} {name} signed out: {url} answered {status} {location}"
                if route is not None and (route.public or name == "api/v1/openapi.json"):
                    pass  # sign-in, the health check, the API's description: open to all
                elif api or name.startswith(("api/", "fhir/")):  # machines': 401, no sign-in page
                    if status not in (401, 404, 405):
                        problems.append(label)
                elif status != 302 or not location.startswith((sign_in, "/admin/login/")):
                    problems.append(label)
                changed = [k for k, rows in table_state().items() if rows != baseline[k]]
                if changed:
                    problems.append(f"{label}: changed {changed}")
                transaction.set_rollback(True)
    assert requests == 2 * len(checks) > 280
    assert not problems, "\n".join(problems)
