"""The worklist and an alert's page: access, the learning and action shown, acknowledge/action/dismiss."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lantern.chronology.models import Event
from lantern.core.models import AccessLogEntry
from lantern.people.tests.factories import AdultFactory
from lantern.screening.models import Alert, AlertHistory

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(area):
    now = timezone.now()
    return Alert.objects.create(
        child=area.child,
        rule="was-not-brought",
        severity="medium",
        summary="Not brought to 2 appointments in the last 180 days",
        evidence=["t:e1", "t:e2"],
        raised_at=now,
        updated_at=now,
    )


class TestWorklist:
    def test_my_alerts_are_those_of_children_i_am_involved_with(self, client, area, alert):
        client.force_login(area.involved)
        assert "Not brought to 2 appointments" in client.get(reverse("worklist")).content.decode()
        client.force_login(area.teammate)
        assert "Not brought to 2 appointments" not in client.get(reverse("worklist")).content.decode()

    def test_a_manager_sees_the_team_view(self, client, area, alert):
        client.force_login(area.team_manager)
        page = client.get(reverse("worklist") + "?scope=team").content.decode()
        assert "My team&#39;s alerts" in page
        assert "Not brought to 2 appointments" in page
        client.force_login(area.stranger_manager)
        assert (
            "Not brought to 2 appointments"
            not in client.get(reverse("worklist") + "?scope=team").content.decode()
        )

    def test_filters_by_rule_and_severity(self, client, area, alert):
        client.force_login(area.involved)
        assert "Not brought" in client.get(reverse("worklist") + "?rule=was-not-brought").content.decode()
        assert "Not brought" not in client.get(reverse("worklist") + "?rule=dental-decay").content.decode()
        assert "Not brought" not in client.get(reverse("worklist") + "?severity=urgent").content.decode()

    @pytest.mark.parametrize("who", ["administrator", "auditor"])
    def test_no_worklist_for_roles_without_records(self, client, area, who):
        client.force_login(getattr(area, who))
        assert client.get(reverse("worklist")).status_code == 403


class TestAlertPage:
    def test_shows_learning_action_and_evidence_and_is_logged(self, client, area, alert):
        client.force_login(area.involved)
        page = client.get(reverse("alert", args=[alert.pk])).content.decode()
        assert "Missed health appointments" in page
        assert "significance of missed medical appointments" in page
        assert "was-not-brought procedure" in page
        assert "t:e1" in page
        assert AccessLogEntry.objects.filter(page="alert", child=area.child, action="view").exists()

    def test_refused_without_a_relationship(self, client, area, alert):
        client.force_login(area.stranger)
        assert client.get(reverse("alert", args=[alert.pk])).status_code == 403
        assert client.post(reverse("alert", args=[alert.pk]), {"do": "acknowledge"}).status_code == 403
        alert.refresh_from_db()
        assert alert.status == "raised"

    def test_acknowledge_then_record_the_action(self, client, area, alert):
        client.force_login(area.involved)
        client.post(reverse("alert", args=[alert.pk]), {"do": "acknowledge"})
        client.post(
            reverse("alert", args=[alert.pk]), {"do": "action", "text": "Rang the GP; home visit booked."}
        )
        alert.refresh_from_db()
        assert (alert.status, alert.action_taken) == ("actioned", "Rang the GP; home visit booked.")
        history = list(AlertHistory.objects.filter(alert=alert).values_list("status", "by"))
        assert history == [("acknowledged", area.involved.pk), ("actioned", area.involved.pk)]

    def test_dismissing_needs_a_reason(self, client, area, alert):
        client.force_login(area.involved)
        response = client.post(reverse("alert", args=[alert.pk]), {"do": "dismiss", "text": "  "})
        assert response.status_code == 400
        assert "Enter why you are dismissing the alert" in response.content.decode()
        alert.refresh_from_db()
        assert alert.status == "raised"
        client.post(
            reverse("alert", args=[alert.pk]), {"do": "dismiss", "text": "Appointments rebooked and kept."}
        )
        alert.refresh_from_db()
        assert (alert.status, alert.dismissed_evidence) == ("dismissed", ["t:e1", "t:e2"])

    def test_a_resolved_alert_cannot_be_acted_on(self, client, area, alert):
        alert.status, alert.resolved_at = "resolved", timezone.now()
        alert.save()
        client.force_login(area.involved)
        response = client.post(reverse("alert", args=[alert.pk]), {"do": "acknowledge"})
        assert response.status_code == 400
        assert "resolved" in response.content.decode()


class TestAlertPageShows:
    def test_the_evidence_newest_first_and_other_records_in_words(self, client, area, alert):
        today = timezone.localdate()
        for source_id, days_ago, service in [("e1", 40, "Hearing test"), ("e2", 3, "Weight check")]:
            Event.objects.create(
                child=area.child,
                source="t",
                source_id=source_id,
                type="appointment",
                occurred_on=today - dt.timedelta(days=days_ago),
                recorded_at=timezone.now(),
                outcome="was-not-brought",
                service=service,
            )
        mother = AdultFactory(source="t", source_id="m1", given_name="Kayleigh", family_name="Ward")
        alert.evidence = ["t:e1", "t:e2", mother.ref, "t:unknown"]
        alert.save()
        client.force_login(area.involved)
        page = client.get(reverse("alert", args=[alert.pk])).content.decode()
        assert page.index("Appointment (Weight check)") < page.index("Appointment (Hearing test)")
        assert "Kayleigh Ward" in page
        assert "t:m1" not in page
        assert "t:unknown" in page

    def test_acknowledging_twice_is_recorded_once(self, client, area, alert):
        client.force_login(area.involved)
        for _ in range(2):
            response = client.post(reverse("alert", args=[alert.pk]), {"do": "acknowledge"}, follow=True)
            assert response.status_code == 200
        assert list(AlertHistory.objects.filter(alert=alert).values_list("status", flat=True)) == [
            "acknowledged"
        ]

    def test_what_was_done_is_confirmed_and_kept_in_the_history_with_who_did_it(self, client, area, alert):
        client.force_login(area.involved)
        response = client.post(
            reverse("alert", args=[alert.pk]), {"do": "dismiss", "text": "Rebooked.\nBoth kept."}, follow=True
        )
        page = response.content.decode()
        assert "You have dismissed this alert: it comes back if new evidence arrives" in page
        assert "Why it was dismissed" in page
        assert f"by {area.involved.name}" in page

    def test_an_error_about_a_resolved_alert_links_to_no_missing_text_box(self, client, area, alert):
        alert.status, alert.resolved_at = "resolved", timezone.now()
        alert.save()
        client.force_login(area.involved)
        page = client.post(reverse("alert", args=[alert.pk]), {"do": "action", "text": "x"}).content.decode()
        assert "This alert is resolved" in page
        assert 'href="#text"' not in page
        assert 'id="text"' not in page


def test_the_child_overview_shows_current_alerts_first(client, area, alert):
    client.force_login(area.involved)
    page = client.get(reverse("child-overview", args=[area.child.ref])).content.decode()
    assert page.index("Not brought to 2 appointments") < page.index("Agencies involved")


class TestTwoPeopleAtOnce:
    """Optimistic concurrency on alerts (ADR 14): a response to the alert as the page showed it."""

    def test_a_response_to_an_alert_changed_since_the_page_was_opened_is_a_conflict(
        self, client, area, alert
    ):
        client.force_login(area.involved)
        page = client.get(reverse("alert", args=[alert.pk])).content.decode()
        assert f'name="version" value="{alert.version}"' in page
        # Someone else (here the same professional in another tab) dismisses it first…
        dismissed = client.post(
            reverse("alert", args=[alert.pk]), {"do": "dismiss", "text": "Rebooked.", "version": "1"}
        )
        assert dismissed.status_code == 302
        # …then the first professional, from the page as it was, records an action.
        client.force_login(area.involved)
        late = client.post(
            reverse("alert", args=[alert.pk]), {"do": "action", "text": "Rang the GP.", "version": "1"}
        )
        assert late.status_code == 409
        body = late.content.decode()
        assert "Someone else responded to this alert" in body
        assert "it is now dismissed" in body
        assert "Rang the GP." in body  # what they typed is kept for them
        assert 'name="version" value="2"' in body  # the form now carries the alert as it is
        alert.refresh_from_db()
        assert (alert.status, alert.action_taken, alert.version) == ("dismissed", "", 2)
        assert list(AlertHistory.objects.filter(alert=alert).values_list("status", flat=True)) == [
            "dismissed"
        ]

    def test_new_evidence_from_screening_moves_the_version_on(self, area, alert):
        from lantern.screening.engine import Screened, SyncCounts, _sync_batch

        screened = Screened(child=area.child.ref, rule="was-not-brought", severity="high",
                            summary="Not brought to 3", evidence=("t:e1", "t:e2", "t:e3"),
                            recommended_action="")  # fmt: skip
        _sync_batch([area.child.pk], {area.child.pk: [screened]}, SyncCounts())
        alert.refresh_from_db()
        assert (alert.evidence, alert.version) == (["t:e1", "t:e2", "t:e3"], 2)

    def test_a_malformed_version_is_refused_and_changes_nothing(self, client, area, alert):
        client.force_login(area.involved)
        response = client.post(reverse("alert", args=[alert.pk]), {"do": "acknowledge", "version": "x"})
        assert response.status_code == 400
        assert "open the alert again" in response.content.decode()
        alert.refresh_from_db()
        assert (alert.status, alert.version) == ("raised", 1)
