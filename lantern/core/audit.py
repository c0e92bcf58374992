"""The Auditor: every view of a child's record, refused view and search is written to the access log.

Called explicitly by the views and services that read children's records (not by signals, which bulk
reads and writes slip past), inside the same request, so that a page is only shown once its log row
is written.
"""

from __future__ import annotations

from django.http import HttpRequest

from lantern.agencies.models import Professional
from lantern.core.models import AccessLogEntry
from lantern.people.models import Person


def access_log_record(
    *,
    request: HttpRequest,
    page: str,
    action: str = AccessLogEntry.Action.VIEW,
    child: Person | None = None,
    detail: str = "",
) -> AccessLogEntry:
    assert isinstance(request.user, Professional), "only a signed-in professional reads records"
    return AccessLogEntry.objects.create(
        professional=request.user,
        child=child,
        action=action,
        page=page,
        path=request.get_full_path()[:512],
        detail=detail[:512],
    )
