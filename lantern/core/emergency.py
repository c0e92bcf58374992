"""Break-glass (ADR 17): emergency access to a child's record for a stated reason, for a limited time.

The grant is a row of its own (``EmergencyAccess``, append-only), written in one transaction with its
access-log row (action ``emergency``, the reason as detail) and a message to the record's managers: the
team managers of the professionals and teams involved with the child, or, where no team manager is
found, the senior managers of the agencies involved. Each is emailed (through the configured backend) and
sees the access on "Emergency access" and on the child's "Who has viewed this record".
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from lantern.agencies.models import Professional, Role
from lantern.agencies.selectors import involvements_current, involvements_reaching
from lantern.core.audit import access_log_record
from lantern.core.formatting import govuk_datetime
from lantern.core.models import AccessLogEntry, EmergencyAccess
from lantern.people.models import Person


def record_managers(*, child: Person) -> list[Professional]:
    """The managers of the child's record: team managers of the teams involved, else senior managers."""
    current = involvements_current().filter(child=child)
    teams = set(current.exclude(team=None).values_list("team", flat=True))
    teams |= set(current.exclude(professional__team=None).values_list("professional__team", flat=True))
    managers = Professional.objects.filter(is_active=True, role=Role.MANAGER, team__in=teams)
    if not managers.exists():
        agencies = set(current.values_list("agency", flat=True))
        managers = Professional.objects.filter(is_active=True, role=Role.SENIOR_MANAGER, agency__in=agencies)
    return list(managers.order_by("pk"))


@transaction.atomic
def emergency_access_open(
    *, request: HttpRequest, professional: Professional, child: Person, reason: str, explanation: str
) -> EmergencyAccess:
    started = timezone.now()
    access = EmergencyAccess(
        professional=professional,
        child=child,
        reason=reason,
        explanation=explanation,
        started_at=started,
        ends_at=started + dt.timedelta(hours=settings.LANTERN_EMERGENCY_ACCESS_HOURS),
    )
    access.full_clean()
    access.save()
    access_log_record(
        request=request,
        page="emergency-access",
        action=AccessLogEntry.Action.EMERGENCY,
        child=child,
        detail=f"{access.get_reason_display()}: {explanation}",
    )
    subject = f"Emergency access to {child.display_name}'s record ({child.ref}) by {professional.name}"
    body = "\n".join(
        [
            f"{professional.name} ({professional.agency or 'no agency'}) has no involvement with "
            f"{child.display_name} and opened the record in an emergency.",
            "",
            f"Reason: {access.get_reason_display()}",
            f"In their words: {explanation}",
            f"Access lasts until {govuk_datetime(access.ends_at)}.",
            "",
            'Review it in Lantern: Emergency access, and the child\'s "Who has viewed this record".',
        ]
    )
    recipients = [m.email for m in record_managers(child=child) if m.email]
    if recipients:
        # Sent when the transaction commits: no message about access that was never granted.
        transaction.on_commit(
            lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
        )
    return access


def emergency_access_for_manager(*, viewer: Professional) -> QuerySet[EmergencyAccess]:
    """Break-glass access to the children whose records the manager looks after, newest first."""
    children = involvements_reaching(viewer=viewer).values("child")
    return (
        EmergencyAccess.objects.filter(Q(child__in=children))
        .select_related("professional__agency", "child")
        .order_by("-started_at", "-pk")
    )
