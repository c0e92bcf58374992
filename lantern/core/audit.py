"""The Auditor: every view of a child's record, refused view and search is written to the access log.

Called explicitly by the views and services that read children's records (not by signals, which bulk
reads and writes slip past), inside the same request and the same database transaction as the read
(ADR 17): the views are atomic, so the page exists only if its log row is written, and a log row exists
only for a page that was produced. Writing a row outside a transaction is a programming error.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from lantern.agencies.models import Professional
from lantern.core.models import AccessLogEntry
from lantern.people.models import Person


class AuditOutsideTransaction(RuntimeError):
    """An access-log row written outside the transaction of the read it records."""


def access_log_record(
    *,
    request: HttpRequest,
    page: str,
    action: str = AccessLogEntry.Action.VIEW,
    child: Person | None = None,
    detail: str = "",
) -> AccessLogEntry:
    assert isinstance(request.user, Professional), "only a signed-in professional reads records"
    if not transaction.get_connection().in_atomic_block:
        raise AuditOutsideTransaction(
            f"the access log row for {page!r} must be written in the transaction of the read it records: "
            "make the view atomic (transaction.atomic)"
        )
    return AccessLogEntry.objects.create(
        professional=request.user,
        child=child,
        action=action,
        page=page,
        path=request.get_full_path()[:512],
        detail=detail[:512],
    )
