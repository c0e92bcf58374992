"""Schemathesis against the API's own OpenAPI description, every check, 100 examples per operation.

The schema is the one Lantern serves (``/api/v1/openapi.json``), loaded through the WSGI application, so
each generated request goes through every middleware, the API's access check and the access log, in the
test's database. Two runs: signed in as a practitioner involved with some children (every check), and
signed out (every operation must refuse, so ``ignored_auth`` and the status checks find nothing).
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from urllib.parse import unquote

import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import CHECKS, load_all_checks

from lantern.agencies.tests.factories import InvolvementFactory
from lantern.api.schemas import REF, SLUG
from lantern.people.tests.factories import ChildFactory

EXAMPLES = 100

load_all_checks()
ALL_CHECKS = list(CHECKS.get_all())

# What each run sent and got, by operation: the figures in docs/security.md, and the proof that the
# signed-in run reached every operation's success and not only its refusals.
STATUSES: dict[str, Counter[int]] = defaultdict(Counter)
SECONDS: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def _figures() -> Iterator[None]:
    yield
    for label, statuses in sorted(STATUSES.items()):
        counts = dict(sorted(statuses.items()))
        print(f"{label}: {sum(statuses.values())} examples in {SECONDS[label]:.1f} s, {counts}")
    signed_in = {label: statuses for label, statuses in STATUSES.items() if label.endswith("signed in")}
    for label, statuses in signed_in.items():
        assert any(200 <= status < 300 for status in statuses), f"{label} never succeeded: {statuses}"


@pytest.fixture
def _requests_keep_the_test_connection() -> Iterator[None]:
    """Django closes the database connection after each request; the test's transaction must survive
    every generated request (Django's own test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# The description Lantern serves, fetched through the WSGI application as a client would.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def signed_in(client, area) -> dict[str, str]:
    """The cookies of a practitioner involved with Ava and one more child (not with the area's others)."""
    InvolvementFactory(
        child=ChildFactory(), agency=area.social_care, team=area.team, professional=area.involved
    )
    client.force_login(area.involved)
    return {
        settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
        settings.CSRF_COOKIE_NAME: client.csrf_token(),
    }


def _send(case, cookies: dict[str, str], *, signed_in: bool):
    """The API's security scheme is the session cookie, which Schemathesis fills with a generated value:
    replace it with the real session (marked as the caller's own credentials, so ``ignored_auth`` sends
    the request again without it and with a wrong one), or with none. A CSRF token goes with every
    request, as Lantern's pages send it, so that a refusal is about who is asking."""
    case.cookies = {**(case.cookies or {}), **cookies}
    if not signed_in:
        case.cookies.pop(settings.SESSION_COOKIE_NAME, None)
    case.headers = {**(case.headers or {}), "X-CSRFToken": cookies[settings.CSRF_COOKIE_NAME]}
    case._has_explicit_auth = signed_in
    label = f"{case.operation.label} {'signed in' if signed_in else 'signed out'}"
    started = time.monotonic()
    try:
        response = case.call_and_validate(checks=ALL_CHECKS)
    finally:
        SECONDS[label] += time.monotonic() - started
    STATUSES[label][response.status_code] += 1
    return response


# A generated reference rarely names a child: half the requests name one of the area's children
# (theirs, or one they have no relationship with), the rest keep what Schemathesis generated.
# 100 examples per operation, the same ones each run (derandomized: a failure is reproduced by running
# again), no deadline on a shared machine.
FUZZ = hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
refs = st.sampled_from(["generated", "own", "own", "unrelated"])


@schema.parametrize()
@schema.given(pick=refs)
@FUZZ
@pytest.mark.usefixtures("_requests_keep_the_test_connection")
def test_signed_in_every_check_finds_nothing(case, pick, area, signed_in):
    generated = (case.path_parameters or {}).get("ref")
    # Only a well-formed reference (sent URL-encoded) is replaced: a malformed one tests the refusal.
    if pick != "generated" and generated is not None and re.fullmatch(REF, unquote(str(generated))):
        case.path_parameters["ref"] = area.child.ref if pick == "own" else area.unrelated_child.ref
    template = case.body.get("template") if isinstance(case.body, dict) else None
    if pick == "own" and isinstance(template, str) and re.fullmatch(SLUG, template):
        case.body["template"] = "home-conditions"  # a template Lantern has, or no assessment is ever made
    response = _send(case, signed_in, signed_in=True)
    assert response.status_code < 500


@schema.parametrize()
@FUZZ
@pytest.mark.usefixtures("_requests_keep_the_test_connection")
def test_signed_out_every_operation_refuses(case, area, client):
    if "ref" in (case.path_parameters or {}):
        case.path_parameters["ref"] = area.child.ref
    response = _send(case, {settings.CSRF_COOKIE_NAME: client.csrf_token()}, signed_in=False)
    if case.method.upper() == case.operation.method.upper():
        if response.status_code == 400:  # a body no one could read is refused before anything else
            assert "cannot be read" in response.json()["detail"]
        else:
            assert response.status_code == 401, response.text
    else:  # Schemathesis also tries methods the operation does not have
        assert response.status_code == 405, response.text
