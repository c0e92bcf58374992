"""Reads for the data protection officer's pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lantern.retention.models import SubjectAccessRequest


@dataclass(frozen=True)
class RequestDeadline:
    """A request and where it stands against its deadline on ``today``."""

    request: SubjectAccessRequest
    today: dt.date

    @property
    def days_left(self) -> int | None:
        due = self.request.due_on
        return None if due is None else (due - self.today).days

    @property
    def can_extend(self) -> bool:
        """Open, started, not yet extended by two months, and still in its first month."""
        first = self.request.first_due_on
        return (
            self.request.is_open
            and first is not None
            and self.request.extension_months < 2
            and self.today <= first
        )

    @property
    def status(self) -> str:
        if not self.request.is_open:
            return "Answered"
        if self.request.due_on is None:
            return "Waiting for identity"
        days = self.days_left
        assert days is not None
        if days < 0:
            return "Overdue"
        if days <= 7:
            return "Due soon"
        return "Open"


def subject_access_requests(*, today: dt.date, answered_since_days: int = 90) -> list[RequestDeadline]:
    """Open requests, the nearest deadline first (those waiting for identity last), then the answered
    ones of the last ``answered_since_days`` days."""
    recent = today - dt.timedelta(days=answered_since_days)
    requests = SubjectAccessRequest.objects.filter(
        completed_on__isnull=True
    ) | SubjectAccessRequest.objects.filter(completed_on__gte=recent)
    found = [RequestDeadline(r, today) for r in requests.select_related("person", "recorded_by")]
    return sorted(
        found,
        key=lambda d: (
            not d.request.is_open,
            d.request.due_on is None,
            d.request.due_on or dt.date.max,
            d.request.pk,
        ),
    )
