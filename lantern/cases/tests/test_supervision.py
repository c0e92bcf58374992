"""Recorded case supervision is what supervision-overdue reads: recording it resolves the alert in the
same transaction, and only a supervision of the allocated worker does."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from lantern.cases.models import CaseSupervision
from lantern.cases.supervision import supervision_record
from lantern.cases.tests.conftest import days_ago, table_counts
from lantern.casework.models import Plan
from lantern.chronology.models import Event
from lantern.screening.engine import alerts_sync
from lantern.screening.models import Alert, AlertStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(area):
    """Ava is on a plan led by Sam, with no supervision: the alert is raised."""
    plan = Plan.objects.create(
        source="t",
        source_id="p1",
        type="child-protection",
        category="neglect",
        started_on=days_ago(100),
        lead_professional=area.involved,
    )
    plan.children.add(area.child)
    alerts_sync([area.child.pk])
    return Alert.objects.get(child=area.child, rule="supervision-overdue", status=AlertStatus.RAISED)


def _record(
    area, *, worker, ago=0, reflections="Thought about disguised compliance", decisions="Visit weekly"
):
    return supervision_record(
        child=area.child,
        supervisor=area.team_manager,
        worker=worker,
        held_on=days_ago(ago),
        reflections=reflections,
        decisions=decisions,
    )


class TestSupervisionFeedsTheRule:
    def test_recording_it_resolves_the_alert_at_once(self, area, overdue):
        record = _record(area, worker=area.involved)
        event = record.event
        assert (event.type, event.worker, event.supervisor, event.text) == (
            "supervision",
            area.involved,
            area.team_manager,
            "Visit weekly",
        )
        assert record.reflections == "Thought about disguised compliance"
        overdue.refresh_from_db()
        assert overdue.status == AlertStatus.RESOLVED

    def test_a_supervision_56_days_ago_is_still_in_time(self, area, overdue):
        _record(area, worker=area.involved, ago=55)
        overdue.refresh_from_db()
        assert overdue.status == AlertStatus.RESOLVED

    def test_a_supervision_56_days_ago_is_too_old(self, area, overdue):
        _record(area, worker=area.involved, ago=56)
        overdue.refresh_from_db()
        assert overdue.status == AlertStatus.RAISED

    def test_supervising_another_worker_leaves_the_alert(self, area, overdue):
        from lantern.agencies.tests.factories import InvolvementFactory

        InvolvementFactory(child=area.child, agency=area.social_care, professional=area.teammate)
        _record(area, worker=area.teammate)
        overdue.refresh_from_db()
        assert overdue.status == AlertStatus.RAISED


class TestRefused:
    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"ago": -1}, "today or in the past"),
            ({"reflections": " "}, "Enter the reflections"),
            ({"decisions": ""}, "Enter the decisions"),
        ],
    )
    def test_bad_input_changes_nothing(self, area, changes, message):
        before = table_counts()
        with pytest.raises(ValidationError, match=message):
            _record(area, worker=area.involved, **changes)
        assert table_counts() == before

    def test_a_worker_not_involved_with_the_child(self, area):
        with pytest.raises(ValidationError, match="is not involved with Ava Morgan"):
            _record(area, worker=area.stranger)
        assert not Event.objects.exists()
        assert not CaseSupervision.objects.exists()

    def test_not_with_oneself(self, area):
        with pytest.raises(ValidationError, match="with another worker"):
            supervision_record(
                child=area.child,
                supervisor=area.involved,
                worker=area.involved,
                held_on=days_ago(0),
                reflections="r",
                decisions="d",
            )


class TestPage:
    def test_a_manager_records_it_and_the_chronology_shows_it(self, client, area, overdue):
        from django.urls import reverse
        from django.utils import timezone

        client.force_login(area.team_manager)
        today = timezone.localdate()
        url = reverse("case-supervision", args=[area.child.ref])
        response = client.post(
            url,
            {
                "held_on-day": today.day,
                "held_on-month": today.month,
                "held_on-year": today.year,
                "worker": area.involved.pk,
                "reflections": "Hard to see change",
                "decisions": "Book a core group",
            },
        )
        assert response.status_code == 302
        assert "Hard to see change" in client.get(url).content.decode()
        chronology = client.get(reverse("chronology", args=[area.child.ref])).content.decode()
        assert f"Case supervision: {area.involved.name}" in chronology
        assert "Book a core group" in chronology

    def test_a_practitioner_sees_the_records_but_cannot_record(self, client, area):
        from django.urls import reverse

        client.force_login(area.involved)
        url = reverse("case-supervision", args=[area.child.ref])
        assert "Record a case supervision" not in client.get(url).content.decode()
        assert client.post(url, {}).status_code == 403


def test_after_a_transfer_the_rule_looks_for_the_new_workers_supervision(area, overdue, episode):
    from lantern.cases.episodes import case_review_record, case_transfer

    _record(area, worker=area.involved)
    overdue.refresh_from_db()
    assert overdue.status == AlertStatus.RESOLVED
    case_review_record(
        episode=episode,
        by=area.involved,
        held_on=days_ago(0),
        progress="no-change",
        needs_met=False,
        summary="Handover to the long-term team",
    )
    case_transfer(
        episode=episode,
        by=area.team_manager,
        worker=area.teammate,
        team=None,
        role="",
        reason="Long-term team",
    )
    # The transfer's allocation entry makes the new worker the allocated one, in the same transaction.
    alert = Alert.objects.get(child=area.child, rule="supervision-overdue", status=AlertStatus.RAISED)
    assert f"lantern:{area.teammate.username}" in alert.summary
