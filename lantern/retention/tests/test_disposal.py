"""Disposal: everything due goes in one transaction, the person record becomes a tombstone, the log keeps
no personal data, the access log is reported and untouched; and ``lantern retention`` itself."""

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.management import call_command

from lantern.agencies.models import Involvement
from lantern.agencies.tests.factories import ProfessionalFactory
from lantern.casework.models import Plan
from lantern.chronology.models import Event, EventTag
from lantern.core.models import AccessLogEntry
from lantern.people.models import Address, Household, HouseholdMember, Person, Relationship
from lantern.people.tests.factories import AdultFactory, HouseholdMemberFactory, RelationshipFactory
from lantern.retention import disposal
from lantern.retention.models import DisposalEntry, DisposalRun
from lantern.retention.schedule import DISPOSED
from lantern.retention.services import legal_hold_place
from lantern.retention.tests.builders import alert, child_born, event, involvement, protection_plan
from lantern.screening.models import Alert, AlertHistory

pytestmark = pytest.mark.django_db

BORN = dt.date(2000, 6, 15)
AFTER_25 = dt.date(2025, 6, 16)


@pytest.fixture
def family():
    """Two brothers (Jack older, Leo younger) with their mother; Jack's record is due, Leo's is not."""
    jack = child_born(BORN, given_name="Jack", family_name="Hartley", nhs_number="9434765919")
    leo = child_born(dt.date(2004, 1, 1), given_name="Leo", family_name="Hartley")
    mother = AdultFactory(given_name="Dawn", family_name="Hartley")
    RelationshipFactory(from_person=mother, to_person=jack)
    RelationshipFactory(from_person=mother, to_person=leo)
    RelationshipFactory(from_person=jack, to_person=leo, type="sibling")
    home = HouseholdMemberFactory(person=jack).household
    original = event(jack, on=dt.date(2010, 3, 1))
    event(jack, on=dt.date(2010, 3, 1), supersedes=original)
    event(jack, agency_type="health", on=dt.date(2012, 1, 1))
    involvement(jack)
    alert(jack)
    protection = protection_plan(leo)
    viewer = ProfessionalFactory()
    AccessLogEntry.objects.create(professional=viewer, child=jack, action="view", page="child-overview")
    return {"jack": jack, "leo": leo, "mother": mother, "home": home, "plan": protection}


class TestDisposal:
    def test_what_is_due_goes_and_the_person_record_becomes_a_tombstone(self, family):
        jack = family["jack"]
        run, _schedule = disposal.retention_dispose(as_of=AFTER_25, run_by="records")
        assert not Event.objects.filter(child=jack).exists()
        assert not EventTag.objects.filter(event__child=jack).exists()
        assert not Alert.objects.filter(child=jack).exists()
        assert not AlertHistory.objects.exists()
        assert not Involvement.objects.filter(child=jack).exists()
        assert not HouseholdMember.objects.filter(person=jack).exists()
        assert not Household.objects.filter(pk=family["home"].pk).exists()
        assert not Address.objects.filter(pk=family["home"].address_id).exists()
        tombstone = Person.objects.get(pk=jack.pk)
        assert (tombstone.source, tombstone.source_id) == (DISPOSED, str(jack.pk))
        assert (tombstone.given_name, tombstone.family_name, tombstone.nhs_number) == ("", "", None)
        assert tombstone.date_of_birth == dt.date(2000, 1, 1)
        # The access log is kept (ADR 0018) and still points at the tombstone.
        assert AccessLogEntry.objects.filter(child=jack).count() == 1
        # The younger brother and the mother stay; so do their links, to each other.
        assert Person.objects.get(pk=family["leo"].pk).given_name == "Leo"
        assert Person.objects.get(pk=family["mother"].pk).given_name == "Dawn"
        assert Relationship.objects.filter(to_person=family["leo"]).count() == 2
        assert Plan.objects.filter(pk=family["plan"].pk).exists()
        assert run.counts == {"alert": 1, "child-social-care": 5, "health-event": 1}

    def test_the_disposal_log_says_what_and_under_which_rule_never_who(self, family):
        run, schedule = disposal.retention_dispose(as_of=AFTER_25, run_by="records")
        entries = list(
            DisposalEntry.objects.filter(run=run).values("record_type", "model", "record_id", "rule")
        )
        assert len(entries) == len(schedule.due) == 7
        assert {"record_type": "child-social-care", "model": "people.Person", "record_id": family["jack"].pk,
                "rule": "child-social-care: until the 25th birthday"} in entries  # fmt: skip
        logged = json.dumps(entries) + json.dumps(DisposalRun.objects.get().configuration)
        for personal in ("Jack", "Hartley", "9434765919", "2000-06-15", family["jack"].ref):
            assert personal not in logged
        assert DisposalRun.objects.get().run_by == "records"

    def test_the_last_child_going_takes_the_mother_with_him(self, family):
        disposal.retention_dispose(as_of=AFTER_25, run_by="records")
        disposal.retention_dispose(as_of=dt.date(2079, 1, 2), run_by="records")
        assert Person.objects.get(pk=family["leo"].pk).source == DISPOSED
        assert Person.objects.get(pk=family["mother"].pk).source == DISPOSED
        assert not Plan.objects.filter(pk=family["plan"].pk).exists()
        assert not Relationship.objects.exists()

    def test_all_or_nothing(self, family, monkeypatch):
        def failing(ids):
            raise RuntimeError("disk full")

        monkeypatch.setattr(disposal, "_people_tombstone", failing)
        with pytest.raises(RuntimeError):
            disposal.retention_dispose(as_of=AFTER_25, run_by="records")
        assert Event.objects.filter(child=family["jack"]).count() == 3
        assert Alert.objects.filter(child=family["jack"]).exists()
        assert not DisposalRun.objects.exists()

    def test_a_legal_hold_keeps_the_records_through_a_disposal(self, family):
        legal_hold_place(
            person=family["jack"], record_type="", reason="Civil claim", placed_by=ProfessionalFactory()
        )
        run, _ = disposal.retention_dispose(as_of=AFTER_25, run_by="records")
        assert run.counts == {}
        assert Event.objects.filter(child=family["jack"]).count() == 3


