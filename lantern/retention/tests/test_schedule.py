"""The retention schedule at its boundaries: the day before, on and after a retention end; holds; open
subject access requests; unborn children; adults linked to several children; corrections."""

import datetime as dt

import pytest

from lantern.agencies.tests.factories import ProfessionalFactory
from lantern.people.tests.factories import AdultFactory, RelationshipFactory, RiskFactorFactory
from lantern.retention.models import SubjectAccessRequest
from lantern.retention.schedule import retention_schedule
from lantern.retention.services import legal_hold_lift, legal_hold_place, looked_after_record
from lantern.retention.tests.builders import alert, child_born, event, involvement, protection_plan

pytestmark = pytest.mark.django_db

BORN = dt.date(2000, 6, 15)
AT_25 = dt.date(2025, 6, 15)  # the 25th birthday: the last day the record is kept
AT_26 = dt.date(2026, 6, 15)
AT_75 = dt.date(2075, 6, 15)
DAY = dt.timedelta(days=1)


def _due(as_of, model=None):
    schedule = retention_schedule(as_of=as_of)
    return {(d.model, d.record_id) for d in schedule.due if model is None or d.model == model}


@pytest.fixture
def officer():
    return ProfessionalFactory(role="auditor")


class TestChildSocialCare:
    def test_kept_on_the_25th_birthday_and_due_the_day_after(self):
        child = child_born(BORN)
        observation = event(child, on=dt.date(2010, 3, 1))
        involvement(child)
        assert _due(AT_25 - DAY) == set()
        assert _due(AT_25) == set()
        due = retention_schedule(as_of=AT_25 + DAY)
        assert ("chronology.Event", observation.pk) in {(d.model, d.record_id) for d in due.due}
        assert ("people.Person", child.pk) in {(d.model, d.record_id) for d in due.due}
        assert due.counts() == {"child-social-care": 3}
        person = next(d for d in due.due if d.model == "people.Person")
        assert person.rule == "child-social-care: until the 25th birthday"
        assert person.ended_on == AT_25

    def test_a_child_born_on_29_february_keeps_the_record_until_1_march(self):
        child = child_born(dt.date(2000, 2, 29))
        assert _due(dt.date(2025, 3, 1)) == set()
        assert ("people.Person", child.pk) in _due(dt.date(2025, 3, 2))

    def test_a_younger_child_is_not_read(self):
        child_born(dt.date(2010, 1, 1))
        assert retention_schedule(as_of=AT_25 + DAY).due == []


class TestLongerPeriods:
    def test_a_child_protection_plan_keeps_the_record_until_the_75th_birthday(self):
        child = child_born(BORN)
        plan = protection_plan(child)
        observation = event(child, on=dt.date(2010, 3, 1))
        assert ("chronology.Event", observation.pk) not in _due(AT_25 + DAY)
        assert _due(AT_75) == set()
        due = _due(AT_75 + DAY)
        assert {
            ("chronology.Event", observation.pk),
            ("casework.Plan", plan.pk),
            ("people.Person", child.pk),
        } <= due

    def test_a_looked_after_child_is_kept_until_the_75th_birthday(self, officer):
        child = child_born(BORN)
        looked_after_record(child=child, recorded_by=officer)
        assert _due(AT_75) == set()
        assert ("people.Person", child.pk) in _due(AT_75 + DAY)
        rule = next(d.rule for d in retention_schedule(as_of=AT_75 + DAY).due)
        assert rule == "looked-after-child: until the 75th birthday"

    def test_health_events_made_at_17_are_kept_until_the_26th_birthday_and_keep_the_person(self):
        child = child_born(BORN)
        at_16 = event(child, agency_type="health", on=dt.date(2017, 6, 14))
        at_17 = event(child, agency_type="health", on=dt.date(2017, 6, 15))
        due = _due(AT_25 + DAY)
        assert ("chronology.Event", at_16.pk) in due
        assert ("chronology.Event", at_17.pk) not in due
        assert ("people.Person", child.pk) not in due  # something about the child is still kept
        assert ("chronology.Event", at_17.pk) not in _due(AT_26)
        assert {("chronology.Event", at_17.pk), ("people.Person", child.pk)} <= _due(AT_26 + DAY)

    def test_police_events_and_alerts_have_their_own_types(self):
        child = child_born(BORN)
        event(child, agency_type="police", on=dt.date(2012, 1, 1))
        alert(child)
        counts = retention_schedule(as_of=AT_25 + DAY).counts()
        assert counts == {"alert": 1, "child-social-care": 1, "police-event": 1}


