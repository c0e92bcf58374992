"""Reading the health feeds: each system's status, the unmatched queue, a professional's notifications."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet

from lantern.agencies.models import Professional
from lantern.health.models import FhirPatient, FhirResource, HealthSystem, InboundMessage, Notification


@dataclass
class FeedStatus:
    system: HealthSystem
    last_received: object
    processed: int
    partly: int
    rejected: int
    resources: int
    waiting: int
    failed_messages: list[InboundMessage]


def feeds_of(*, viewer: Professional) -> list[FeedStatus]:
    systems = (
        HealthSystem.objects.filter(agency=viewer.agency)
        .annotate(
            last_received=Max("messages__received_at"),
            processed=Count("messages", filter=Q(messages__status=InboundMessage.Status.PROCESSED)),
            partly=Count("messages", filter=Q(messages__status=InboundMessage.Status.PARTLY)),
            rejected=Count("messages", filter=Q(messages__status=InboundMessage.Status.REJECTED)),
        )
        .prefetch_related("tokens")
        .order_by("name")
    )
    slugs = [s.slug for s in systems]
    resources = dict(
        FhirResource.objects.filter(system_slug__in=slugs).values_list("system_slug").annotate(n=Count("id"))
    )
    waiting = dict(
        FhirResource.objects.filter(system_slug__in=slugs, state=FhirResource.State.WAITING)
        .values_list("system_slug")
        .annotate(n=Count("id"))
    )
    failed = list(
        InboundMessage.objects.filter(system__in=systems)
        .exclude(status=InboundMessage.Status.PROCESSED)
        .filter(replays__isnull=True)
        .order_by("-received_at")[:50]
    )
    return [
        FeedStatus(
            system=s,
            last_received=s.last_received,
            processed=s.processed,
            partly=s.partly,
            rejected=s.rejected,
            resources=resources.get(s.slug, 0),
            waiting=waiting.get(s.slug, 0),
            failed_messages=[m for m in failed if m.system_id == s.pk],
        )
        for s in systems
    ]


def unmatched_queue(*, viewer: Professional) -> QuerySet[FhirPatient]:
    slugs = HealthSystem.objects.filter(agency=viewer.agency).values("slug")
    return (
        FhirPatient.objects.filter(match=FhirPatient.Match.UNMATCHED, system_slug__in=slugs)
        .select_related("candidate")
        .annotate(waiting=Count("resources", filter=Q(resources__state=FhirResource.State.WAITING)))
        .order_by("pk")
    )


def notifications_of(*, viewer: Professional) -> QuerySet[Notification]:
    return (
        Notification.objects.filter(recipient=viewer).select_related("child", "event").order_by("-created_at")
    )
