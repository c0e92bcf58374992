"""The records the permission matrix and the guessed-id tests open: for each of two children, one whom
the area's professionals have a relationship with ("own": Ava) and one nobody among them has ("other":
Noah), a plan with an action, a meeting, a draft assessment, a case, an escalation, an alert, a sharing
record, a subject access request and a legal hold; health feeds of two hospitals; two teams."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from lantern.agencies.models import Professional, Role
from lantern.agencies.tests.factories import AgencyFactory, InvolvementFactory, ProfessionalFactory
from lantern.assessments.models import Assessment
from lantern.assessments.selectors import template_current
from lantern.assessments.services import assessment_start
from lantern.cases.episodes import case_open
from lantern.cases.escalations import escalation_raise
from lantern.cases.models import CaseEpisode, Escalation
from lantern.casework.models import Meeting, Plan, PlanAction
from lantern.casework.tests.factories import MeetingFactory, PlanFactory
from lantern.health.ingest import fhir_bundle_ingest
from lantern.health.models import FhirPatient, HealthSystem, InboundMessage, SystemToken
from lantern.health.services import system_token_issue
from lantern.health.tests.fhir_examples import appointment, bundle, patient
from lantern.people.models import Person
from lantern.retention.models import DataProtectionOfficer, LegalHold, SubjectAccessRequest
from lantern.retention.tests.builders import alert as alert_raised
from lantern.screening.models import Alert

# Each role in each relation to the child Ava ("own"); none of them has a relationship with Noah ("other").
WHO = [
    "involved",  # practitioner, own agency, allocated to the child
    "teammate",  # practitioner, own agency, the allocated worker's team
    "team_manager",  # manager of that team
    "senior_manager",  # senior manager of the agency involved
    "stranger",  # practitioner, own agency, another team: not involved
    "stranger_manager",  # manager of another team of the agency
    "other_agency",  # practitioner of an agency that is not involved
    "other_agency_manager",  # senior manager of an agency that is not involved
    "administrator",
    "health_administrator",  # administrator of a health agency (runs its feeds)
    "auditor",
    "data_protection_officer",  # a practitioner appointed to the office
]
TARGETS = ("own", "other")


@dataclass
class Records:
    child: Person
    plan: Plan
    action: PlanAction
    meeting: Meeting
    assessment: Assessment
    episode: CaseEpisode
    escalation: Escalation
    alert: Alert
    sar: SubjectAccessRequest
    hold: LegalHold
    system: HealthSystem
    token: SystemToken
    message: InboundMessage
    unmatched: FhirPatient
    team_id: int


@dataclass
class World:
    area: object
    professionals: dict[str, Professional]
    records: dict[str, Records] = field(default_factory=dict)

    def who(self, name: str) -> Professional:
        return self.professionals[name]


def world_build(area) -> World:  # type: ignore[no-untyped-def]
    police = AgencyFactory(name="Police", type="police")
    hospital = AgencyFactory(name="General Hospital", type="health")
    other_hospital = AgencyFactory(name="County Hospital", type="health")
    dpo = ProfessionalFactory(agency=area.social_care, team=area.other_team, name="Priya Shah")
    DataProtectionOfficer.objects.create(professional=dpo, appointed_by=area.administrator)
    professionals = {
        **{name: getattr(area, name) for name in WHO if hasattr(area, name)},
        "other_agency": area.other_agency,
        "other_agency_manager": ProfessionalFactory(agency=police, role=Role.SENIOR_MANAGER),
        "health_administrator": ProfessionalFactory(agency=hospital, role=Role.ADMINISTRATOR),
        "data_protection_officer": dpo,
    }
    # Noah's school: a worker and a manager with a relationship with him (none of the WHO above).
    school_team = area.school.teams.first() or _team(area.school)
    school_worker = ProfessionalFactory(agency=area.school, team=school_team)
    school_manager = ProfessionalFactory(agency=area.school, team=school_team, role=Role.MANAGER)
    school_senior = ProfessionalFactory(agency=area.school, role=Role.SENIOR_MANAGER)
    InvolvementFactory(
        child=area.unrelated_child, agency=area.school, team=school_team, professional=school_worker
    )
    world = World(area=area, professionals=professionals)
    for target, child, worker, managers, system_agency, team_id in [
        ("own", area.child, area.involved, (area.team_manager, area.senior_manager), hospital, area.team.pk),
        (
            "other",
            area.unrelated_child,
            school_worker,
            (school_manager, school_senior),
            other_hospital,
            area.other_team.pk,
        ),
    ]:
        world.records[target] = _records(child, worker, managers, system_agency, team_id, dpo)
    return world


def _team(agency):  # type: ignore[no-untyped-def]
    from lantern.agencies.tests.factories import TeamFactory

    return TeamFactory(agency=agency, name=f"{agency.name} team")


def _records(child, worker, managers, hospital, team_id, dpo) -> Records:  # type: ignore[no-untyped-def]
    manager, senior = managers
    hospital_admin = ProfessionalFactory(agency=hospital, role=Role.ADMINISTRATOR)
    today = timezone.localdate()
    plan = PlanFactory()
    plan.children.add(child)
    action = PlanAction.objects.create(
        plan=plan, description="Dental check", owner_professional=worker, due_on=dt.date(2026, 2, 1)
    )
    meeting = MeetingFactory(child=child)
    template = template_current("home-conditions")
    assert template is not None
    (assessment,) = assessment_start(template=template, children=[child], assessor=worker, started_on=today)
    episode = case_open(child=child, by=manager, worker=worker, team=None, role="", reason="Referral")
    escalation = escalation_raise(
        child=child,
        by=worker,
        kind="stuck-case",
        subject="case-drift",
        concern="Stuck",
        owner=senior,
        due_on=today + dt.timedelta(days=5),
    )
    system = HealthSystem.objects.create(
        name=f"{hospital.name} PAS", slug=hospital.name.lower().replace(" ", "-"), agency=hospital
    )
    system_token_issue(system=system, issued_by=hospital_admin)
    fhir_bundle_ingest(body=bundle(patient(nhs_number=None), appointment()), system=system)
    return Records(
        child=child,
        plan=plan,
        action=action,
        meeting=meeting,
        assessment=assessment,
        episode=episode,
        escalation=escalation,
        alert=alert_raised(child),
        sar=SubjectAccessRequest.objects.create(
            person=child,
            requester_name="Kim Morgan",
            requester="parent",
            received_on=today,
            identity_verified_on=today,
            identity_evidence="Passport seen",
            recorded_by=dpo,
        ),
        hold=LegalHold.objects.create(person=child, reason="Civil claim", placed_by=dpo),
        system=system,
        token=SystemToken.objects.filter(system=system).latest("pk"),
        message=InboundMessage.objects.filter(system=system).latest("pk"),
        unmatched=FhirPatient.objects.filter(system_slug=system.slug).latest("pk"),
        team_id=team_id,
    )
