"""Reading the access log: who has viewed a child's record, and when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Min, QuerySet
from django.utils import timezone

from lantern.agencies.models import Professional
from lantern.core.models import AccessLogEntry
from lantern.people.models import Person

# What opens a record (a refusal or a search does not).
READS = (
    AccessLogEntry.Action.VIEW,
    AccessLogEntry.Action.RECORD,
    AccessLogEntry.Action.EXPORT,
    AccessLogEntry.Action.EMERGENCY,
)


@dataclass(frozen=True)
class Viewer:
    professional: Professional
    views: int
    first_at: dt.datetime
    last_at: dt.datetime


def day_bounds(since: dt.date | None, until: dt.date | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    """From the start of ``since`` to the end of ``until`` (inclusive), local time."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(since, dt.time(), zone) if since else None
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), zone) if until else None
    return start, end


def access_log_of_child(
    *, child: Person, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> QuerySet[AccessLogEntry]:
    """The child's access log, newest first, between ``since`` (inclusive) and ``until`` (exclusive)."""
    entries = AccessLogEntry.objects.filter(child=child)
    if since is not None:
        entries = entries.filter(at__gte=since)
    if until is not None:
        entries = entries.filter(at__lt=until)
    return entries.select_related("professional__agency").order_by("-at", "-pk")


def child_viewers(
    *, child: Person, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> list[Viewer]:
    """Who opened the child's record between ``since`` and ``until``: each professional once, with how
    often, first and last; the most recent first. Answered from the index ``accesslog_child_at_who``."""
    rows = (
        access_log_of_child(child=child, since=since, until=until)
        .filter(action__in=READS)
        .order_by()
        .values("professional")
        .annotate(views=Count("*"), first_at=Min("at"), last_at=Max("at"))
    )
    found = list(rows)
    people = Professional.objects.select_related("agency").in_bulk([r["professional"] for r in found])
    viewers = [Viewer(people[r["professional"]], r["views"], r["first_at"], r["last_at"]) for r in found]
    return sorted(viewers, key=lambda v: (v.last_at, v.professional.pk), reverse=True)
