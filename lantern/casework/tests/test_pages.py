"""Plan and meeting pages: writing a plan, refusing an action without an owner or a date, reviews against
each outcome, conflicts between two editors, meetings and their timescales, and the quality audit."""

import datetime as dt

import pytest
from django.urls import reverse

from lantern.agencies.tests.factories import InvolvementFactory
from lantern.casework.models import Meeting, Plan, PlanAction, PlanReview, PlanReviewOutcome
from lantern.chronology.models import Event
from lantern.core.models import AccessLogEntry
from lantern.people.tests.factories import AdultFactory, ChildFactory, RelationshipFactory
from lantern.screening.models import Alert

pytestmark = pytest.mark.django_db


def date(name, day):
    return {f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year}


def write_plan(client, area, **extra):
    data = {
        "children": [area.child.pk],
        "type": "child-protection",
        "category": "neglect",
        **date("started_on", dt.date(2026, 1, 5)),
        "lead_professional": area.involved.pk,
        "lead_agency": area.social_care.pk,
        **extra,
    }
    return client.post(reverse("plan-new", args=[area.child.ref]), data)


@pytest.fixture
def plan(client, area):
    client.force_login(area.involved)
    write_plan(client, area)
    return Plan.objects.get()


def part_url(area, plan, part, *rest):
    name = "plan-part-edit" if rest else "plan-part-new"
    return reverse(name, args=[area.child.ref, plan.ref, part, *rest])


class TestWritePlan:
    def test_written_on_the_chronology_screened_and_audited(self, client, area):
        client.force_login(area.involved)
        response = write_plan(client, area)
        plan = Plan.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("plan", args=[area.child.ref, plan.ref])
        assert (plan.type, plan.category, plan.lead_professional, plan.lead_agency) == (
            "child-protection",
            "neglect",
            area.involved,
            area.social_care,
        )
        event = Event.objects.get(plan=plan)
        assert (event.type, event.child, event.recorded_by, event.significance) == (
            "plan-started",
            area.child,
            area.involved,
            "key",
        )
        assert AccessLogEntry.objects.filter(child=area.child, action="record", page="plan-new").exists()
        # Screened as it was written: a child protection plan from January with no review is overdue one.
        assert Alert.objects.filter(child=area.child, rule="review-overdue", status="raised").exists()

    def test_a_review_clears_the_overdue_review_alert(self, client, area):
        client.force_login(area.involved)
        write_plan(client, area)
        plan = Plan.objects.get()
        client.post(
            reverse("plan-review-new", args=[area.child.ref, plan.ref]),
            {**date("held_on", dt.date.today()), "progress": "improved"},
        )
        assert not Alert.objects.filter(child=area.child, rule="review-overdue", status="raised").exists()

    def test_child_protection_needs_a_category(self, client, area):
        client.force_login(area.involved)
        response = write_plan(client, area, category="")
        assert response.status_code == 400
        assert "Select the category of the child protection plan" in response.content.decode()
        assert not Plan.objects.exists()
        assert not Event.objects.exists()

    def test_a_sibling_group(self, client, area):
        brother = ChildFactory(given_name="Leo", family_name="Morgan")
        RelationshipFactory(from_person=brother, to_person=area.child, type="sibling")
        InvolvementFactory(child=brother, agency=area.social_care, team=area.team, professional=area.involved)
        client.force_login(area.involved)
        write_plan(client, area, children=[area.child.pk, brother.pk])
        plan = Plan.objects.get()
        assert set(plan.children.all()) == {area.child, brother}
        assert set(Event.objects.filter(plan=plan).values_list("child", flat=True)) == {
            area.child.pk,
            brother.pk,
        }

    def test_a_sibling_outside_the_viewers_reach_is_not_offered(self, client, area):
        sister = ChildFactory(given_name="Isla", family_name="Morgan")
        RelationshipFactory(from_person=sister, to_person=area.child, type="sibling")
        client.force_login(area.involved)
        response = write_plan(client, area, children=[area.child.pk, sister.pk])
        assert response.status_code == 400
        assert not Plan.objects.exists()


