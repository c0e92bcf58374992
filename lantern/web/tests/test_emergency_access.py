"""Break-glass (ADR 17): a stated reason opens a record for a limited time; managers are told; logged."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from lantern.core.models import AccessLogEntry, EmergencyAccess

pytestmark = pytest.mark.django_db

REASON = {"reason": "risk-to-child", "explanation": "Police called: the child is alone at home tonight"}


def _break_glass(client, area, who, data=REASON):
    client.force_login(who)
    return client.post(reverse("emergency-access-new", args=[area.child.ref]), data)


class TestWhoMayBreakTheGlass:
    @pytest.mark.parametrize("who", ["stranger", "stranger_manager", "other_agency"])
    def test_a_record_user_without_a_relationship_opens_the_record_with_a_reason(self, client, area, who):
        professional = getattr(area, who)
        overview = reverse("child-overview", args=[area.child.ref])
        client.force_login(professional)
        refused = client.get(overview)
        assert refused.status_code == 403
        assert "Open the record in an emergency" in refused.content.decode()
        response = _break_glass(client, area, professional)
        assert response.status_code == 302
        assert response["Location"] == overview
        page = client.get(overview)
        assert page.status_code == 200
        assert area.child.family_name in page.content.decode()
        assert client.get(reverse("chronology", args=[area.child.ref])).status_code == 200

    @pytest.mark.parametrize("who", ["administrator", "auditor"])
    def test_administrators_and_auditors_cannot(self, client, area, who):
        professional = getattr(area, who)
        client.force_login(professional)
        assert (
            "Open the record in an emergency"
            not in client.get(reverse("child-overview", args=[area.child.ref])).content.decode()
        )
        response = _break_glass(client, area, professional)
        assert response.status_code == 403
        assert not EmergencyAccess.objects.exists()
        assert client.get(reverse("child-overview", args=[area.child.ref])).status_code == 403
        assert AccessLogEntry.objects.filter(professional=professional, page="emergency-access",
                                             action="refused").exists()  # fmt: skip

    @pytest.mark.parametrize("who", ["involved", "teammate", "team_manager", "senior_manager"])
    def test_those_with_a_relationship_need_no_glass(self, client, area, who):
        professional = getattr(area, who)
        response = _break_glass(client, area, professional)
        assert response.status_code == 302
        assert not EmergencyAccess.objects.exists()
        assert "Open the record in an emergency" not in client.get(response["Location"]).content.decode()

    def test_an_unknown_child_is_not_found(self, client, area):
        client.force_login(area.stranger)
        assert client.post(reverse("emergency-access-new", args=["test:nobody"]), REASON).status_code == 404

    def test_it_opens_only_that_child(self, client, area):
        _break_glass(client, area, area.stranger)
        assert client.get(reverse("child-overview", args=[area.unrelated_child.ref])).status_code == 403


class TestTheReason:
    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"explanation": REASON["explanation"]}, "Select why you need to open this record"),
            ({"reason": "curiosity", "explanation": REASON["explanation"]}, "Select a valid choice"),
            ({"reason": "consent"}, "Explain why you need to open this record now"),
            ({"reason": "consent", "explanation": "   because   "}, "Explain why in at least 10 characters"),
            ({"reason": "consent", "explanation": "x" * 2001}, "Explain why in 2,000 characters or fewer"),
        ],
    )
    def test_without_a_reason_nothing_opens(self, client, area, data, message):
        response = _break_glass(client, area, area.stranger, data)
        assert response.status_code == 400
        assert message in response.content.decode()
        assert "There is a problem" in response.content.decode()
        assert not EmergencyAccess.objects.exists()
        assert client.get(reverse("child-overview", args=[area.child.ref])).status_code == 403

    @pytest.mark.parametrize("reason", ["risk-to-child", "legal-requirement", "consent"])
    def test_each_reason_is_kept(self, client, area, reason):
        _break_glass(client, area, area.stranger, {**REASON, "reason": reason})
        assert EmergencyAccess.objects.get().reason == reason


class TestItLastsALimitedTime:
    def test_four_hours_by_default_then_known_to_services_again(self, client, area):
        start = timezone.now()
        with time_machine.travel(start, tick=False) as traveller:
            _break_glass(client, area, area.stranger)
            access = EmergencyAccess.objects.get()
            assert access.ends_at - access.started_at == dt.timedelta(hours=4)
            overview = reverse("child-overview", args=[area.child.ref])
            traveller.shift(dt.timedelta(hours=4) - dt.timedelta(seconds=1))
            client.force_login(area.stranger)  # the session itself times out after 30 idle minutes
            assert client.get(overview).status_code == 200
            traveller.shift(dt.timedelta(seconds=1))
            assert client.get(overview).status_code == 403

    def test_the_length_is_configurable(self, client, area, settings):
        settings.LANTERN_EMERGENCY_ACCESS_HOURS = 0.5
        _break_glass(client, area, area.stranger)
        access = EmergencyAccess.objects.get()
        assert access.ends_at - access.started_at == dt.timedelta(minutes=30)


class TestTheAuditLog:
    def test_the_override_and_every_page_opened_under_it_are_marked(self, client, area):
        _break_glass(client, area, area.stranger)
        client.get(reverse("child-overview", args=[area.child.ref]))
        rows = list(AccessLogEntry.objects.filter(professional=area.stranger).order_by("pk"))
        assert [(r.action, r.page) for r in rows][-2:] == [
            ("emergency", "emergency-access"),
            ("emergency", "child-overview"),
        ]
        assert rows[-2].detail == f"Risk to the child: {REASON['explanation']}"
        assert rows[-1].detail == "emergency override: view"
        client.force_login(area.team_manager)
        page = client.get(reverse("child-access-log", args=[area.child.ref])).content.decode()
        assert "Emergency override" in page

    def test_an_involved_professional_with_an_old_grant_is_logged_as_usual(self, client, area):
        now = timezone.now()
        EmergencyAccess.objects.create(
            professional=area.involved, child=area.child, reason="consent", explanation="x" * 10,
            started_at=now, ends_at=now + dt.timedelta(hours=1),
        )  # fmt: skip
        client.force_login(area.involved)
        client.get(reverse("child-overview", args=[area.child.ref]))
        assert AccessLogEntry.objects.get().action == "view"


class TestManagersAreTold:
    def test_the_team_manager_is_emailed_and_sees_it(self, client, area, django_capture_on_commit_callbacks):
        area.team_manager.email = "manager@example.org"
        area.team_manager.save()
        with django_capture_on_commit_callbacks(execute=True):
            _break_glass(client, area, area.stranger)
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["manager@example.org"]
        assert area.stranger.name in mail.outbox[0].subject
        assert REASON["explanation"] in mail.outbox[0].body
        client.force_login(area.team_manager)
        page = client.get(reverse("emergency-access")).content.decode()
        assert area.stranger.name in page
        assert REASON["explanation"] in page

    def test_no_mail_when_the_transaction_fails(self, client, area, django_capture_on_commit_callbacks):
        area.team_manager.email = "manager@example.org"
        area.team_manager.save()
        with django_capture_on_commit_callbacks(execute=True):
            _break_glass(client, area, area.stranger, {"reason": "consent"})
        assert mail.outbox == []

    def test_other_managers_do_not_see_it(self, client, area):
        _break_glass(client, area, area.stranger)
        client.force_login(area.stranger_manager)
        page = client.get(reverse("emergency-access")).content.decode()
        assert "Nobody has opened a record you look after in an emergency" in page

    def test_senior_managers_when_no_team_manager(self, client, area):
        from lantern.core.emergency import record_managers

        area.team_manager.is_active = False
        area.team_manager.save()
        assert record_managers(child=area.child) == [area.senior_manager]

    @pytest.mark.parametrize("who", ["involved", "stranger", "auditor", "administrator"])
    def test_the_list_is_for_managers(self, client, area, who):
        client.force_login(getattr(area, who))
        assert client.get(reverse("emergency-access")).status_code == 403
