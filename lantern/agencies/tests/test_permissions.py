"""Relationships with a child, forged links, and signed-out visitors (the permission matrix over every
route is lantern/web/tests/test_permission_matrix.py)."""

import datetime as dt

import pytest
from django.urls import reverse

from lantern.agencies.models import Involvement
from lantern.agencies.selectors import child_is_visible
from lantern.agencies.tests.factories import InvolvementFactory, ProfessionalFactory
from lantern.casework.models import Meeting, Plan, PlanAction
from lantern.casework.tests.factories import MeetingFactory, PlanFactory
from lantern.core.models import AccessLogEntry

pytestmark = pytest.mark.django_db

WHO = [
    "involved",
    "teammate",
    "team_manager",
    "senior_manager",
    "stranger",
    "stranger_manager",
    "other_agency",
    "administrator",
    "auditor",
]

# The pages the signed-out test opens. Who may open each page, in every relation to the child, is the
# permission matrix over every route: lantern/web/tests/test_permission_matrix.py.
PAGES = [
    "my-children",
    "search",
    "child-overview",
    "child-access-log",
    "plans",
    "plan-new",
    "plan",
    "plan-edit",
    "plan-part-new",
    "plan-part-edit",
    "plan-review-new",
    "meetings",
    "meeting-new",
    "meeting",
    "meeting-action-new",
    "plan-quality-audit",
    "assessments",
    "assessment-start",
    "emergency-access",
    "sharing",
    "sharing-new",
    "admin:index",
    "admin:people_person_changelist",
]


def _url(page, child):
    if page in {
        "child-overview",
        "child-access-log",
        "plans",
        "plan-new",
        "meetings",
        "meeting-new",
        "assessments",
        "sharing",
        "sharing-new",
    }:
        return reverse(page, args=[child.ref])
    if page.startswith("plan-part-") or page in {"plan", "plan-edit", "plan-review-new"}:
        plan = _plan(child)
        if page == "plan-part-new":
            return reverse(page, args=[child.ref, plan.ref, "actions"])
        if page == "plan-part-edit":
            return reverse(page, args=[child.ref, plan.ref, "actions", plan.actions.get().pk])
        return reverse(page, args=[child.ref, plan.ref])
    if page in {"meeting", "meeting-action-new"}:
        return reverse(page, args=[child.ref, _meeting(child).ref])
    if page == "assessment-start":
        return reverse(page, args=[child.ref, "home-conditions"])
    if page == "search":
        return reverse(page) + "?q=Morgan"
    if page == "admin:people_person_changelist":
        return "/admin/people/person/"
    return reverse(page)


def _plan(child):
    """A plan of the child's with one action (made once per test)."""
    plan = Plan.objects.filter(children=child).first()
    if plan is None:
        plan = PlanFactory()
        plan.children.add(child)
        PlanAction.objects.create(
            plan=plan,
            description="Dental check",
            owner_professional=ProfessionalFactory(),
            due_on=dt.date(2026, 2, 1),
        )
    return plan


def _meeting(child):
    return Meeting.objects.filter(child=child).first() or MeetingFactory(child=child)


def test_childrens_records_are_not_in_the_admin(client, area):
    """ADR 3: even an administrator finds no page for people in Django's admin."""
    client.force_login(area.administrator)
    assert client.get("/admin/people/person/").status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_signed_out_visitors_are_sent_to_sign_in(client, area, page):
    response = client.get(_url(page, area.child), follow=True)
    assert response.redirect_chain
    assert response.request["PATH_INFO"] == reverse("sign-in")


class TestRelationship:
    def test_an_ended_involvement_gives_no_access(self, area):
        Involvement.objects.filter(professional=area.involved).update(ended_on=dt.date(2026, 1, 31))
        assert not child_is_visible(viewer=area.involved, child_id=area.child.pk)
        assert not child_is_visible(viewer=area.teammate, child_id=area.child.pk)

    def test_an_involvement_ending_today_still_gives_access(self, area):
        from django.utils import timezone

        Involvement.objects.filter(professional=area.involved).update(ended_on=timezone.localdate())
        assert child_is_visible(viewer=area.involved, child_id=area.child.pk)

    def test_an_involvement_starting_tomorrow_gives_no_access_yet(self, area):
        from django.utils import timezone

        Involvement.objects.filter(professional=area.involved).update(
            started_on=timezone.localdate() + dt.timedelta(days=1)
        )
        assert not child_is_visible(viewer=area.involved, child_id=area.child.pk)

    def test_a_team_involvement_without_a_named_worker_reaches_the_team(self, area):
        InvolvementFactory(child=area.unrelated_child, agency=area.social_care, team=area.other_team)
        assert child_is_visible(viewer=area.stranger, child_id=area.unrelated_child.pk)
        assert not child_is_visible(viewer=area.involved, child_id=area.unrelated_child.pk)

    def test_a_senior_manager_reaches_only_children_their_agency_is_involved_with(self, area):
        assert child_is_visible(viewer=area.senior_manager, child_id=area.child.pk)
        assert not child_is_visible(viewer=area.senior_manager, child_id=area.unrelated_child.pk)

    def test_a_disabled_account_reaches_nobody(self, area):
        area.involved.is_active = False
        area.involved.save()
        assert not child_is_visible(viewer=area.involved, child_id=area.child.pk)


class TestForgedUrl:
    def test_refused_logged_and_shows_whom_to_contact(self, client, area):
        client.force_login(area.stranger)
        response = client.get(reverse("child-overview", args=[area.unrelated_child.ref]))
        assert response.status_code == 403
        page = response.content.decode()
        assert "Noah Fletcher is known to services" in page
        assert "Oakfield Primary School" in page
        assert "01632 960107" in page
        assert "Born" not in page
        entry = AccessLogEntry.objects.get()
        assert (entry.professional, entry.child, entry.action) == (
            area.stranger,
            area.unrelated_child,
            "refused",
        )

    def test_a_reference_to_no_child_is_not_found(self, client, area):
        client.force_login(area.involved)
        assert client.get("/children/test:nobody/").status_code == 404
        assert client.get("/children/not-a-reference/").status_code == 404
        assert not AccessLogEntry.objects.exists()

    def test_an_adult_is_not_opened_as_a_child(self, client, area):
        from lantern.people.tests.factories import AdultFactory

        adult = AdultFactory()
        InvolvementFactory(child=adult, agency=area.social_care, professional=area.involved)
        client.force_login(area.involved)
        assert client.get(reverse("child-overview", args=[adult.ref])).status_code == 404