class TestActions:
    def test_an_action_without_an_owner_or_a_date_is_refused_and_nothing_saved(self, client, area, plan):
        response = client.post(part_url(area, plan, "actions"), {"description": "Take Mia to the dentist"})
        page = response.content.decode()
        assert response.status_code == 400
        assert "There is a problem" in page
        assert "Select who will do the action" in page
        assert "Enter the date the action will be done by" in page
        assert 'href="#owner"' in page
        assert 'href="#due_on-day"' in page
        assert not PlanAction.objects.exists()

    def test_with_an_owner_and_a_date_it_is_saved(self, client, area, plan):
        mother = AdultFactory(given_name="Kerry", family_name="Morgan")
        RelationshipFactory(from_person=mother, to_person=area.child, type="mother")
        form = client.get(part_url(area, plan, "actions")).content.decode()
        assert "Kerry Morgan (family)" in form
        response = client.post(
            part_url(area, plan, "actions"),
            {
                "description": "Take Mia to the dentist",
                "owner": f"person:{mother.pk}",
                **date("due_on", dt.date(2026, 2, 1)),
            },
        )
        assert response.status_code == 302
        action = PlanAction.objects.get()
        assert (action.owner, action.owner_professional, action.due_on) == (mother, None, dt.date(2026, 2, 1))

    def test_an_owner_not_offered_is_refused(self, client, area, plan):
        response = client.post(
            part_url(area, plan, "actions"),
            {
                "description": "Visit",
                "owner": f"professional:{area.other_agency.pk}",
                **date("due_on", dt.date(2026, 2, 1)),
            },
        )
        assert response.status_code == 400
        assert not PlanAction.objects.exists()

    def test_the_live_quality_check_names_what_is_missing(self, client, area, plan):
        url = reverse("plan-quality-check", args=[area.child.ref, plan.ref, "actions"])
        page = client.post(url, {"description": "Attend the ICPC"}, HTTP_HX_REQUEST="true").content.decode()
        assert "The action has no owner" in page
        assert "The action has no date" in page
        assert "ICPC" in page
        assert not PlanAction.objects.exists()


class TestReview:
    def test_progress_against_each_outcome(self, client, area, plan):
        for description in ["Mia has breakfast every day", "Mia sleeps in a clean bed"]:
            client.post(
                part_url(area, plan, "outcomes"),
                {"description": description, "measure": "At every visit until June"},
            )
        first, second = plan.outcomes.all()
        url = reverse("plan-review-new", args=[area.child.ref, plan.ref])
        missing = client.post(
            url,
            {
                **date("held_on", dt.date(2026, 3, 1)),
                "progress": "improved",
                f"outcome_{first.pk}": "improved",
            },
        )
        assert missing.status_code == 400
        assert "Select the progress against outcome 2" in missing.content.decode()
        assert not PlanReview.objects.exists()
        response = client.post(
            url,
            {
                **date("held_on", dt.date(2026, 3, 1)),
                "progress": "improved",
                f"outcome_{first.pk}": "improved",
                f"outcome_{second.pk}": "worse",
                "needs_met": "no",
            },
        )
        assert response.status_code == 302
        review = PlanReview.objects.get()
        assert (review.progress, review.needs_met) == ("improved", False)
        assert dict(PlanReviewOutcome.objects.values_list("outcome", "progress")) == {
            first.pk: "improved",
            second.pk: "worse",
        }
        assert Event.objects.filter(review=review, type="plan-review", child=area.child).exists()
        page = client.get(reverse("plan", args=[area.child.ref, plan.ref])).content.decode()
        assert "Outcome 2: worse" in page


class TestConflict:
    def test_two_editors_one_saves_the_other_is_told_and_nothing_is_lost(self, client, area, plan):
        from django.test import Client

        other = Client()
        other.force_login(area.teammate)
        url = reverse("plan-edit", args=[area.child.ref, plan.ref])
        assert 'name="version" value="1"' in client.get(url).content.decode()
        assert 'name="version" value="1"' in other.get(url).content.decode()
        common = {
            "type": "child-protection",
            **date("started_on", dt.date(2026, 1, 5)),
            "lead_professional": area.involved.pk,
            "lead_agency": area.social_care.pk,
            "version": 1,
        }
        first = client.post(url, {**common, "category": "emotional"})
        second = other.post(url, {**common, "category": "physical"})
        assert first.status_code == 302
        assert second.status_code == 409
        page = second.content.decode()
        assert "Someone else changed this plan while you were editing it" in page
        assert "make your changes again" in page
        assert "What you entered" in page
        assert "Physical abuse" in page
        assert 'name="version" value="2"' in page  # the form now holds the plan as it is
        plan.refresh_from_db()
        assert (plan.category, plan.version) == ("emotional", 2)


