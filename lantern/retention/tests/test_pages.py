"""The data protection officer's pages: the permission matrix, audit, the deadline, holds, exports."""

import datetime as dt
import json

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from lantern.agencies.models import Role
from lantern.agencies.tests.factories import ProfessionalFactory
from lantern.agencies.tests.test_permissions import WHO
from lantern.core.models import AccessLogEntry
from lantern.retention.models import DataProtectionOfficer, LegalHold, LookedAfterChild, SubjectAccessRequest
from lantern.retention.selectors import subject_access_requests

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def officer(area):
    professional = ProfessionalFactory(agency=area.social_care, role=Role.AUDITOR, name="Priya Shah")
    DataProtectionOfficer.objects.create(professional=professional, appointed_by=area.administrator)
    return professional


@pytest.fixture
def sar(area, officer):
    return SubjectAccessRequest.objects.create(
        person=area.child,
        requester_name="Kim Morgan",
        requester="parent",
        received_on=dt.date(2026, 11, 3),
        identity_verified_on=dt.date(2026, 11, 3),
        identity_evidence="Passport seen",
        recorded_by=officer,
    )


@pytest.fixture
def hold(area, officer):
    return LegalHold.objects.create(person=area.child, reason="Civil claim", placed_by=officer)


def _date(prefix, day):
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


def _requests(area, sar, hold):
    """(name, method, url, data, the officer's status)."""
    ref = area.child.ref
    answered = _date("completed_on", dt.date(2026, 11, 20))
    return [
        ("list", "get", reverse("subject-access"), None, 200),
        ("new", "get", reverse("subject-access-new"), None, 200),
        ("request", "get", reverse("subject-access-request", args=[sar.pk]), None, 200),
        ("json", "get", reverse("subject-access-export", args=[sar.pk, "json"]), None, 200),
        ("pdf", "get", reverse("subject-access-export", args=[sar.pk, "pdf"]), None, 200),
        ("person", "get", reverse("retention-person", args=[ref]), None, 200),
        (
            "verify",
            "post",
            reverse("subject-access-change", args=[sar.pk, "verify"]),
            {**_date("verified_on", dt.date(2026, 11, 4)), "evidence": "Passport"},
            400,  # already verified
        ),
        (
            "extend",
            "post",
            reverse("subject-access-change", args=[sar.pk, "extend"]),
            {"months": "1", "reason": "Many records"},
            302,
        ),
        ("complete", "post", reverse("subject-access-change", args=[sar.pk, "complete"]), answered, 302),
        ("hold", "post", reverse("legal-hold-place", args=[ref]), {"reason": "Inquiry"}, 302),
        ("lift", "post", reverse("legal-hold-lift", args=[hold.pk]), {"lifted_reason": "Settled"}, 302),
        ("looked-after", "post", reverse("looked-after-record", args=[ref]), {}, 302),
    ]


