"""Case episodes: opening, and the gates in front of transfer and closure (refused with the message,
every table unchanged), at the 30-day boundary."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lantern.agencies.models import Involvement
from lantern.agencies.tests.factories import ProfessionalFactory
from lantern.cases.episodes import case_close, case_open, case_review_record, case_transfer
from lantern.cases.models import CaseEpisode, CaseStep
from lantern.cases.tests.conftest import days_ago, table_counts
from lantern.casework.models import Plan, PlanReview
from lantern.chronology.models import Event
from lantern.screening.facts import child_facts

pytestmark = pytest.mark.django_db


def _review(episode, by, *, ago, needs_met=True):
    return case_review_record(
        episode=episode,
        by=by,
        held_on=days_ago(ago),
        progress="improved",
        needs_met=needs_met,
        summary="Seen",
    )


def _plan_review(child, *, ago, needs_met=None):
    plan = Plan.objects.create(source="t", source_id="p1", type="child-in-need", started_on=days_ago(200))
    plan.children.add(child)
    return PlanReview.objects.create(
        plan=plan, held_on=days_ago(ago), progress="no-change", needs_met=needs_met
    )


def _refused(call, message):
    before = table_counts()
    with pytest.raises(ValidationError) as refused:
        call()
    assert message in refused.value.messages[0]
    assert table_counts() == before
    return refused.value.messages[0]


class TestOpen:
    def test_the_worker_already_involved_keeps_their_allocation(self, area, episode):
        assert episode.allocation.professional == area.involved
        assert Involvement.objects.filter(child=area.child).count() == 1
        assert not Event.objects.filter(type="allocation").exists()
        step = episode.steps.get()
        assert (step.kind, step.by, step.note) == ("opened", area.team_manager, "Referral from school")

    def test_a_new_worker_is_a_new_involvement_and_an_allocation_on_the_chronology(self, area):
        case_open(
            child=area.unrelated_child,
            by=area.team_manager,
            worker=area.teammate,
            team=None,
            role="Social worker",
            reason="Step up from early help",
        )
        involvement = Involvement.objects.get(child=area.unrelated_child, professional=area.teammate)
        assert (involvement.team, involvement.lead, involvement.started_on) == (
            area.team,
            False,
            timezone.localdate(),
        )
        event = Event.objects.get(type="allocation", child=area.unrelated_child)
        assert (event.worker, event.significance) == (area.teammate, "key")
        assert "Step up from early help" in event.text
        # What screening reads: the allocated worker is the one supervision-overdue looks for.
        facts = child_facts([area.unrelated_child.pk], as_of=timezone.localdate())[area.unrelated_child.pk]
        assert [e.worker for e in facts.events_of("allocation")] == [f"lantern:{area.teammate.username}"]

    def test_the_first_allocation_of_a_child_without_a_lead_leads(self, area):
        Involvement.objects.filter(child=area.unrelated_child).update(lead=False)
        case_open(
            child=area.unrelated_child,
            by=area.team_manager,
            worker=area.teammate,
            team=None,
            role="",
            reason="Referral",
        )
        assert Involvement.objects.get(child=area.unrelated_child, professional=area.teammate).lead

    def test_a_second_open_case_with_the_same_agency_is_refused(self, area, episode):
        _refused(
            lambda: case_open(
                child=area.child,
                by=area.team_manager,
                worker=area.teammate,
                team=None,
                role="",
                reason="Again",
            ),
            "Ava Morgan already has an open case with Children's Social Care",
        )

    def test_no_worker_or_team_is_refused(self, area):
        _refused(
            lambda: case_open(
                child=area.child, by=area.team_manager, worker=None, team=None, role="", reason="x"
            ),
            "Choose the worker or the team",
        )

    def test_a_worker_of_another_agency_is_refused(self, area):
        _refused(
            lambda: case_open(
                child=area.child,
                by=area.team_manager,
                worker=area.other_agency,
                team=None,
                role="",
                reason="x",
            ),
            "cannot hold a case for this agency",
        )

    def test_no_reason_is_refused(self, area):
        _refused(
            lambda: case_open(
                child=area.child, by=area.team_manager, worker=area.involved, team=None, role="", reason="  "
            ),
            "Enter why the case is being opened",
        )


class TestTransferGate:
    def _transfer(self, area, episode):
        return case_transfer(
            episode=episode,
            by=area.team_manager,
            worker=area.teammate,
            team=None,
            role="",
            reason="Long-term team",
        )

    def test_refused_without_a_review_and_nothing_changes(self, area, episode):
        message = _refused(lambda: self._transfer(area, episode), "Ava Morgan's case cannot be transferred")
        assert "no review in the last 30 days" in message
        assert episode.allocation.ended_on is None

    def test_a_case_review_29_days_ago_allows_it(self, area, episode):
        review = _review(episode, area.involved, ago=29)
        self._transfer(area, episode)
        episode.refresh_from_db()
        old = Involvement.objects.get(professional=area.involved, child=area.child)
        assert old.ended_on == timezone.localdate()
        assert (episode.allocation.professional, episode.allocation.lead) == (area.teammate, True)
        step = episode.steps.get(kind="transferred")
        assert (step.case_review, step.note, step.event.worker) == (review, "Long-term team", area.teammate)

    def test_a_case_review_30_days_ago_is_too_old(self, area, episode):
        _review(episode, area.involved, ago=30)
        _refused(lambda: self._transfer(area, episode), "no review in the last 30 days")

    def test_a_plan_review_29_days_ago_allows_it(self, area, episode):
        review = _plan_review(area.child, ago=29)
        self._transfer(area, episode)
        assert episode.steps.get(kind="transferred").plan_review == review

    def test_a_plan_review_30_days_ago_is_too_old(self, area, episode):
        _plan_review(area.child, ago=30)
        _refused(lambda: self._transfer(area, episode), "no review in the last 30 days")

    def test_a_transfer_to_a_team_alone_writes_no_allocation(self, area, episode):
        _review(episode, area.involved, ago=0)
        case_transfer(
            episode=episode,
            by=area.team_manager,
            worker=None,
            team=area.other_team,
            role="",
            reason="To assessment",
        )
        episode.refresh_from_db()
        assert (episode.allocation.professional, episode.allocation.team) == (None, area.other_team)
        assert not Event.objects.filter(type="allocation").exists()

    def test_to_the_same_worker_is_refused(self, area, episode):
        _review(episode, area.involved, ago=0)
        _refused(
            lambda: case_transfer(
                episode=episode, by=area.team_manager, worker=area.involved, team=None, role="", reason="x"
            ),
            "already allocated there",
        )


class TestCloseGate:
    def _close(self, area, episode):
        return case_close(episode=episode, by=area.team_manager, reason="Needs met")

    def test_refused_without_a_review_and_nothing_changes(self, area, episode):
        message = _refused(lambda: self._close(area, episode), "Ava Morgan's case cannot be closed")
        assert "whether their needs are now met" in message

    def test_refused_when_the_review_did_not_say_whether_needs_are_met(self, area, episode):
        _plan_review(area.child, ago=3, needs_met=None)
        _refused(lambda: self._close(area, episode), "did not record whether Ava Morgan's needs are now met")

    def test_a_plan_review_saying_needs_are_not_met_still_allows_closure(self, area, episode):
        review = _plan_review(area.child, ago=3, needs_met=False)
        self._close(area, episode)
        assert CaseStep.objects.get(kind="closed").plan_review == review

    def test_a_case_review_29_days_ago_allows_it_and_the_allocation_ends(self, area, episode):
        review = _review(episode, area.involved, ago=29)
        self._close(area, episode)
        episode.refresh_from_db()
        assert (episode.closed_on, episode.closed_by, episode.closure_reason) == (
            timezone.localdate(),
            area.team_manager,
            "Needs met",
        )
        assert episode.allocation.ended_on == timezone.localdate()
        assert episode.steps.get(kind="closed").case_review == review

    def test_a_case_review_30_days_ago_is_too_old(self, area, episode):
        _review(episode, area.involved, ago=30)
        _refused(lambda: self._close(area, episode), "no review in the last 30 days")

    def test_a_closed_case_cannot_be_closed_or_transferred_again(self, area, episode):
        _review(episode, area.involved, ago=0)
        self._close(area, episode)
        _refused(lambda: self._close(area, episode), "This case was closed on")
        _refused(
            lambda: case_transfer(
                episode=episode, by=area.team_manager, worker=area.teammate, team=None, role="", reason="x"
            ),
            "This case was closed on",
        )

    def test_a_new_case_can_be_opened_after_closure(self, area, episode):
        _review(episode, area.involved, ago=0)
        self._close(area, episode)
        case_open(
            child=area.child, by=area.team_manager, worker=area.teammate, team=None, role="", reason="Again"
        )
        assert CaseEpisode.objects.filter(child=area.child, closed_on__isnull=True).count() == 1


class TestCaseReview:
    def test_a_review_in_the_future_is_refused(self, area, episode):
        _refused(lambda: _review(episode, area.involved, ago=-1), "today or in the past")

    def test_a_review_before_the_case_opened_is_refused(self, area, episode):
        _refused(lambda: _review(episode, area.involved, ago=91), "on or after the day the case was opened")

    def test_a_review_needs_what_it_found(self, area, episode):
        _refused(
            lambda: case_review_record(
                episode=episode,
                by=area.involved,
                held_on=days_ago(0),
                progress="improved",
                needs_met=True,
                summary="",
            ),
            "Enter what the review found",
        )

    def test_a_worker_elsewhere_cannot_be_given_the_case(self, area, episode):
        inactive = ProfessionalFactory(agency=area.social_care, team=area.team, is_active=False)
        _review(episode, area.involved, ago=0)
        _refused(
            lambda: case_transfer(
                episode=episode, by=area.team_manager, worker=inactive, team=None, role="", reason="x"
            ),
            "cannot hold a case",
        )
