"""The team dashboard: its drift figures are the rules' alerts on the same data (one source of truth)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from lantern.agencies.tests.factories import InvolvementFactory, ProfessionalFactory
from lantern.cases.dashboard import DRIFT_RULES, team_dashboard, team_involvements
from lantern.cases.escalations import escalation_raise
from lantern.cases.tests.conftest import days_ago
from lantern.casework.models import Plan, PlanAction, PlanAgreement, PlanReview
from lantern.people.tests.factories import ChildFactory
from lantern.screening.engine import alerts_sync, screen
from lantern.screening.models import Alert, AlertStatus
from lantern.screening.services import alert_dismiss

pytestmark = pytest.mark.django_db


def _plan(child, n, *, started, category="neglect", type_="child-protection", lead=None):
    plan = Plan.objects.create(
        source="t",
        source_id=f"p{n}",
        type=type_,
        category=category,
        started_on=days_ago(started),
        lead_professional=lead,
    )
    plan.children.add(child)
    return plan


@pytest.fixture
def caseload(area):
    """The Child Protection Team's children, drifting in different ways; one child of another team too."""
    worker = area.involved
    ava = area.child  # stuck, with an overdue action and an agreement not met
    stuck = _plan(ava, 1, started=300, lead=worker)
    PlanReview.objects.create(plan=stuck, held_on=days_ago(120), progress="no-change")
    PlanReview.objects.create(plan=stuck, held_on=days_ago(20), progress="worse")
    PlanAction.objects.create(
        plan=stuck, description="Dentist", owner_professional=worker, due_on=days_ago(40)
    )
    PlanAgreement.objects.create(
        plan=stuck, description="School every day", due_on=days_ago(5), status="not-met"
    )
    ben = ChildFactory(given_name="Ben")  # on a plan for 19 months with no review since it began
    InvolvementFactory(child=ben, agency=area.social_care, team=area.team, professional=area.teammate)
    _plan(ben, 2, started=580, lead=area.teammate)
    cara = ChildFactory(given_name="Cara")  # a child in need plan, no drift; allocated to the team only
    InvolvementFactory(child=cara, agency=area.social_care, team=area.team)
    _plan(cara, 3, started=30, category="", type_="child-in-need", lead=worker)
    dan = ChildFactory(given_name="Dan")  # stuck, but another team's
    InvolvementFactory(child=dan, agency=area.social_care, team=area.other_team, professional=area.stranger)
    other = _plan(dan, 4, started=300, lead=area.stranger)
    PlanReview.objects.create(plan=other, held_on=days_ago(100), progress="worse")
    PlanReview.objects.create(plan=other, held_on=days_ago(10), progress="worse")
    alerts_sync([ava.pk, ben.pk, cara.pk, dan.pk, area.unrelated_child.pk])
    return area


def test_the_drift_figures_are_the_rules_findings_and_the_alerts(caseload):
    area = caseload
    board = team_dashboard(team=area.team)
    figures = {f.code: f.count for f in board.drift}
    # What the rules find for the team's children today, screened afresh (not read from alerts) ...
    team_children = set(team_involvements(team=area.team).values_list("child_id", flat=True))
    found = dict.fromkeys(DRIFT_RULES, 0)
    for _, findings in screen(sorted(team_children), as_of=timezone.localdate()):
        for finding in findings:
            if finding.rule in found:
                found[finding.rule] += 1
    # ... and the alerts the worklist shows.
    alerts = {
        code: Alert.objects.filter(
            child_id__in=team_children, rule=code, status__in=("raised", "acknowledged", "actioned")
        ).count()
        for code in DRIFT_RULES
    }
    assert figures == found == alerts
    assert figures["stuck-case"] == 1  # Ava; Dan is another team's
    assert figures["overdue-actions"] == 1
    assert figures["agreement-not-met"] == 1
    assert figures["long-running-plan"] == 1  # Ben
    assert figures["review-overdue"] >= 1
    assert [a.child.given_name for a in next(f for f in board.drift if f.code == "stuck-case").alerts] == [
        "Ava"
    ]


def test_a_dismissed_alert_leaves_the_figures_as_it_leaves_the_worklist(caseload):
    area = caseload
    alert = Alert.objects.get(child=area.child, rule="agreement-not-met")
    alert_dismiss(alert=alert, by=area.team_manager, reason="Agreement being rewritten at conference")
    figures = {f.code: f.count for f in team_dashboard(team=area.team).drift}
    assert figures["agreement-not-met"] == 0
    assert Alert.objects.filter(rule="agreement-not-met", status=AlertStatus.DISMISSED).count() == 1


def test_caseload_plans_and_escalations(caseload):
    area = caseload
    spare = ProfessionalFactory(agency=area.social_care, team=area.team, name="Zed Newworker")
    escalation_raise(
        child=area.child,
        by=area.involved,
        kind="stuck-case",
        subject="case-drift",
        concern="Stuck",
        owner=area.senior_manager,
        due_on=days_ago(0),
    )
    board = team_dashboard(team=area.team)
    caseload_bars = {b.label: b.value for b in board.caseload.bars}
    assert caseload_bars[area.involved.name] == 1
    assert caseload_bars[area.teammate.name] == 1
    assert caseload_bars[spare.name] == 0
    assert caseload_bars[area.team_manager.name] == 0
    assert {b.label: b.value for b in board.plans_by_type.bars} == {
        "Early help": 0,
        "Child in need": 1,
        "Child protection": 2,
    }
    assert {b.label: b.value for b in board.plans_by_category.bars}["Neglect"] == 2
    assert [e.child for e in board.escalations_open] == [area.child]
    assert board.children == 3


class TestPage:
    def test_a_manager_sees_their_team_with_charts_and_tables(self, client, caseload):
        area = caseload
        client.force_login(area.team_manager)
        response = client.get(reverse("my-team-dashboard"), follow=True)
        page = response.content.decode()
        assert response.redirect_chain[-1][0] == reverse("team-dashboard", args=[area.team.pk])
        assert '<tr class="govuk-table__row" data-rule="stuck-case">' in page
        assert page.count('role="img"') == 4
        assert "Show the figures as a table" in page

    def test_a_manager_cannot_see_another_team(self, client, caseload):
        client.force_login(caseload.team_manager)
        assert client.get(reverse("team-dashboard", args=[caseload.other_team.pk])).status_code == 403

    def test_a_senior_manager_sees_every_team_of_their_agency(self, client, caseload):
        client.force_login(caseload.senior_manager)
        response = client.get(reverse("team-dashboard", args=[caseload.other_team.pk]))
        assert response.status_code == 200
        assert caseload.team.name in response.content.decode()