class TestPermissionMatrix:
    @time_machine.travel(TODAY, tick=False)
    @pytest.mark.parametrize("who", [*WHO, "officer", "officer_made_administrator"])
    def test_only_the_officer_gets_in_and_every_refusal_is_logged(
        self, client, area, officer, sar, hold, who
    ):
        if who == "officer":
            professional = officer
        elif who == "officer_made_administrator":
            # An officer whose account becomes an administrator's loses the office's access (ADR 3).
            officer.role = Role.ADMINISTRATOR
            officer.save()
            professional = officer
        else:
            professional = getattr(area, who)
        client.force_login(professional)
        for name, method, url, data, officer_status in _requests(area, sar, hold):
            before = AccessLogEntry.objects.filter(action="refused").count()
            response = getattr(client, method)(url, data)
            expected = officer_status if who == "officer" else 403
            assert response.status_code == expected, f"{who} on {name}"
            refused = AccessLogEntry.objects.filter(action="refused").count() - before
            assert refused == (0 if who == "officer" else 1), f"{who} on {name}"
        if who != "officer":
            assert not LegalHold.objects.filter(reason="Inquiry").exists()
            assert not LookedAfterChild.objects.exists()
            assert SubjectAccessRequest.objects.get().completed_on is None

    def test_signed_out_visitors_are_sent_to_sign_in(self, client, area, sar, hold):
        for name, method, url, data, _ in _requests(area, sar, hold):
            response = getattr(client, method)(url, data)
            assert response.status_code == 302, name
            assert response["Location"].startswith(reverse("sign-in")), name

    def test_an_administrator_appoints_but_cannot_hold_the_office(self, area):
        office = DataProtectionOfficer(professional=area.administrator, appointed_by=area.administrator)
        with pytest.raises(ValidationError, match="An administrator cannot be the data protection officer"):
            office.full_clean()
        assert area.administrator.has_perm("retention.add_dataprotectionofficer")
        assert not area.auditor.has_perm("retention.add_dataprotectionofficer")

    def test_the_officer_is_appointed_in_the_administration_pages(self, client, area):
        client.force_login(area.administrator)
        response = client.post(
            "/admin/retention/dataprotectionofficer/add/", {"professional": area.auditor.pk}
        )
        assert response.status_code == 302
        office = DataProtectionOfficer.objects.get()
        assert (office.professional, office.appointed_by) == (area.auditor, area.administrator)
        assert area.auditor.has_perm("retention.manage_subject_access")

    def test_the_navigation_shows_the_pages_to_the_officer_only(self, client, area, officer):
        client.force_login(officer)
        assert 'href="/subject-access/"' in client.get(reverse("my-children")).content.decode()
        client.force_login(area.auditor)
        assert 'href="/subject-access/"' not in client.get(reverse("my-children")).content.decode()


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.mark.usefixtures("frozen")
class TestRequests:
    def test_recording_a_request_is_logged_against_the_person(self, client, area, officer):
        client.force_login(officer)
        data = {
            "reference": area.child.ref,
            "requester_name": "Kim Morgan",
            "requester": "parent",
            **_date("received_on", dt.date(2026, 11, 20)),
        }
        response = client.post(reverse("subject-access-new"), data)
        sar = SubjectAccessRequest.objects.get()
        assert response["Location"] == reverse("subject-access-request", args=[sar.pk])
        assert sar.due_on is None  # identity not verified: the month has not started
        entry = AccessLogEntry.objects.get(action="record")
        assert (entry.child, entry.page) == (area.child, "subject-access-new")
        page = client.get(response["Location"]).content.decode()
        assert "Not verified yet: the month has not started" in page

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"reference": "test:nobody"}, "No person in Lantern has this reference"),
            ({"requester_name": ""}, "Enter the name of who asked"),
            ({"received_on-day": ""}, "The date must include a day"),
            (_date("received_on", dt.date(2026, 11, 27)), "The date received must be today or in the past"),
            (
                {**_date("identity_verified_on", dt.date(2026, 11, 21)), "identity_evidence": ""},
                "Say how the requester&#39;s identity was verified",
            ),
            (
                {**_date("identity_verified_on", dt.date(2026, 11, 19)), "identity_evidence": "Passport"},
                "Identity is verified on or after the request came",
            ),
        ],
    )
    def test_a_wrong_request_is_explained_and_nothing_is_recorded(
        self, client, area, officer, change, message
    ):
        client.force_login(officer)
        data = {
            "reference": area.child.ref,
            "requester_name": "Kim Morgan",
            "requester": "parent",
            **_date("received_on", dt.date(2026, 11, 20)),
            **change,
        }
        response = client.post(reverse("subject-access-new"), data)
        assert response.status_code == 400
        page = response.content.decode()
        assert "There is a problem" in page
        assert message in page
        assert not SubjectAccessRequest.objects.exists()

    def test_the_month_runs_from_verification_to_the_same_date_next_month(self, sar):
        assert sar.due_on == dt.date(2026, 12, 3)
        sar.identity_verified_on = dt.date(2027, 1, 31)
        assert sar.due_on == dt.date(2027, 2, 28)

    def test_extensions_two_months_at_most_with_a_reason_within_the_first_month(self, client, officer, sar):
        client.force_login(officer)
        url = reverse("subject-access-change", args=[sar.pk, "extend"])
        response = client.post(url, {"months": "1", "reason": ""})
        assert response.status_code == 400
        assert "Enter why the request needs more time" in response.content.decode()
        assert client.post(url, {"months": "1", "reason": "Records from five agencies"}).status_code == 302
        response = client.post(url, {"months": "2", "reason": "More"})
        assert "A request can be extended by two further months at most" in response.content.decode()
        sar.refresh_from_db()
        assert (sar.extension_months, sar.due_on) == (1, dt.date(2027, 1, 3))
        assert "Records from five agencies" in sar.extension_reason

    def test_too_late_to_extend_after_the_first_month(self, client, officer, sar):
        client.force_login(officer)
        url = reverse("subject-access-change", args=[sar.pk, "extend"])
        with time_machine.travel(dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC), tick=False):
            client.force_login(officer)
            assert client.post(url, {"months": "2", "reason": "Complex"}).status_code == 302
        sar.refresh_from_db()
        sar.extension_months, sar.extension_reason = 0, ""
        sar.save()
        with time_machine.travel(dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC), tick=False):
            client.force_login(officer)  # a day later: the session has timed out
            response = client.post(url, {"months": "1", "reason": "Complex"})
        assert response.status_code == 400
        assert "The first month ended on 03/12/2026: it is too late to extend" in response.content.decode()

    def test_the_list_shows_the_nearest_deadline_first_and_logs_each_person(self, client, area, officer, sar):
        later = SubjectAccessRequest.objects.create(
            person=area.unrelated_child, requester_name="Noah", requester="subject",
            received_on=dt.date(2026, 11, 20), identity_verified_on=dt.date(2026, 11, 20),
            identity_evidence="Seen", recorded_by=officer,
        )  # fmt: skip
        overdue = SubjectAccessRequest.objects.create(
            person=area.unrelated_child, requester_name="Noah", requester="subject",
            received_on=dt.date(2026, 10, 1), identity_verified_on=dt.date(2026, 10, 1),
            identity_evidence="Seen", recorded_by=officer,
        )  # fmt: skip
        waiting = SubjectAccessRequest.objects.create(
            person=area.child, requester_name="X", requester="subject", received_on=dt.date(2026, 11, 25),
            recorded_by=officer,
        )  # fmt: skip
        listed = subject_access_requests(today=dt.date(2026, 11, 26))
        assert [d.request for d in listed] == [overdue, sar, later, waiting]
        assert [d.status for d in listed] == ["Overdue", "Due soon", "Open", "Waiting for identity"]
        assert listed[0].days_left == -25  # due on 1 November
        client.force_login(officer)
        page = client.get(reverse("subject-access")).content.decode()
        assert "25 days overdue" in page
        assert AccessLogEntry.objects.filter(page="subject-access-requests", action="view").count() == 4

    def test_answering_closes_the_request(self, client, officer, sar):
        client.force_login(officer)
        url = reverse("subject-access-change", args=[sar.pk, "complete"])
        response = client.post(url, _date("completed_on", dt.date(2026, 11, 2)))
        assert response.status_code == 400
        assert "The date answered is between the date received and today" in response.content.decode()
        client.post(url, _date("completed_on", dt.date(2026, 11, 25)))
        sar.refresh_from_db()
        assert sar.completed_on == dt.date(2026, 11, 25)


