"""Who may see which child: the one place where a legitimate relationship is worked out.

A professional sees a child's record when they, or their team, are currently involved with the child;
a senior manager also sees every child their agency is involved with. Administrators and auditors have
no relationship with children by their role. Everyone else sees only "known to services" — or, for a
stated reason, breaks the glass: emergency access for a few hours (ADR 17), a relationship of its own kind.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from lantern.agencies.models import Involvement, Professional, Role
from lantern.core.models import EmergencyAccess
from lantern.core.request_memo import remembered

RECORD_ROLES = {Role.PRACTITIONER, Role.MANAGER, Role.SENIOR_MANAGER}


def involvements_current() -> QuerySet[Involvement]:
    today = timezone.localdate()
    return Involvement.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today), started_on__lte=today
    )


def involvements_reaching(*, viewer: Professional) -> QuerySet[Involvement]:
    """The current involvements that give ``viewer`` a legitimate relationship with their child."""
    if not viewer.is_active or viewer.role not in RECORD_ROLES:
        return Involvement.objects.none()
    reach = Q(professional=viewer)
    if viewer.team_id is not None:
        reach |= Q(team_id=viewer.team_id) | Q(professional__team_id=viewer.team_id)
    if viewer.role == Role.SENIOR_MANAGER and viewer.agency_id is not None:
        reach |= Q(agency_id=viewer.agency_id)
    return involvements_current().filter(reach)


def emergency_access_current(*, viewer: Professional) -> QuerySet[EmergencyAccess]:
    """The viewer's break-glass access that has not yet run out (for record roles only)."""
    if not viewer.is_active or viewer.role not in RECORD_ROLES:
        return EmergencyAccess.objects.none()
    now = timezone.now()
    return EmergencyAccess.objects.filter(professional=viewer, started_at__lte=now, ends_at__gt=now)


def child_visible_annotation(*, viewer: Professional) -> Q:
    """An expression, true for each child row the viewer may see; for lists and search."""
    return Exists(involvements_reaching(viewer=viewer).filter(child_id=OuterRef("pk"))) | Exists(
        emergency_access_current(viewer=viewer).filter(child_id=OuterRef("pk"))
    )


@dataclass(frozen=True)
class ChildRelationship:
    """How a professional reaches a child's record, if at all."""

    involved: bool  # a current involvement: their own, their team's, or their agency's (senior managers)
    emergency: bool  # break-glass access that has not yet run out


def child_relationship(*, viewer: Professional, child_id: int) -> ChildRelationship:
    """Worked out once a request (``request_memo``): a child's page asks it for every permission."""
    key = ("child-relationship", viewer.pk, viewer.is_active, viewer.role, viewer.team_id, viewer.agency_id,
           child_id)  # fmt: skip
    return remembered(
        key,
        lambda: ChildRelationship(
            involved=involvements_reaching(viewer=viewer).filter(child_id=child_id).exists(),
            emergency=emergency_access_current(viewer=viewer).filter(child_id=child_id).exists(),
        ),
    )


def child_is_visible(*, viewer: Professional, child_id: int) -> bool:
    relationship = child_relationship(viewer=viewer, child_id=child_id)
    return relationship.involved or relationship.emergency


def child_opened_in_emergency(*, viewer: Professional, child_id: int) -> bool:
    """True when the viewer sees the child only through break-glass (not through an involvement)."""
    relationship = child_relationship(viewer=viewer, child_id=child_id)
    return relationship.emergency and not relationship.involved
