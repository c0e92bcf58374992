"""Escalating a stuck case from its alert, and professional challenge: one workflow, with its refusals."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from lantern.agencies.models import Role
from lantern.agencies.tests.factories import InvolvementFactory, ProfessionalFactory
from lantern.cases.escalations import escalation_make_formal, escalation_raise, escalation_resolve
from lantern.cases.models import Escalation
from lantern.cases.tests.conftest import days_ago, table_counts
from lantern.casework.models import Plan, PlanReview
from lantern.screening.engine import alerts_sync
from lantern.screening.models import Alert, AlertStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def stuck(area):
    plan = Plan.objects.create(
        source="t",
        source_id="p1",
        type="child-protection",
        category="neglect",
        started_on=days_ago(300),
        lead_professional=area.involved,
    )
    plan.children.add(area.child)
    PlanReview.objects.create(plan=plan, held_on=days_ago(100), progress="no-change")
    PlanReview.objects.create(plan=plan, held_on=days_ago(10), progress="worse")
    alerts_sync([area.child.pk])
    return Alert.objects.get(child=area.child, rule="stuck-case")


def _raise(area, **changes):
    fields = {
        "child": area.child,
        "by": area.involved,
        "kind": "stuck-case",
        "subject": "case-drift",
        "concern": "Two reviews without progress",
        "owner": area.senior_manager,
        "due_on": days_ago(-7),
    }
    return escalation_raise(**{**fields, **changes})


class TestStuckCase:
    def test_the_alert_page_offers_it(self, client, area, stuck):
        client.force_login(area.involved)
        page = client.get(reverse("alert", args=[stuck.pk])).content.decode()
        assert f"/children/{area.child.ref}/escalations/new/?alert={stuck.pk}" in page
        form = client.get(
            reverse("escalation-new", args=[area.child.ref]) + f"?alert={stuck.pk}"
        ).content.decode()
        assert "Escalate a stuck case" in form
        assert area.senior_manager.name in form

    def test_raised_from_the_alert_it_records_the_action_on_the_alert(self, area, stuck):
        escalation = _raise(area, alert=stuck)
        stuck.refresh_from_db()
        assert stuck.status == AlertStatus.ACTIONED
        assert f"Escalated to {area.senior_manager.name}, senior manager" in stuck.action_taken
        assert (escalation.stage, escalation.owner, escalation.alert) == (
            "informal",
            area.senior_manager,
            stuck,
        )
        assert escalation.steps.get().kind == "raised"

    def test_only_a_senior_manager_can_own_it(self, area, stuck):
        before = table_counts()
        with pytest.raises(ValidationError, match="choose a senior manager who can see Ava Morgan's record"):
            _raise(area, owner=area.team_manager, alert=stuck)
        assert table_counts() == before

    def test_a_senior_manager_who_cannot_see_the_child_cannot_own_it(self, area):
        elsewhere = ProfessionalFactory(role=Role.SENIOR_MANAGER)
        with pytest.raises(ValidationError, match="cannot own this"):
            _raise(area, owner=elsewhere)

    def test_a_due_date_in_the_past_is_refused(self, area):
        with pytest.raises(ValidationError, match="today or later"):
            _raise(area, due_on=days_ago(1))

    def test_another_childs_alert_is_refused(self, area, stuck):
        with pytest.raises(ValidationError, match="Only a stuck case alert for this child"):
            _raise(area, child=area.unrelated_child, by=area.other_agency, alert=stuck)


class TestChallenge:
    @pytest.fixture
    def police(self, area):
        officer = ProfessionalFactory(agency=area.other_agency.agency)
        InvolvementFactory(
            child=area.child, agency=officer.agency, professional=officer, started_on=timezone.localdate()
        )
        return officer

    def test_from_informal_to_formal_to_resolved(self, area, police):
        challenge = _raise(
            area,
            kind="professional-challenge",
            subject="information-sharing",
            challenged_agency=police.agency,
            owner=police,
        )
        assert challenge.challenged_agency == police.agency
        with pytest.raises(ValidationError, match="a manager, at the formal stage"):
            escalation_make_formal(
                escalation=challenge, by=area.involved, owner=police, due_on=days_ago(-3), note="No reply"
            )
        escalation_make_formal(
            escalation=challenge,
            by=area.involved,
            owner=area.team_manager,
            due_on=days_ago(-3),
            note="No reply in 5 days",
        )
        with pytest.raises(ValidationError, match="formal stage already"):
            escalation_make_formal(
                escalation=challenge,
                by=area.involved,
                owner=area.team_manager,
                due_on=days_ago(-3),
                note="Again",
            )
        with pytest.raises(ValidationError, match="Only its owner or whoever raised it"):
            escalation_resolve(escalation=challenge, by=area.teammate, outcome="Shared")
        escalation_resolve(escalation=challenge, by=area.team_manager, outcome="Police shared the report")
        challenge.refresh_from_db()
        assert (challenge.stage, challenge.resolved_on, challenge.outcome) == (
            "formal",
            timezone.localdate(),
            "Police shared the report",
        )
        with pytest.raises(ValidationError, match="This was resolved on"):
            escalation_resolve(escalation=challenge, by=area.team_manager, outcome="Again")
        assert list(challenge.steps.values_list("kind", flat=True)) == ["raised", "formal", "resolved"]

    def test_a_challenge_names_another_agency(self, area, police):
        with pytest.raises(ValidationError, match="Choose the agency you are challenging"):
            _raise(area, kind="professional-challenge", subject="plans", owner=police)
        with pytest.raises(ValidationError, match="to another agency"):
            _raise(
                area,
                kind="professional-challenge",
                subject="plans",
                owner=police,
                challenged_agency=area.social_care,
            )
        assert not Escalation.objects.exists()
