"""Reading alerts: worklists (mine, my team's) and what an alert's evidence is."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from lantern.agencies.models import Professional
from lantern.agencies.selectors import involvements_current, involvements_reaching
from lantern.chronology.models import Event
from lantern.people.models import Person
from lantern.screening.models import Alert, AlertStatus

SEVERITY_ORDER = {"urgent": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
WORKLIST_STATUSES = (AlertStatus.RAISED, AlertStatus.ACKNOWLEDGED, AlertStatus.ACTIONED)


def worklist(
    *,
    viewer: Professional,
    team: bool = False,
    rule: str = "",
    severity: str = "",
    include_dismissed: bool = False,
) -> list[Alert]:
    """Alerts for the children the viewer is involved with (or, ``team``, that they can see through their
    team or agency), most severe first."""
    reach = (
        involvements_reaching(viewer=viewer) if team else involvements_current().filter(professional=viewer)
    )
    statuses = (*WORKLIST_STATUSES, AlertStatus.DISMISSED) if include_dismissed else WORKLIST_STATUSES
    alerts = Alert.objects.filter(child_id__in=reach.values("child_id"), status__in=statuses).select_related(
        "child"
    )
    if rule:
        alerts = alerts.filter(rule=rule)
    if severity:
        alerts = alerts.filter(severity=severity)
    return sorted(
        alerts[:1000], key=lambda a: (SEVERITY_ORDER.get(a.severity, 9), -a.updated_at.timestamp(), a.pk)
    )


def alerts_of_child(*, child: Person) -> list[Alert]:
    alerts = Alert.objects.filter(child=child, status__in=(*WORKLIST_STATUSES, AlertStatus.DISMISSED))
    return sorted(
        alerts, key=lambda a: (a.status == AlertStatus.DISMISSED, SEVERITY_ORDER.get(a.severity, 9), a.rule)
    )


@dataclass
class Evidence:
    ref: str
    event: Event | None


def alert_evidence(*, alert: Alert) -> list[Evidence]:
    """The alert's evidence, with the chronology events it names (others are plans, reviews, adults…)."""
    by_source: dict[str, list[str]] = {}
    for ref in alert.evidence:
        source, _, source_id = ref.partition(":")
        by_source.setdefault(source, []).append(source_id)
    events: dict[str, Event] = {}
    for source, ids in by_source.items():
        found = Event.objects.filter(source=source, source_id__in=ids, is_current=True).select_related(
            "agency"
        )
        events.update((e.ref, e) for e in found.prefetch_related("tags"))
    return [Evidence(ref=ref, event=events.get(ref)) for ref in alert.evidence]


def alert_of(*, alert_id: int) -> QuerySet[Alert]:
    return Alert.objects.filter(pk=alert_id).select_related("child")
