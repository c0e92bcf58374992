"""A viewer's relationship with a child is worked out once a request, and never kept past a change."""

import datetime as dt

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lantern.agencies.models import Involvement, Role
from lantern.agencies.selectors import child_is_visible, child_opened_in_emergency
from lantern.agencies.tests.factories import InvolvementFactory, ProfessionalFactory
from lantern.core.models import EmergencyAccess
from lantern.core.request_memo import RequestMemoMiddleware
from lantern.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def in_a_request(work):
    """Run ``work`` as a view behind the middleware; what it returned."""
    result = {}

    def view(request):
        result["value"] = work()
        return HttpResponse()

    RequestMemoMiddleware(view)(RequestFactory().get("/"))
    return result["value"]


@pytest.fixture
def viewer():
    return ProfessionalFactory(role=Role.PRACTITIONER)


def _queries(work):
    with CaptureQueriesContext(connection) as queries:
        work()
    return len(queries)


def test_in_a_request_the_database_is_asked_once(viewer):
    child = ChildFactory()
    InvolvementFactory(child=child, agency=viewer.agency, professional=viewer)

    def five_permissions():
        first = _queries(lambda: child_is_visible(viewer=viewer, child_id=child.pk))
        later = _queries(
            lambda: (
                [child_is_visible(viewer=viewer, child_id=child.pk) for _ in range(4)]
                + [child_opened_in_emergency(viewer=viewer, child_id=child.pk)]
            )
        )
        return first, later

    first, later = in_a_request(five_permissions)
    assert first == 2  # the involvements and the emergency access
    assert later == 0


def test_outside_a_request_every_call_asks(viewer):
    child = ChildFactory()
    assert _queries(lambda: child_is_visible(viewer=viewer, child_id=child.pk)) == 2
    assert _queries(lambda: child_is_visible(viewer=viewer, child_id=child.pk)) == 2


def test_a_new_involvement_in_the_same_request_is_seen(viewer):
    child = ChildFactory()

    def allocate_then_ask():
        before = child_is_visible(viewer=viewer, child_id=child.pk)
        InvolvementFactory(child=child, agency=viewer.agency, professional=viewer)
        return before, child_is_visible(viewer=viewer, child_id=child.pk)

    assert in_a_request(allocate_then_ask) == (False, True)


def test_an_ended_involvement_in_the_same_request_is_seen(viewer):
    child = ChildFactory()
    involvement = InvolvementFactory(child=child, agency=viewer.agency, professional=viewer)

    def end_then_ask():
        before = child_is_visible(viewer=viewer, child_id=child.pk)
        involvement.ended_on = timezone.localdate() - dt.timedelta(days=1)
        involvement.save()
        return before, child_is_visible(viewer=viewer, child_id=child.pk)

    assert in_a_request(end_then_ask) == (True, False)


def test_break_glass_in_the_same_request_is_seen(viewer):
    child = ChildFactory()

    def break_glass_then_ask():
        before = child_opened_in_emergency(viewer=viewer, child_id=child.pk)
        now = timezone.now()
        EmergencyAccess.objects.create(
            professional=viewer, child=child, reason="risk", explanation="Test", started_at=now,
            ends_at=now + dt.timedelta(hours=4),
        )  # fmt: skip
        return before, child_opened_in_emergency(viewer=viewer, child_id=child.pk)

    assert in_a_request(break_glass_then_ask) == (False, True)


def test_a_changed_role_is_a_different_question(viewer):
    child = ChildFactory()
    InvolvementFactory(child=child, agency=viewer.agency, professional=viewer)

    def demote_then_ask():
        before = child_is_visible(viewer=viewer, child_id=child.pk)
        viewer.role = Role.AUDITOR  # not saved: the memo's key still tells the two apart
        return before, child_is_visible(viewer=viewer, child_id=child.pk)

    assert in_a_request(demote_then_ask) == (True, False)


def test_nothing_is_kept_between_requests(viewer):
    child = ChildFactory()
    assert in_a_request(lambda: child_is_visible(viewer=viewer, child_id=child.pk)) is False
    # bulk_create sends no signal: only the end of the first request can have dropped its answer.
    Involvement.objects.bulk_create(
        [InvolvementFactory.build(child=child, agency=viewer.agency, professional=viewer)]
    )
    assert in_a_request(lambda: child_is_visible(viewer=viewer, child_id=child.pk)) is True