class TestCommand:
    def _run(self, *args):
        out, err = io.StringIO(), io.StringIO()
        call_command("retention", *args, "--no-progress", stdout=out, stderr=err)
        return out.getvalue()

    def test_a_dry_run_lists_counts_and_changes_nothing(self, family):
        text = " ".join(self._run("--dry-run", "--as-of", AFTER_25.isoformat()).split())
        assert "Due for disposal as at 16/06/2025 (defaults):" in text
        assert "child-social-care 5 until the 25th birthday" in text
        assert "health-event 1 until the 25th birthday (26th if made when the child was 17 or over)" in text
        assert "Access log: 0 row(s) past their period (6 years after the record's date)" in text
        assert Event.objects.filter(child=family["jack"]).count() == 3
        assert not DisposalRun.objects.exists()

    def test_json_has_every_record_and_why(self, family):
        report = json.loads(self._run("--dry-run", "--as-of", AFTER_25.isoformat(), "--format", "json"))
        assert report["counts"] == {"alert": 1, "child-social-care": 5, "health-event": 1}
        person = next(r for r in report["records"] if r["model"] == "people.Person")
        assert person == {
            "record_type": "child-social-care",
            "model": "people.Person",
            "id": family["jack"].pk,
            "person": family["jack"].ref,
            "retention_ended_on": "2025-06-15",
            "rule": "child-social-care: until the 25th birthday",
        }
        assert report["disposal_run"] is None
        assert report["access_log_disposed"] == 0

    def test_without_dry_run_it_disposes_and_names_the_log(self, family):
        text = self._run("--as-of", AFTER_25.isoformat())
        run = DisposalRun.objects.get()
        assert f"Disposal log: run {run.pk}." in text
        assert "Disposed of as at 16/06/2025" in text
        assert Person.objects.get(pk=family["jack"].pk).source == DISPOSED

    def test_access_log_rows_due_are_reported_not_disposed(self, family):
        viewer = AccessLogEntry.objects.get().professional  # rows are append-only: add an old one
        with time_machine.travel(dt.datetime(2015, 1, 1, tzinfo=dt.UTC), tick=False):
            AccessLogEntry.objects.create(
                professional=viewer, child=family["jack"], action="view", page="child-overview"
            )
        report = json.loads(self._run("--as-of", "2026-01-01", "--format", "json"))
        assert report["access_log_due"] == 1
        assert AccessLogEntry.objects.count() == 2

    def test_holds_are_shown(self, family):
        legal_hold_place(
            person=family["jack"], record_type="alert", reason="Complaint", placed_by=ProfessionalFactory()
        )
        text = self._run("--dry-run", "--as-of", AFTER_25.isoformat())
        assert f"Kept: 1 alert record(s) of {family['jack'].ref}: legal hold: Complaint" in text
