"""The subject access export: every kind of record that points at a person is exported or left out with
a reason; other people are flagged for redaction review, not removed."""

import datetime as dt

import pytest
from django.utils import timezone

from lantern.agencies.tests.factories import AgencyFactory, InvolvementFactory, ProfessionalFactory
from lantern.assessments.models import Assessment, AssessmentScore
from lantern.casework.models import PlanAction
from lantern.chronology.models import Event
from lantern.people.tests.factories import AdultFactory, HouseholdMemberFactory, RelationshipFactory
from lantern.retention.models import SubjectAccessRequest
from lantern.retention.subject_access import (
    COVERED,
    EXCLUDED,
    EXCLUDED_PARTS,
    FREE_TEXT_REVIEW,
    PARTS,
    parts_links,
    person_links,
    subject_access_export,
)
from lantern.retention.tests.builders import alert, child_born, protection_plan

pytestmark = pytest.mark.django_db


class TestEverythingIsCovered:
    def test_every_link_to_a_person_is_exported_or_left_out_with_a_reason(self):
        missing = [link for link in person_links() if link not in COVERED and link not in EXCLUDED]
        assert missing == [], f"add these to COVERED or EXCLUDED in subject_access.py: {missing}"
        assert all(reason.strip() for reason in EXCLUDED.values())

    def test_no_stale_entries(self):
        assert set(COVERED) | set(EXCLUDED) == set(person_links())

    def test_records_that_belong_to_an_exported_record_come_with_it(self):
        missing = [
            link
            for link, target, relation in parts_links()
            if relation not in PARTS.get(target, []) and link not in EXCLUDED_PARTS
        ]
        assert missing == [], f"add these to PARTS or EXCLUDED_PARTS in subject_access.py: {missing}"


@pytest.fixture
def family(area):
    """Ava (the area's child), her mother Dawn, her brother Leo and a police officer's observation."""
    ava = area.child
    dawn = AdultFactory(given_name="Dawn", family_name="Morgan")
    leo = child_born(dt.date(2021, 5, 1), given_name="Leo", family_name="Morgan")
    RelationshipFactory(from_person=dawn, to_person=ava)
    RelationshipFactory(from_person=leo, to_person=ava, type="sibling")
    household = HouseholdMemberFactory(person=ava).household
    HouseholdMemberFactory(person=dawn, household=household, main_home=True)
    police = AgencyFactory(name="Testshire Police", type="police")
    officer = ProfessionalFactory(name="PC Jones", agency=police)
    Event.objects.create(
        source="test", source_id="e1", child=ava, agency=police, type="observation",
        occurred_on=dt.date(2026, 10, 1), recorded_at=timezone.now(), recorded_by=officer,
        text="Leo answered the door; Dawn was asleep.",
    )  # fmt: skip
    Event.objects.create(
        source="test", source_id="e2", child=ava, agency=area.social_care, type="observation",
        occurred_on=dt.date(2026, 10, 2), recorded_at=timezone.now(), recorded_by=area.involved,
        text="Ava was happy at school.",
    )  # fmt: skip
    assessment = Assessment.objects.create(
        source="test", source_id="a1", child=ava, agency=area.social_care, template="graded-care",
        completed_on=dt.date(2026, 9, 1),
    )  # fmt: skip
    AssessmentScore.objects.create(assessment=assessment, area="nutrition", score=3)
    plan = protection_plan(ava, leo)
    PlanAction.objects.create(
        plan=plan, description="Attend dentist", owner=dawn, due_on=dt.date(2026, 12, 1)
    )
    alert(ava)
    InvolvementFactory(child=ava, agency=police, professional=officer)
    return {"ava": ava, "dawn": dawn, "leo": leo, "officer": officer}


def _export(area, family, prepared_by):
    request = SubjectAccessRequest.objects.create(
        person=family["ava"], requester_name="Dawn Morgan", requester="parent",
        received_on=dt.date(2026, 11, 1), recorded_by=prepared_by,
    )  # fmt: skip
    return subject_access_export(request=request, prepared_by=prepared_by).as_json()


def _section(export, title):
    return next(s for s in export["sections"] if s["title"] == title)


class TestExport:
    def test_every_kind_of_record_is_there(self, area, family):
        export = _export(area, family, area.auditor)
        counts = {s["title"]: len(s["records"]) for s in export["sections"]}
        assert counts["The person"] == 1
        assert counts["Chronology"] == 2
        assert counts["Relationships"] == 2
        assert counts["Households"] == 2  # Ava's membership, and Dawn's at the same address
        assert counts["Assessments"] == 1
        assert counts["Plans"] == 1
        assert counts["Alerts"] == 1
        assert counts["Subject access requests"] == 1
        assessment = _section(export, "Assessments")["records"][0]
        assert assessment["parts"]["scores"][0]["fields"]["score"] == 3
        plan = _section(export, "Plans")["records"][0]
        assert plan["parts"]["actions"][0]["fields"]["description"] == "Attend dentist"
        assert _section(export, "Alerts")["records"][0]["parts"]["history"][0]["fields"]["status"] == "raised"
        assert export["left_out"] == EXCLUDED

    def test_other_people_are_flagged_not_removed(self, area, family):
        export = _export(area, family, area.auditor)
        relationships = _section(export, "Relationships")["records"]
        assert {r["fields"]["from_person"] for r in relationships} == {"Dawn Morgan", "Leo Morgan"}
        assert all(any("names another person" in f for f in r["third_party"]) for r in relationships)
        police_event, school_event = _section(export, "Chronology")["records"]
        assert police_event["fields"]["text"] == "Leo answered the door; Dawn was asleep."
        assert "text mentions Dawn, Leo" in police_event["third_party"]
        assert (
            "recorded_by names a professional of another agency: PC Jones (Testshire Police)"
            in (police_event["third_party"])
        )
        # A professional of the officer's own agency is not flagged; free text is still marked to be read.
        assert school_event["third_party"] == [f"text: {FREE_TEXT_REVIEW}"]
        plan = _section(export, "Plans")["records"][0]
        assert "children names another person: Leo Morgan" in plan["third_party"]
        assert "owner names another person: Dawn Morgan" in plan["parts"]["actions"][0]["third_party"]
        assert export["flagged_for_redaction_review"] >= 6

    def test_the_person_themselves_is_not_flagged(self, area, family):
        export = _export(area, family, area.auditor)
        person = _section(export, "The person")["records"][0]
        assert person["fields"]["given_name"] == "Ava"
        assert person["third_party"] == []
        households = _section(export, "Households")["records"]
        assert households[0]["fields"]["person"] == "the person"
        assert households[0]["third_party"] == []
        assert households[1]["third_party"] == ["person names another person: Dawn Morgan"]
