"""POST /fhir/Bundle: per-system tokens an administrator issues and revokes."""

import pytest

from lantern.chronology.models import Event
from lantern.health.models import HealthSystem, SystemToken, TokenRefusal
from lantern.health.services import system_for_token, system_token_issue, system_token_revoke
from lantern.health.tests.fhir_examples import appointment, bundle, patient

pytestmark = pytest.mark.django_db


@pytest.fixture
def system(area):
    area.child.nhs_number = "9995260182"
    area.child.save()
    return HealthSystem.objects.create(
        name="General Hospital PAS", slug="general-hospital", agency=area.school
    )


def _post(client, body, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post("/fhir/Bundle", body, content_type="application/fhir+json", headers=headers)


class TestTokens:
    def test_only_the_digest_is_kept(self, system, area):
        token = system_token_issue(system=system, issued_by=area.administrator)
        stored = SystemToken.objects.get()
        assert token not in (stored.digest, stored.prefix)
        assert stored.digest == SystemToken.digest_of(token)
        assert system_for_token(token) == system

    def test_a_revoked_token_is_refused_and_logged(self, client, system, area):
        token = system_token_issue(system=system, issued_by=area.administrator)
        system_token_revoke(token=SystemToken.objects.get(), revoked_by=area.administrator)
        response = _post(client, bundle(patient(), appointment()), token)
        assert response.status_code == 401
        assert response["Content-Type"] == "application/fhir+json"
        assert response.json()["resourceType"] == "OperationOutcome"
        refusal = TokenRefusal.objects.get()
        assert (refusal.reason, refusal.token_prefix) == ("unknown or revoked token", token[:10])
        assert not Event.objects.exists()

    def test_no_token_or_a_made_up_one(self, client, system):
        assert _post(client, bundle(patient())).status_code == 401
        assert _post(client, bundle(patient()), "lnt_made_up").status_code == 401
        assert list(TokenRefusal.objects.values_list("reason", flat=True).order_by("pk")) == [
            "no bearer token",
            "unknown or revoked token",
        ]

    def test_a_disabled_system_is_refused(self, client, system, area):
        token = system_token_issue(system=system, issued_by=area.administrator)
        system.is_active = False
        system.save()
        assert _post(client, bundle(patient()), token).status_code == 401


class TestEndpoint:
    def test_a_transaction_gets_a_transaction_response(self, client, system, area):
        token = system_token_issue(system=system, issued_by=area.administrator)
        response = _post(client, bundle(patient(), appointment()), token)
        assert response.status_code == 200
        body = response.json()
        assert body["type"] == "transaction-response"
        assert body["entry"][1]["response"] == {
            "status": "201 Created",
            "location": "Appointment/a1/_history/1",
        }
        assert Event.objects.get().outcome == "was-not-brought"
        assert SystemToken.objects.get().last_used_at is not None

    def test_a_bad_transaction_gets_an_operation_outcome(self, client, system, area):
        token = system_token_issue(system=system, issued_by=area.administrator)
        response = _post(client, bundle(patient(), appointment(status="missed")), token)
        assert response.status_code == 400
        assert response.json()["issue"][0]["expression"] == ["Bundle.entry[1].resource.status"]

    def test_only_post(self, client, system):
        assert client.get("/fhir/Bundle").status_code == 405


class TestCommandLine:
    def test_lantern_import_tells_a_fhir_bundle_by_its_content(self, tmp_path, system, capsys):
        from django.core.management import call_command

        path = tmp_path / "feed.json"
        path.write_text(bundle(patient(), appointment()))
        call_command("import", str(path), "--no-progress")
        assert "FHIR transaction, 2 entries" in capsys.readouterr().out
        assert Event.objects.get().outcome == "was-not-brought"

    def test_a_refused_fhir_bundle_exits_non_zero(self, tmp_path, system, capsys):
        from django.core.management import call_command
        from django.core.management.base import CommandError

        path = tmp_path / "feed.json"
        path.write_text(bundle(patient(), appointment(status="missed")))
        with pytest.raises(CommandError):
            call_command("import", str(path), "--no-progress")
        assert "Bundle.entry[1].resource.status" in capsys.readouterr().err
