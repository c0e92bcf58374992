"""Opening a child's record in a view: the access check and the access log, in one call."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from lantern.agencies.models import Professional
from lantern.agencies.selectors import child_opened_in_emergency
from lantern.core.audit import access_log_record
from lantern.core.models import AccessLogEntry
from lantern.people.models import Person
from lantern.people.selectors import children_annotated_for
from lantern.web.forms import EmergencyAccessForm


def viewer_of(request: HttpRequest) -> Professional:
    assert isinstance(request.user, Professional)
    return request.user


class RecordRefused(Exception):
    """The viewer has no right to this child's record; the refusal is already logged."""

    def __init__(self, child: Person) -> None:
        super().__init__(f"no access to {child.ref}")
        self.child = child


def child_access(
    request: HttpRequest,
    ref: str,
    *,
    page: str,
    perm: str = "people.view_child",
    action: str = AccessLogEntry.Action.VIEW,
    refusal: str = "no legitimate relationship with the child",
) -> Person:
    """The child named by ``ref``, if the viewer has ``perm`` on it; the access is logged first.

    A refusal is logged and raised as RecordRefused; a reference to no child raises Http404. Access
    through break-glass alone is logged as an emergency override, with what was done as its detail.
    """
    source, _, source_id = ref.partition(":")
    viewer = viewer_of(request)
    child = Person.objects.children().filter(source=source, source_id=source_id).first()
    if child is None:
        raise Http404("No child has that reference")
    if not viewer.has_perm(perm, child):
        access_log_record(
            request=request, page=page, action=AccessLogEntry.Action.REFUSED, child=child, detail=refusal
        )
        # What a refusal shows: whether the viewer may see the child at all, and the lead agency's contact.
        raise RecordRefused(children_annotated_for(viewer=viewer).get(pk=child.pk))
    detail = ""
    if child_opened_in_emergency(viewer=viewer, child_id=child.pk):
        action, detail = AccessLogEntry.Action.EMERGENCY, f"emergency override: {action}"
    access_log_record(request=request, page=page, action=action, child=child, detail=detail)
    return child


def child_opened(
    request: HttpRequest,
    ref: str,
    *,
    page: str,
    perm: str = "people.view_child",
    action: str = AccessLogEntry.Action.VIEW,
    refusal: str = "no legitimate relationship with the child",
    refusal_template: str = "web/known_to_services.html",
) -> Person | HttpResponse:
    """``child_access`` for pages: a refusal is ``refusal_template`` ("known to services"), status 403."""
    try:
        return child_access(request, ref, page=page, perm=perm, action=action, refusal=refusal)
    except RecordRefused as refused:
        return render(request, refusal_template, refused_context(refused.child), status=403)


def refused_context(child: Person, form: EmergencyAccessForm | None = None) -> dict[str, object]:
    """What "known to services" shows: the child, and the break-glass form for those who may use it."""
    return {
        "child": child,
        "form": form or EmergencyAccessForm(),
        "emergency_hours": f"{settings.LANTERN_EMERGENCY_ACCESS_HOURS:g}",
    }
