"""Reading a child's information sharing: the records, and the exports each is (or is not) recorded by."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lantern.core.models import AccessLogEntry
from lantern.people.models import Person
from lantern.sharing.models import ShareKind, SharingRecord

# An export is accounted for by an export sharing record by the same professional within this time.
EXPORT_RECORDED_WITHIN = dt.timedelta(hours=24)


@dataclass(frozen=True)
class Export:
    entry: AccessLogEntry
    recorded: bool


def exports_of_child(*, child: Person, records: list[SharingRecord], limit: int = 50) -> list[Export]:
    """The chronology exports (from the access log), newest first, each marked as recorded or not."""
    entries = (
        AccessLogEntry.objects.filter(child=child, action=AccessLogEntry.Action.EXPORT)
        .select_related("professional")
        .order_by("-at", "-pk")[:limit]
    )
    shares = [r for r in records if r.kind == ShareKind.EXPORT]
    return [
        Export(
            entry,
            any(
                r.recorded_by_id == entry.professional_id
                and abs(r.recorded_at - entry.at) <= EXPORT_RECORDED_WITHIN
                for r in shares
            ),
        )
        for entry in entries
    ]
