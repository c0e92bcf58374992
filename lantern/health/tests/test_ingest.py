"""FHIR R4 ingest: what each resource means, idempotency, all-or-nothing transactions, batches, matching."""

import datetime as dt
import json

import pytest
from django.apps import apps
from django.core import mail

from lantern.casework.models import Plan
from lantern.chronology.models import Event
from lantern.health.ingest import fhir_bundle_ingest
from lantern.health.models import FhirPatient, FhirResource, HealthSystem, InboundMessage, Notification
from lantern.health.services import message_replay, patient_match_resolve
from lantern.health.tests.fhir_examples import appointment, bundle, encounter, patient
from lantern.people.tests.factories import HouseholdMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def system(area):
    return HealthSystem.objects.create(
        name="General Hospital PAS", slug="general-hospital", agency=area.school
    )


@pytest.fixture
def child(area):
    area.child.nhs_number = "9995260182"
    area.child.save()
    return area.child


def _ingest(system, body):
    return fhir_bundle_ingest(body=body, system=system)


def _data_tables():
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label in {"chronology", "health", "people"} and m is not InboundMessage
    }


class TestMeaning:
    def test_a_no_show_for_a_child_is_was_not_brought(self, system, child):
        result = _ingest(system, bundle(patient(), appointment()))
        assert result.response["type"] == "transaction-response"
        assert [e["response"]["status"] for e in result.response["entry"]] == ["201 Created", "201 Created"]
        event = Event.objects.get(child=child)
        assert (event.type, event.outcome, event.service, event.agency) == (
            "appointment",
            "was-not-brought",
            "Paediatrics",
            system.agency,
        )
        assert (event.occurred_on, event.occurred_time) == (dt.date(2026, 10, 1), dt.time(9, 30))
        assert event.source_id == "Appointment/a1"

    @pytest.mark.parametrize(
        ("status", "outcome"),
        [("fulfilled", "attended"), ("arrived", "attended"), ("checked-in", "attended")],
    )
    def test_attended(self, system, child, status, outcome):
        _ingest(system, bundle(patient(), appointment(status=status)))
        assert Event.objects.get(child=child).outcome == outcome

    @pytest.mark.parametrize(
        ("code", "outcome"),
        [
            ("pat", "cancelled-by-family"),
            ("pat-fb", "cancelled-by-family"),
            ("prov", "cancelled-by-provider"),
            (None, "cancelled-by-provider"),
        ],
    )
    def test_cancelled_by_whom(self, system, child, code, outcome):
        reason = (
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason",
                        "code": code,
                    }
                ]
            }
            if code
            else None
        )
        extra = {"cancelationReason": reason} if reason else {}
        _ingest(system, bundle(patient(), appointment(status="cancelled", **extra)))
        assert Event.objects.get(child=child).outcome == outcome

    def test_a_booked_appointment_is_kept_but_not_on_the_chronology(self, system, child):
        _ingest(system, bundle(patient(), appointment(status="booked")))
        assert not Event.objects.exists()
        assert FhirResource.objects.get(resource_type="Appointment").state == "no-event"

    def test_an_emergency_encounter_is_an_attendance_with_its_reason(self, system, child):
        _ingest(system, bundle(patient(), encounter()))
        event = Event.objects.get(child=child)
        assert (event.type, event.setting, event.reason) == ("attendance", "emergency-department", "injury")
        assert event.occurred_time == dt.time(21, 40)

    @pytest.mark.parametrize(
        ("code", "reason"), [("72431002", "ingestion"), ("386661006", "illness"), ("999999", "other")]
    )
    def test_reasons_from_snomed(self, system, child, code, reason):
        resource = encounter(reason=code)
        resource["reasonCode"][0].pop("text")
        resource["reasonCode"][0]["coding"][0]["display"] = "Something"
        _ingest(system, bundle(patient(), resource))
        assert Event.objects.get(child=child).reason == reason

    def test_a_minor_injuries_unit_by_service_type(self, system, child):
        resource = encounter(
            **{"class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"}}
        )
        resource["serviceType"] = {
            "coding": [{"system": "http://snomed.info/sct", "code": "1240671000000104"}]
        }
        _ingest(system, bundle(patient(), resource))
        assert Event.objects.get(child=child).setting == "minor-injuries"

    def test_an_outpatient_encounter_is_not_an_attendance(self, system, child):
        resource = encounter(**{"class": {"code": "AMB"}})
        resource.pop("serviceType")
        _ingest(system, bundle(patient(), resource))
        assert not Event.objects.exists()