@pytest.mark.usefixtures("frozen")
class TestHoldsPage:
    def test_place_and_lift_with_reasons_logged(self, client, area, officer):
        client.force_login(officer)
        url = reverse("legal-hold-place", args=[area.child.ref])
        response = client.post(url, {"record_type": "police-event", "reason": ""})
        assert response.status_code == 400
        assert "Enter why the records must be kept" in response.content.decode()
        client.post(url, {"record_type": "police-event", "reason": "Serious case review"})
        hold = LegalHold.objects.get()
        assert (hold.record_type, hold.placed_by, hold.lifted_at) == ("police-event", officer, None)
        lift = reverse("legal-hold-lift", args=[hold.pk])
        response = client.post(lift, {"lifted_reason": ""})
        assert response.status_code == 400
        assert "Enter why the hold can be lifted" in response.content.decode()
        client.post(lift, {"lifted_reason": "Review published"})
        hold.refresh_from_db()
        assert (hold.lifted_by, hold.lifted_reason) == (officer, "Review published")
        assert hold.lifted_at is not None
        response = client.post(lift, {"lifted_reason": "Again"})
        assert "This hold was already lifted" in response.content.decode()
        details = list(AccessLogEntry.objects.filter(action="record").values_list("detail", flat=True))
        assert details == [f"legal hold {hold.pk} placed", f"legal hold {hold.pk} lifted"]

    def test_an_unknown_record_type_is_refused(self, client, area, officer):
        client.force_login(officer)
        response = client.post(
            reverse("legal-hold-place", args=[area.child.ref]), {"record_type": "access-log", "reason": "x"}
        )
        assert response.status_code == 400
        assert not LegalHold.objects.exists()

    def test_a_reference_to_nobody_is_not_found(self, client, officer):
        client.force_login(officer)
        assert client.get(reverse("retention-person", args=["test:nobody"])).status_code == 404


class TestExports:
    def test_an_unknown_format_or_change_is_not_found(self, client, officer, sar):
        client.force_login(officer)
        assert client.get(f"/subject-access/{sar.pk}/export.xml").status_code == 404
        assert client.post(f"/subject-access/{sar.pk}/delete/").status_code == 404

    def test_the_json_export_is_logged_as_an_export(self, client, area, officer, sar):
        client.force_login(officer)
        response = client.get(reverse("subject-access-export", args=[sar.pk, "json"]))
        assert response["Content-Disposition"].startswith('attachment; filename="subject-access-')
        export = json.loads(response.content)
        assert export["subject"]["reference"] == area.child.ref
        entry = AccessLogEntry.objects.get(action="export")
        assert (entry.child, entry.page) == (area.child, "subject-access-export-json")

    def test_the_pdf_export(self, client, officer, sar):
        client.force_login(officer)
        response = client.get(reverse("subject-access-export", args=[sar.pk, "pdf"]))
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