class TestMeetings:
    def test_record_a_meeting_with_agencies_and_timescales(self, client, area):
        InvolvementFactory(child=area.child, agency=area.school)
        client.force_login(area.involved)
        response = client.post(
            reverse("meeting-new", args=[area.child.ref]),
            {
                "kind": "strategy-discussion",
                **date("held_on", dt.date(2025, 12, 15)),
                "invited": [area.social_care.pk, area.school.pk],
                "attended": [area.social_care.pk],
                "decisions": "Section 47 enquiries to start",
            },
        )
        meeting = Meeting.objects.get()
        assert response.status_code == 302
        assert set(meeting.invited_agencies.all()) == {area.social_care, area.school}
        assert Event.objects.filter(meeting=meeting, type="meeting").exists()
        page = client.get(reverse("meetings", args=[area.child.ref])).content.decode()
        assert "Initial child protection conference" in page
        assert "8 January 2026" in page  # 15 working days, across Christmas and New Year
        assert "Overdue" in page

    def test_attended_but_not_invited_is_refused(self, client, area):
        InvolvementFactory(child=area.child, agency=area.school)
        client.force_login(area.involved)
        response = client.post(
            reverse("meeting-new", args=[area.child.ref]),
            {
                "kind": "core-group",
                **date("held_on", dt.date(2026, 1, 15)),
                "invited": [area.social_care.pk],
                "attended": [area.school.pk],
                "decisions": "Continue",
            },
        )
        assert response.status_code == 400
        assert "Only agencies that were invited can have attended" in response.content.decode()
        assert not Meeting.objects.exists()

    def test_a_meeting_action_needs_an_owner(self, client, area):
        client.force_login(area.involved)
        client.post(
            reverse("meeting-new", args=[area.child.ref]),
            {
                "kind": "core-group",
                **date("held_on", dt.date(2026, 1, 15)),
                "invited": [area.social_care.pk],
                "decisions": "Continue the plan",
            },
        )
        meeting = Meeting.objects.get()
        url = reverse("meeting-action-new", args=[area.child.ref, meeting.ref])
        refused = client.post(
            url, {"description": "Book a dental check", **date("due_on", dt.date(2026, 2, 1))}
        )
        assert refused.status_code == 400
        assert not meeting.actions.exists()
        client.post(
            url,
            {
                "description": "Book a dental check",
                "owner": f"professional:{area.involved.pk}",
                **date("due_on", dt.date(2026, 2, 1)),
            },
        )
        assert meeting.actions.get().owner_professional == area.involved


class TestQualityAudit:
    def test_a_manager_sees_the_open_plans_of_their_teams_children_with_findings(self, client, area, plan):
        client.post(
            part_url(area, plan, "outcomes"), {"description": "Mum will engage", "measure": "Ongoing"}
        )
        client.force_login(area.team_manager)
        page = client.get(reverse("plan-quality-audit")).content.decode()
        assert "Ava Morgan" in page
        assert "“engage” does not say what will be different" in page
        assert AccessLogEntry.objects.filter(
            professional=area.team_manager, child=area.child, page="plan-quality-audit"
        ).exists()

    def test_a_manager_of_another_team_does_not_see_them(self, client, area, plan):
        client.force_login(area.stranger_manager)
        page = client.get(reverse("plan-quality-audit")).content.decode()
        assert "Ava Morgan" not in page


class TestEditKeepsWhatIsThere:
    def test_a_lead_professional_no_longer_involved_stays_chosen(self, client, area):
        client.force_login(area.involved)
        write_plan(client, area)
        plan = Plan.objects.get()
        Plan.objects.filter(pk=plan.pk).update(lead_professional=area.other_agency)
        page = client.get(reverse("plan-edit", args=[area.child.ref, plan.ref])).content.decode()
        assert f'<option value="{area.other_agency.pk}" selected>' in page

    def test_an_action_owner_no_longer_involved_stays_chosen(self, client, area, plan):
        action = PlanAction.objects.create(
            plan=plan, description="Visit", owner_professional=area.other_agency, due_on=dt.date(2026, 2, 1)
        )
        page = client.get(part_url(area, plan, "actions", action.pk)).content.decode()
        assert f'<option value="professional:{area.other_agency.pk}" selected>' in page