class TestHolds:
    def test_a_legal_hold_keeps_everything_until_lifted(self, officer):
        child = child_born(BORN)
        event(child, on=dt.date(2010, 3, 1))
        hold = legal_hold_place(person=child, record_type="", reason="Claim for damages", placed_by=officer)
        schedule = retention_schedule(as_of=AT_75)
        assert schedule.due == []
        assert [(h.person, h.record_type, h.records) for h in schedule.held] == [
            (child.ref, "child-social-care", 2)
        ]
        assert schedule.held[0].why == "legal hold: Claim for damages"
        legal_hold_lift(hold=hold, reason="Claim settled", lifted_by=officer)
        assert ("people.Person", child.pk) in _due(AT_75)

    def test_a_hold_on_one_record_type_keeps_that_type_and_the_person(self, officer):
        child = child_born(BORN)
        observation = event(child, on=dt.date(2010, 3, 1))
        police = event(child, agency_type="police", on=dt.date(2010, 3, 2))
        legal_hold_place(person=child, record_type="police-event", reason="Inquiry", placed_by=officer)
        due = _due(AT_25 + DAY)
        assert ("chronology.Event", observation.pk) in due
        assert ("chronology.Event", police.pk) not in due
        assert ("people.Person", child.pk) not in due

    def test_an_open_subject_access_request_keeps_everything(self, officer):
        child = child_born(BORN)
        request = SubjectAccessRequest.objects.create(
            person=child, requester_name="A", requester="subject", received_on=AT_25, recorded_by=officer
        )
        assert _due(AT_25 + DAY) == set()
        request.completed_on = AT_25
        request.save()
        assert ("people.Person", child.pk) in _due(AT_25 + DAY)


class TestUnbornChildren:
    def test_counted_from_the_expected_date_of_birth(self):
        unborn = child_born(None, expected_date_of_birth=BORN)
        assert _due(AT_25) == set()
        assert ("people.Person", unborn.pk) in _due(AT_25 + DAY)

    def test_an_unborn_child_due_recently_is_kept(self):
        child_born(None, expected_date_of_birth=dt.date(2026, 12, 1))
        assert _due(dt.date(2026, 12, 2)) == set()


class TestAdults:
    def test_an_adult_goes_only_with_the_last_child_they_are_linked_to(self):
        mother = AdultFactory()
        RiskFactorFactory(person=mother)
        older = child_born(BORN)
        younger = child_born(dt.date(2003, 1, 1))
        RelationshipFactory(from_person=mother, to_person=older)
        RelationshipFactory(from_person=mother, to_person=younger)
        due = _due(AT_25 + DAY)
        assert ("people.Person", older.pk) in due
        assert ("people.Person", mother.pk) not in due
        due = _due(dt.date(2028, 1, 2))
        assert {
            ("people.Person", older.pk),
            ("people.Person", younger.pk),
            ("people.Person", mother.pk),
        } <= due
        assert any(model == "people.RiskFactor" for model, _ in due)

    def test_links_between_adults_do_not_keep_them(self):
        mother, partner = AdultFactory(), AdultFactory()
        child = child_born(BORN)
        RelationshipFactory(from_person=mother, to_person=child)
        RelationshipFactory(from_person=partner, to_person=child, type="parents-partner")
        RelationshipFactory(from_person=partner, to_person=mother, type="other")
        due = _due(AT_25 + DAY, "people.Person")
        assert due == {("people.Person", p.pk) for p in (child, mother, partner)}

    def test_an_adult_owning_an_action_of_a_kept_plan_is_kept(self):
        from lantern.casework.models import PlanAction

        mother = AdultFactory()
        older, younger = child_born(BORN), child_born(dt.date(2010, 1, 1))
        RelationshipFactory(from_person=mother, to_person=older)
        plan = protection_plan(younger)
        PlanAction.objects.create(plan=plan, description="Attend", owner=mother, due_on=dt.date(2010, 6, 1))
        assert ("people.Person", mother.pk) not in _due(AT_25 + DAY)

    def test_a_held_adult_is_kept(self, officer):
        father = AdultFactory()
        child = child_born(BORN)
        RelationshipFactory(from_person=father, to_person=child, type="father")
        legal_hold_place(person=father, record_type="", reason="Family court", placed_by=officer)
        schedule = retention_schedule(as_of=AT_25 + DAY)
        assert ("people.Person", father.pk) not in {(d.model, d.record_id) for d in schedule.due}
        assert [(h.person, h.record_type) for h in schedule.held] == [(father.ref, "adult")]


class TestCorrections:
    def test_a_corrected_event_goes_only_with_its_correction(self):
        child = child_born(BORN)
        original = event(child, agency_type="health", on=dt.date(2017, 6, 14))
        correction = event(child, agency_type="health", on=dt.date(2017, 6, 15), supersedes=original)
        due = _due(AT_25 + DAY)
        assert ("chronology.Event", original.pk) not in due
        assert {("chronology.Event", original.pk), ("chronology.Event", correction.pk)} <= _due(AT_26 + DAY)