class TestIdempotency:
    def test_the_same_bundle_three_times_gives_the_same_state(self, system, child):
        body = bundle(patient(), appointment(), encounter())
        _ingest(system, body)
        state = _data_tables()
        events = list(Event.objects.values_list("source_id", "outcome", "is_current"))
        for _ in range(2):
            _ingest(system, body)
        assert _data_tables() == state
        assert list(Event.objects.values_list("source_id", "outcome", "is_current")) == events

    def test_a_newer_version_supersedes_and_keeps_history(self, system, child):
        _ingest(system, bundle(patient(), appointment()))
        _ingest(system, bundle(appointment(status="fulfilled", version="2")))
        old, new = Event.objects.order_by("pk")
        assert (old.outcome, old.is_current) == ("was-not-brought", False)
        assert (new.outcome, new.is_current, new.supersedes) == ("attended", True, old)
        assert FhirResource.objects.filter(resource_type="Appointment").count() == 2

    def test_entered_in_error_withdraws_the_entry(self, system, child):
        _ingest(system, bundle(patient(), appointment()))
        _ingest(system, bundle(appointment(status="entered-in-error", version="2")))
        assert not Event.objects.filter(is_current=True).exists()
        assert Event.objects.count() == 1


class TestInvalid:
    @pytest.mark.parametrize(
        ("resource", "expression"),
        [
            (appointment(status="missed"), "Bundle.entry[1].resource.status"),
            (appointment(participant=[]), "Bundle.entry[1].resource.participant"),
            (appointment(start=42), "Bundle.entry[1].resource.start"),
            (encounter(subject=None), "Bundle.entry[1].resource.subject"),
            (encounter(status="done"), "Bundle.entry[1].resource.status"),
            ({"resourceType": "Observation", "status": "final"}, "Bundle.entry[1].resource.resourceType"),
        ],
    )
    def test_a_bad_entry_rejects_the_transaction_naming_the_element(
        self, system, child, resource, expression
    ):
        before = _data_tables()
        result = _ingest(system, bundle(patient(), resource))
        assert result.http_status == 400
        assert result.response["resourceType"] == "OperationOutcome"
        assert expression in [e for issue in result.response["issue"] for e in issue["expression"]]
        assert _data_tables() == before
        assert result.message.status == "rejected"

    def test_a_patient_without_identifier(self, system, child):
        resource = patient()
        del resource["identifier"]
        result = _ingest(system, bundle(resource, appointment()))
        assert result.response["issue"][0]["expression"] == ["Bundle.entry[0].resource.identifier"]

    def test_a_bad_nhs_number(self, system, child):
        result = _ingest(system, bundle(patient(nhs_number="9995260183"), appointment()))
        assert result.response["issue"][0]["expression"] == ["Bundle.entry[0].resource.identifier[0].value"]
        assert "check digit" in result.response["issue"][0]["diagnostics"]

    @pytest.mark.parametrize(
        ("body", "expression"),
        [
            ("{not json", "Bundle"),
            ('{"resourceType": "Patient"}', "Bundle"),
            ('{"resourceType": "Bundle", "type": "document", "entry": []}', "Bundle.type"),
        ],
    )
    def test_not_a_bundle_we_take(self, system, body, expression):
        result = _ingest(system, body)
        assert result.response["issue"][0]["expression"] == [expression]

    def test_a_batch_writes_the_good_entries_and_reports_the_bad(self, system, child):
        result = _ingest(system, bundle(patient(), appointment(status="missed"), encounter(), kind="batch"))
        statuses = [e["response"]["status"] for e in result.response["entry"]]
        assert statuses == ["201 Created", "400 Bad Request", "201 Created"]
        bad = result.response["entry"][1]["response"]["outcome"]["issue"][0]
        assert bad["expression"] == ["Bundle.entry[1].resource.status"]
        assert Event.objects.get().type == "attendance"
        assert result.message.status == "partly"

    def test_an_appointment_for_a_patient_never_sent_fails_that_entry(self, system, child):
        result = _ingest(system, bundle(appointment(), kind="batch"))
        assert result.response["entry"][0]["response"]["status"] == "400 Bad Request"
        assert "has not been sent" in json.dumps(result.response)


