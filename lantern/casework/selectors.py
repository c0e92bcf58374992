"""Reading plans and meetings: a child's plans, who can own an action, the quality check of a saved plan."""

from __future__ import annotations

from django.db.models import F, Prefetch, QuerySet
from django.http import Http404

from lantern.agencies.models import Agency, Professional
from lantern.agencies.selectors import child_visible_annotation, involvements_current
from lantern.casework.models import Meeting, Plan, PlanAction, PlanReview
from lantern.casework.quality import ActionText, OutcomeText, QualityReport, plan_quality
from lantern.casework.timescales import HeldMeeting, Timescale, conference_timescales
from lantern.people.models import Person, Relationship, RelationshipType

PLAN_PARTS = (
    "children",
    "outcomes",
    Prefetch("actions", PlanAction.objects.select_related("owner", "owner_professional")),
    "agreements",
    Prefetch("reviews", PlanReview.objects.prefetch_related("outcome_progress").order_by("-held_on", "-pk")),
)


def plans_of_child(*, child: Person) -> QuerySet[Plan]:
    """The child's plans, open ones first, newest first, with everything in them."""
    return (
        child.plans.select_related("lead_professional", "lead_agency")
        .prefetch_related(*PLAN_PARTS)
        .order_by(F("ended_on").desc(nulls_first=True), "-started_on", "-pk")
    )


def plan_of_child(*, child: Person, ref: str) -> Plan:
    """One of the child's plans by its reference; a plan that is not the child's is not found."""
    source, _, source_id = ref.partition(":")
    plan = plans_of_child(child=child).filter(source=source, source_id=source_id).first()
    if plan is None:
        raise Http404("The child has no plan with that reference")
    return plan


def meeting_of_child(*, child: Person, ref: str) -> Meeting:
    source, _, source_id = ref.partition(":")
    meeting = meetings_of_child(child=child).filter(source=source, source_id=source_id).first()
    if meeting is None:
        raise Http404("The child has no meeting with that reference")
    return meeting


def meetings_of_child(*, child: Person) -> QuerySet[Meeting]:
    return child.meetings.prefetch_related("invited_agencies", "attended_agencies", "actions").order_by(
        "-held_on", "-pk"
    )


def timescales_of_child(*, child: Person) -> list[Timescale]:
    return conference_timescales(
        [HeldMeeting(kind, held_on) for kind, held_on in child.meetings.values_list("kind", "held_on")]
    )


PARENT_TYPES = [
    RelationshipType.MOTHER,
    RelationshipType.FATHER,
    RelationshipType.STEP_PARENT,
    RelationshipType.PARENTS_PARTNER,
    RelationshipType.CARER,
    RelationshipType.GRANDPARENT,
]


def professionals_involved(*, children: list[Person]) -> list[Professional]:
    """The professionals currently involved with any of the children, by name."""
    ids = involvements_current().filter(child__in=children, professional__isnull=False)
    return list(
        Professional.objects.filter(pk__in=ids.values("professional_id"))
        .select_related("agency")
        .order_by("name", "pk")
    )


def agencies_involved(*, children: list[Person]) -> list[Agency]:
    ids = involvements_current().filter(child__in=children).values("agency_id")
    return list(Agency.objects.filter(pk__in=ids).order_by("name"))


def parents_and_carers(*, children: list[Person]) -> list[Person]:
    """The adults who look after the children: parents, step-parents, parents' partners, carers."""
    linked = Relationship.objects.filter(type__in=PARENT_TYPES)
    ids = set(linked.filter(to_person__in=children).values_list("from_person_id", flat=True))
    return list(Person.objects.adults().filter(pk__in=ids).order_by("family_name", "given_name", "pk"))


def action_owner_choices(*, children: list[Person]) -> list[tuple[str, str]]:
    """Who may own an action: ``professional:<pk>`` or ``person:<pk>``, each with a label saying who."""
    professionals = [
        (f"professional:{p.pk}", f"{p.name}, {p.agency.name}" if p.agency else p.name)
        for p in professionals_involved(children=children)
    ]
    family = [(f"person:{p.pk}", f"{p.display_name} (family)") for p in parents_and_carers(children=children)]
    return professionals + family


def owner_of(value: str) -> Person | Professional | None:
    kind, _, pk = value.partition(":")
    if not pk.isdigit():
        return None
    if kind == "professional":
        return Professional.objects.filter(pk=int(pk)).first()
    if kind == "person":
        return Person.objects.adults().filter(pk=int(pk)).first()
    return None


def owner_value(action: PlanAction) -> str:
    if action.owner_professional_id:
        return f"professional:{action.owner_professional_id}"
    return f"person:{action.owner_id}" if action.owner_id else ""


def plan_quality_of(plan: Plan) -> QualityReport:
    """The quality check of a saved plan (its parts prefetched as in PLAN_PARTS)."""
    return plan_quality(
        outcomes=[OutcomeText(o.description, o.measure) for o in plan.outcomes.all()],
        actions=[
            ActionText(a.description, bool(a.owner_id or a.owner_professional_id), a.due_on is not None)
            for a in plan.actions.all()
        ],
        agreements=[a.description for a in plan.agreements.all()],
    )


def plans_for_quality_audit(*, viewer: Professional) -> QuerySet[Plan]:
    """Open plans of the children the viewer may see, newest first, for the plan quality audit."""
    visible = Person.objects.filter(child_visible_annotation(viewer=viewer))
    return (
        Plan.objects.filter(ended_on__isnull=True, children__in=visible)
        .distinct()
        .select_related("lead_professional", "lead_agency")
        .prefetch_related(*PLAN_PARTS)
        .order_by("-started_on", "-pk")
    )
