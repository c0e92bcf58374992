"""Information sharing records (ADR 17): every share and decision not to share, and who may share
without consent."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from lantern.core.models import AccessLogEntry
from lantern.sharing.models import SharingRecord

pytestmark = pytest.mark.django_db

SHARE = {
    "kind": "disclosure",
    "decision": "shared",
    "what": "Chronology of missed health appointments since March",
    "recipient": "Dr A Example, GP, Oakfield Surgery",
    "purpose": "To inform the GP's assessment of the child's health needs",
    "lawful_basis": "public-task",
    "consent": "given",
    "reasoning": "Necessary for the child's health; only the appointments are shared",
}


def _record(client, area, who, **changes):
    client.force_login(who)
    return client.post(reverse("sharing-new", args=[area.child.ref]), {**SHARE, **changes})


class TestRecording:
    @pytest.mark.parametrize("kind", ["export", "referral", "disclosure"])
    def test_a_share_records_what_with_whom_purpose_basis_and_reasoning(self, client, area, kind):
        response = _record(client, area, area.involved, kind=kind)
        assert response.status_code == 302
        record = SharingRecord.objects.get()
        assert (record.kind, record.decision, record.recorded_by) == (kind, "shared", area.involved)
        assert record.recipient == SHARE["recipient"]
        assert record.reasoning == SHARE["reasoning"]
        page = client.get(reverse("sharing", args=[area.child.ref])).content.decode()
        assert SHARE["recipient"] in page
        assert SHARE["purpose"].replace("'", "&#39;") in page
        assert AccessLogEntry.objects.filter(
            professional=area.involved, page="sharing-new", action="record"
        ).exists()

    def test_a_decision_not_to_share_is_recorded_too(self, client, area):
        assert (
            _record(client, area, area.involved, decision="not-shared", consent="refused").status_code == 302
        )
        page = client.get(reverse("sharing", args=[area.child.ref])).content.decode()
        assert "Not shared" in page

    @pytest.mark.parametrize(
        ("missing", "message"),
        [
            ("what", "Enter what information was shared, or would have been"),
            ("recipient", "Enter who it was shared with, or who asked"),
            ("purpose", "Enter the purpose of sharing"),
            ("lawful_basis", "Select the lawful basis"),
            ("reasoning", "Enter why sharing is, or is not, necessary and proportionate"),
        ],
    )
    def test_each_part_is_required(self, client, area, missing, message):
        response = _record(client, area, area.involved, **{missing: ""})
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not SharingRecord.objects.exists()

    def test_consent_as_the_basis_needs_consent_given(self, client, area):
        response = _record(client, area, area.team_manager, lawful_basis="consent", consent="refused")
        assert response.status_code == 400
        assert not SharingRecord.objects.exists()


class TestSharingWithoutConsent:
    @pytest.mark.parametrize("consent", ["refused", "not-sought-risk", "not-sought-other"])
    def test_a_practitioner_may_not(self, client, area, consent):
        response = _record(client, area, area.involved, consent=consent)
        assert response.status_code == 400
        assert "Sharing without consent needs a manager&#39;s decision" in response.content.decode()
        assert not SharingRecord.objects.exists()

    @pytest.mark.parametrize("who", ["team_manager", "senior_manager"])
    def test_the_childs_managers_may(self, client, area, who):
        assert _record(client, area, getattr(area, who), consent="not-sought-risk").status_code == 302
        record = SharingRecord.objects.get()
        assert record.without_consent
        page = client.get(reverse("sharing", args=[area.child.ref])).content.decode()
        assert "Without consent" in page

    def test_a_practitioner_may_record_a_decision_not_to_share_without_consent(self, client, area):
        assert (
            _record(
                client, area, area.involved, decision="not-shared", consent="not-sought-other"
            ).status_code
            == 302
        )

    def test_a_manager_of_another_team_may_not(self, client, area):
        assert _record(client, area, area.stranger_manager, consent="refused").status_code == 403
        assert not SharingRecord.objects.exists()


class TestWhoSeesAndRecords:
    @pytest.mark.parametrize(
        ("who", "list_status", "record_status"),
        [
            ("involved", 200, 200),
            ("teammate", 200, 200),
            ("team_manager", 200, 200),
            ("senior_manager", 200, 200),
            ("stranger", 403, 403),
            ("stranger_manager", 403, 403),
            ("other_agency", 403, 403),
            ("administrator", 403, 403),
            ("auditor", 200, 403),
        ],
    )
    def test_the_matrix(self, client, area, who, list_status, record_status):
        client.force_login(getattr(area, who))
        assert client.get(reverse("sharing", args=[area.child.ref])).status_code == list_status
        assert client.get(reverse("sharing-new", args=[area.child.ref])).status_code == record_status
        response = client.post(reverse("sharing-new", args=[area.child.ref]), SHARE)
        assert response.status_code == (302 if record_status == 200 else 403)


def test_exports_show_on_the_list_marked_until_recorded(client, area):
    client.force_login(area.involved)
    client.get(reverse("chronology-csv", args=[area.child.ref]))
    page = client.get(reverse("sharing", args=[area.child.ref])).content.decode()
    assert "Nobody has exported" not in page
    assert f"{area.involved.name} (CSV)" in page
    assert "No sharing record" in page
    _record(client, area, area.team_manager, kind="export")  # someone else's record does not count
    assert "No sharing record" in client.get(reverse("sharing", args=[area.child.ref])).content.decode()
    _record(client, area, area.involved, kind="export")
    assert "No sharing record" not in client.get(reverse("sharing", args=[area.child.ref])).content.decode()


def test_sharing_records_cannot_be_changed(client, area):
    _record(client, area, area.involved)
    for sql in (
        "UPDATE sharing_sharingrecord SET recipient = 'someone else'",
        "DELETE FROM sharing_sharingrecord",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert SharingRecord.objects.get().recipient == SHARE["recipient"]
