"""The REST API keeps the web's rules: same access, same log, clear errors."""

import json

import pytest

from lantern.chronology.models import Event
from lantern.core.models import AccessLogEntry

pytestmark = pytest.mark.django_db


def _observation(area, **changes):
    body = {
        "occurred_on": "2026-11-01",
        "occurred_time": "09:30",
        "tags": ["hygiene"],
        "text": "Unwashed, same clothes all week.",
        "significance": "significant",
    }
    body.update(changes)
    return body


@pytest.fixture
def recorded(area):
    return Event.objects.create(
        source="t",
        source_id="e1",
        child=area.child,
        agency=area.school,
        type="appointment",
        outcome="was-not-brought",
        occurred_on="2026-10-01",
        recorded_at="2026-10-01T10:00Z",
    )


class TestChronology:
    def test_reads_the_chronology_and_logs_it(self, client, area, recorded):
        client.force_login(area.involved)
        response = client.get(f"/api/v1/children/{area.child.ref}/chronology")
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 1
        (event,) = body["events"]
        assert (event["id"], event["type"], event["outcome"], event["summary"]) == (
            "t:e1",
            "appointment",
            "was-not-brought",
            "Appointment: was not brought",
        )
        assert AccessLogEntry.objects.filter(page="api-chronology", action="view", child=area.child).exists()

    def test_filters_and_pages(self, client, area, recorded):
        client.force_login(area.involved)
        response = client.get(f"/api/v1/children/{area.child.ref}/chronology?type=observation&limit=5")
        assert response.json()["count"] == 0
        response = client.get(f"/api/v1/children/{area.child.ref}/chronology?limit=0")
        assert response.status_code == 422

    def test_no_relationship_is_refused_and_logged(self, client, area, recorded):
        client.force_login(area.stranger)
        response = client.get(f"/api/v1/children/{area.child.ref}/chronology")
        assert response.status_code == 403
        assert "known to services" in response.json()["detail"]
        assert AccessLogEntry.objects.filter(page="api-chronology", action="refused").exists()

    def test_unknown_child_is_not_found(self, client, area):
        client.force_login(area.involved)
        assert client.get("/api/v1/children/test:nobody/chronology").status_code == 404

    def test_signed_out_is_401_not_a_redirect(self, client, area):
        assert client.get(f"/api/v1/children/{area.child.ref}/chronology").status_code == 401


class TestObservation:
    def test_records_an_observation(self, client, area):
        client.force_login(area.involved)
        response = client.post(
            f"/api/v1/children/{area.child.ref}/observations",
            json.dumps(_observation(area)),
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["type"], body["tags"], body["significance"], body["recorded_by"]) == (
            "observation",
            ["hygiene"],
            "significant",
            area.involved.ref,
        )
        assert Event.objects.get(child=area.child).text == "Unwashed, same clothes all week."
        assert AccessLogEntry.objects.filter(page="api-observation", action="record").exists()

    @pytest.mark.parametrize(
        "changes",
        [
            {"tags": []},
            {"tags": ["sad"]},
            {"text": ""},
            {"occurred_on": "2999-01-01"},
            {"occurred_on": "01/11/2026"},
            {"significance": "urgent"},
        ],
    )
    def test_bad_input_is_refused_and_records_nothing(self, client, area, changes):
        client.force_login(area.involved)
        response = client.post(
            f"/api/v1/children/{area.child.ref}/observations",
            json.dumps(_observation(area, **changes)),
            content_type="application/json",
        )
        assert response.status_code == 422
        assert not Event.objects.exists()

    def test_no_relationship_records_nothing(self, client, area):
        client.force_login(area.other_agency)
        response = client.post(
            f"/api/v1/children/{area.child.ref}/observations",
            json.dumps(_observation(area)),
            content_type="application/json",
        )
        assert response.status_code == 403
        assert not Event.objects.exists()

    def test_csrf_is_enforced_for_session_sign_in(self, area):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(area.involved)
        response = client.post(
            f"/api/v1/children/{area.child.ref}/observations",
            json.dumps(_observation(area)),
            content_type="application/json",
        )
        assert response.status_code == 403
        assert not Event.objects.exists()


def test_the_openapi_description_names_both_operations(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert set(schema["paths"]) == {
        "/api/v1/children/{ref}/chronology",
        "/api/v1/children/{ref}/observations",
    }
