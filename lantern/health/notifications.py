"""Health notifications, as CP-IS does nationally: an unscheduled-care attendance or a was-not-brought
for a child on a plan reaches the lead professional at once, in Lantern and by email."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q

from lantern.agencies.models import Professional
from lantern.agencies.selectors import involvements_current
from lantern.casework.models import Plan
from lantern.chronology.models import Event, EventType
from lantern.chronology.presenters import EventPresenter
from lantern.core.formatting import govuk_date
from lantern.health.models import Notification

RECENT_DAYS = 365


def _notifiable(event: Event) -> bool:
    return event.type == EventType.ATTENDANCE or (
        event.type == EventType.APPOINTMENT and event.outcome == "was-not-brought"
    )


def lead_professionals_on_plan(*, child_id: int, on: dt.date) -> list[Professional]:
    """Lead professionals of the child's open plans (or, failing that, the child's lead professional)."""
    plans = Plan.objects.filter(children=child_id, started_on__lte=on).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=on)
    )
    if not plans.exists():
        return []
    leads = {p.lead_professional for p in plans.select_related("lead_professional") if p.lead_professional}
    if not leads:
        lead = involvements_current().filter(child_id=child_id, lead=True, professional__isnull=False).first()
        if lead is not None and lead.professional is not None:
            leads = {lead.professional}
    return sorted((p for p in leads if p.is_active), key=lambda p: p.pk)


def children_on_plans(child_ids: set[int]) -> set[int]:
    """Which of these children are on a plan (any, open now or ended): the only ones to look at closely."""
    through = Plan.children.through.objects.filter(person_id__in=child_ids)
    return set(through.values_list("person_id", flat=True))


def health_event_notify(*, event: Event) -> list[Notification]:
    if not _notifiable(event):
        return []
    recipients = lead_professionals_on_plan(child_id=event.child_id, on=event.occurred_on)
    if not recipients:
        return []
    child = event.child
    since = event.occurred_on - dt.timedelta(days=RECENT_DAYS)
    attendances = (
        Event.objects.filter(
            child_id=event.child_id, type=EventType.ATTENDANCE, is_current=True, occurred_on__gte=since
        )
        .select_related("agency")
        .order_by("-occurred_on")
    )
    what = EventPresenter(event).summary
    subject = (
        f"{child.display_name} ({child.ref}), on a plan: {what.lower()} on {govuk_date(event.occurred_on)}"
    )
    lines = [
        f"{EventPresenter(a).when}: {EventPresenter(a).summary} ({EventPresenter(a).agency})"
        for a in attendances
    ]
    body = "\n".join(
        [
            f"{what} for {child.display_name} on {govuk_date(event.occurred_on)}.",
            "",
            f"Unscheduled-care attendances in the last {RECENT_DAYS} days: {len(lines)}",
            *[f"- {line}" for line in lines],
            "",
            "Open the child's chronology in Lantern to see the whole picture.",
        ]
    )
    sent = []
    for recipient in recipients:
        notification, created = Notification.objects.get_or_create(
            recipient=recipient,
            event=event,
            defaults={"child": child, "subject": subject[:200], "body": body},
        )
        if created:
            sent.append(notification)
            if recipient.email:
                send_mail(
                    subject[:200], body, settings.DEFAULT_FROM_EMAIL, [recipient.email], fail_silently=False
                )
    return sent