class TestMatching:
    def test_no_nhs_number_but_name_birth_and_postcode_all_agree(self, system, child):
        HouseholdMemberFactory(person=child)
        _ingest(system, bundle(patient(nhs_number=None), appointment()))
        assert FhirPatient.objects.get().match == "demographics"
        assert Event.objects.get().child == child

    def test_anything_uncertain_waits_in_the_queue_and_nothing_is_dropped(self, system, child, area):
        _ingest(system, bundle(patient(nhs_number=None), appointment(), encounter()))  # no postcode on record
        queued = FhirPatient.objects.get()
        assert (queued.match, queued.candidate, str(queued.confidence)) == ("unmatched", child, "0.80")
        assert FhirResource.objects.filter(state="waiting").count() == 2
        assert not Event.objects.exists()
        applied = patient_match_resolve(patient=queued, child=child, resolved_by=area.administrator)
        assert applied == 2
        assert Event.objects.filter(child=child).count() == 2
        # A later message for the same patient goes straight through.
        _ingest(system, bundle(appointment(fhir_id="a2")))
        assert Event.objects.filter(child=child).count() == 3

    def test_an_unknown_nhs_number_is_queued(self, system, child):
        _ingest(system, bundle(patient(nhs_number="9434765919"), appointment()))
        assert FhirPatient.objects.get().match == "unmatched"


class TestNotifications:
    def _on_a_plan(self, child, lead):
        lead.email = "lead@example.org"
        lead.save()
        plan = Plan.objects.create(
            source="t",
            source_id="p1",
            type="child-protection",
            category="neglect",
            started_on=dt.date(2026, 6, 1),
            lead_professional=lead,
        )
        plan.children.add(child)

    def test_the_lead_professional_is_told_at_once_with_recent_attendances(self, system, child, area):
        self._on_a_plan(child, area.involved)
        _ingest(
            system,
            bundle(
                patient(),
                encounter(fhir_id="old", reason="386661006", period={"start": "2026-08-01T10:00:00Z"}),
            ),
        )
        _ingest(system, bundle(appointment()))
        notifications = Notification.objects.filter(recipient=area.involved).order_by("pk")
        assert notifications.count() == 2
        latest = notifications.last()
        assert "was not brought" in latest.subject
        assert "Unscheduled-care attendances in the last 365 days: 1" in latest.body
        assert len(mail.outbox) == 2
        assert mail.outbox[-1].to == ["lead@example.org"]

    def test_no_notification_without_a_plan_or_for_an_attended_appointment(self, system, child, area):
        _ingest(system, bundle(patient(), appointment()))
        assert not Notification.objects.exists()
        self._on_a_plan(child, area.involved)
        _ingest(system, bundle(appointment(fhir_id="a2", status="fulfilled")))
        assert not Notification.objects.exists()

    def test_replaying_does_not_notify_twice(self, system, child, area):
        self._on_a_plan(child, area.involved)
        result = _ingest(system, bundle(patient(), encounter()))
        message_replay(message=result.message)
        assert Notification.objects.count() == 1
        assert len(mail.outbox) == 1
