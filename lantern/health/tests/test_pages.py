"""The health administrator's pages and everyone's notifications."""

import pytest
from django.urls import reverse

from lantern.agencies.models import Role
from lantern.agencies.tests.factories import AgencyFactory, ProfessionalFactory
from lantern.chronology.models import Event
from lantern.core.models import AccessLogEntry
from lantern.health.ingest import fhir_bundle_ingest
from lantern.health.models import FhirPatient, HealthSystem, SystemToken
from lantern.health.tests.fhir_examples import appointment, bundle, patient

pytestmark = pytest.mark.django_db


@pytest.fixture
def hospital():
    return AgencyFactory(name="General Hospital", type="health")


@pytest.fixture
def system(hospital):
    return HealthSystem.objects.create(name="General Hospital PAS", slug="general-hospital", agency=hospital)


@pytest.fixture
def health_admin(hospital):
    return ProfessionalFactory(agency=hospital, role=Role.ADMINISTRATOR)


@pytest.fixture
def queued(system, area):
    fhir_bundle_ingest(body=bundle(patient(nhs_number=None), appointment()), system=system)
    return FhirPatient.objects.get()


class TestWhoMay:
    @pytest.mark.parametrize("who", ["involved", "team_manager", "administrator", "auditor"])
    def test_only_a_health_agencys_administrators(self, client, area, system, who):
        client.force_login(getattr(area, who))
        assert client.get(reverse("health-feeds")).status_code == 403
        assert client.get(reverse("health-unmatched")).status_code == 403

    def test_a_health_administrator_sees_their_feeds(self, client, system, health_admin):
        client.force_login(health_admin)
        page = client.get(reverse("health-feeds")).content.decode()
        assert "General Hospital PAS" in page
        assert "No tokens" in page


class TestTokens:
    def test_issue_shows_the_token_once_and_revoke_ends_it(self, client, system, health_admin):
        client.force_login(health_admin)
        page = client.post(reverse("health-token-issue", args=[system.pk])).content.decode()
        token = SystemToken.objects.get()
        assert f"{token.prefix}" in page
        assert "cannot be shown again" in page
        client.post(reverse("health-token-revoke", args=[token.pk]))
        token.refresh_from_db()
        assert token.revoked_at is not None
        assert token.revoked_by == health_admin

    def test_another_agencys_system_is_not_found(self, client, system):
        other_admin = ProfessionalFactory(agency=AgencyFactory(type="health"), role=Role.ADMINISTRATOR)
        client.force_login(other_admin)
        assert client.post(reverse("health-token-issue", args=[system.pk])).status_code == 404


class TestUnmatchedQueue:
    def test_the_queue_shows_the_likeliest_child_and_logs_that_view(self, client, area, queued, health_admin):
        client.force_login(health_admin)
        page = client.get(reverse("health-unmatched")).content.decode()
        assert "Ava Morgan" in page
        assert "80% alike" in page
        assert AccessLogEntry.objects.filter(child=area.child, page="health-unmatched").exists()

    def test_confirming_the_candidate_puts_the_waiting_appointment_on_the_chronology(
        self, client, area, queued, health_admin
    ):
        client.force_login(health_admin)
        response = client.post(reverse("health-resolve", args=[queued.pk]), {"decision": "candidate"})
        assert response.status_code == 302
        assert Event.objects.get().child == area.child
        queued.refresh_from_db()
        assert (queued.match, queued.resolved_by) == ("manual", health_admin)

    def test_another_child_by_reference(self, client, area, queued, health_admin):
        client.force_login(health_admin)
        client.post(
            reverse("health-resolve", args=[queued.pk]),
            {"decision": "other", "reference": area.unrelated_child.ref},
        )
        assert Event.objects.get().child == area.unrelated_child

    def test_a_reference_to_no_child_is_an_error_and_changes_nothing(self, client, queued, health_admin):
        client.force_login(health_admin)
        response = client.post(
            reverse("health-resolve", args=[queued.pk]), {"decision": "other", "reference": "demo:nobody"}
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "Enter the reference of a child in Lantern" in page
        assert "There is a problem" in page
        assert "<title>Error:" in page
        queued.refresh_from_db()
        assert queued.match == "unmatched"
        assert not Event.objects.exists()

    def test_no_child_known_to_lantern(self, client, queued, health_admin):
        client.force_login(health_admin)
        client.post(reverse("health-resolve", args=[queued.pk]), {"decision": "none"})
        queued.refresh_from_db()
        assert queued.match == "rejected"
        assert not Event.objects.exists()


class TestReplay:
    def test_a_rejected_message_can_be_replayed_once_its_patient_has_come(
        self, client, area, system, health_admin
    ):
        area.child.nhs_number = "9995260182"
        area.child.save()
        rejected = fhir_bundle_ingest(body=bundle(appointment()), system=system)  # its Patient not sent yet
        assert rejected.message.status == "rejected"
        client.force_login(health_admin)
        assert "Replay" in client.get(reverse("health-feeds")).content.decode()
        fhir_bundle_ingest(body=bundle(patient()), system=system)
        client.post(reverse("health-replay", args=[rejected.message.pk]))
        assert Event.objects.get().child == area.child
        assert "Replay" not in client.get(reverse("health-feeds")).content.decode()


class TestNotificationsPage:
    def test_shows_mine_and_marks_them_read(self, client, area):
        from lantern.health.models import Notification

        event = Event.objects.create(
            source="t",
            source_id="x",
            child=area.child,
            type="attendance",
            occurred_on="2026-10-01",
            recorded_at="2026-10-01T10:00Z",
            setting="emergency-department",
            reason="injury",
        )
        Notification.objects.create(
            recipient=area.involved,
            child=area.child,
            event=event,
            subject="Ava Morgan: emergency department",
            body="Details",
        )
        client.force_login(area.involved)
        page = client.get(reverse("notifications")).content.decode()
        assert "Ava Morgan: emergency department" in page
        assert "New" in page
        assert Notification.objects.get().read_at is not None
        client.force_login(area.teammate)
        assert "Ava Morgan: emergency department" not in client.get(reverse("notifications")).content.decode()
