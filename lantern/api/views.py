"""Lantern's REST API: read a child's chronology, record an observation. Same access rules as the web
(the same predicates, the same access log); described by OpenAPI at /api/v1/openapi.json."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from ninja import NinjaAPI, Path, Query, Status
from ninja.errors import HttpError, ValidationError
from ninja.security import django_auth

from lantern.api.access import audited, child_opened_for_api
from lantern.api.assessments import router as assessments_router
from lantern.api.schemas import (
    REF,
    REFUSALS,
    ChronologyOut,
    EventOut,
    FieldProblem,
    Invalid,
    IsoDate,
    ObservationIn,
)
from lantern.chronology.models import Event, EventType, Significance, Tag
from lantern.chronology.presenters import EventPresenter
from lantern.chronology.selectors import ChronologyFilter, child_chronology
from lantern.chronology.services import observation_record
from lantern.core.models import AccessLogEntry
from lantern.web.access import viewer_of

api = NinjaAPI(
    title="Lantern API",
    version="1",
    description="A child's multi-agency chronology. Every call is access-checked and logged as the web is.",
    auth=django_auth,
    urls_namespace="api",
    docs_url=None,
)
api.add_router("", assessments_router)


@api.exception_handler(MultiPartParserError)
@api.exception_handler(BadRequest)
def request_unreadable(request: HttpRequest, unreadable: Exception) -> HttpResponse:
    """400 in JSON, as documented, for a body Django cannot read (a form without its boundary…)."""
    return api.create_response(
        request, {"detail": f"The request's body cannot be read: {unreadable}"}, status=400
    )


@api.exception_handler(ValidationError)
def request_invalid(request: HttpRequest, invalid: ValidationError) -> HttpResponse:
    """422 with the documented shape: ``detail`` names every problem in words, ``errors`` one by one."""
    problems = []
    for error in invalid.errors:
        where = [str(part) for part in error.get("loc", ())]
        # ("body", <parameter>, field, …) or ("query", field): the parameter's own name says nothing
        field = ".".join(where[2:] if where[:1] == ["body"] else where[1:]) or "body"
        problems.append(FieldProblem(field=field, problem=str(error.get("msg", "is not valid"))))
    detail = "; ".join(f"{p.field}: {p.problem}" for p in problems) or "The request is not valid"
    return api.create_response(request, Invalid(detail=detail, errors=problems).model_dump(), status=422)


def _event_out(event: Event) -> EventOut:
    return EventOut(
        id=event.ref,
        child=event.child.ref,
        type=event.type,
        occurred_on=event.occurred_on,
        occurred_time=event.occurred_time,
        agency=event.agency.ref if event.agency else None,
        agency_name=event.agency.name if event.agency else None,
        significance=event.significance,
        summary=EventPresenter(event).summary,
        text=event.text,
        outcome=event.outcome,
        tags=[t.tag for t in event.tags.all()],
        recorded_at=event.recorded_at,
        recorded_by=event.recorded_by.ref if event.recorded_by else None,
        current=event.is_current,
        supersedes=event.supersedes.ref if event.supersedes_id and event.supersedes else None,
    )


@api.get(
    "/children/{ref}/chronology",
    response={200: ChronologyOut, **REFUSALS},
    summary="A child's chronology, newest first",
)
@audited
def chronology_read(
    request: HttpRequest,
    ref: str = Path(..., pattern=REF),
    type: list[EventType] = Query([]),  # noqa: B008
    significance: list[Significance] = Query([]),  # noqa: B008
    tag: list[Tag] = Query([]),  # noqa: B008
    date_from: IsoDate | None = None,
    date_to: IsoDate | None = None,
    offset: int = 0,
    limit: int = 100,
) -> ChronologyOut:
    child = child_opened_for_api(
        request, ref, page="api-chronology", perm="people.view_child", action=AccessLogEntry.Action.VIEW
    )
    if not 1 <= limit <= 1000 or offset < 0:
        raise HttpError(422, "limit must be 1 to 1000 and offset 0 or more")
    chosen = ChronologyFilter(types=[str(t) for t in type], significance=[str(s) for s in significance],
                              tags=[str(t) for t in tag], date_from=date_from, date_to=date_to)  # fmt: skip
    events = child_chronology(child=child, chronology_filter=chosen).select_related("supersedes")
    page = list(events[offset : offset + limit])
    return ChronologyOut(
        child=child.ref,
        count=events.count(),
        offset=offset,
        limit=limit,
        events=[_event_out(e) for e in page],
    )


@api.post(
    "/children/{ref}/observations",
    response={201: EventOut, **REFUSALS},
    summary="Record an observation on a child's chronology",
)
@audited
def observation_create(
    request: HttpRequest,
    observation: ObservationIn,
    ref: str = Path(..., pattern=REF),
) -> Status:
    child = child_opened_for_api(
        request, ref, page="api-observation", perm="chronology.add_event", action=AccessLogEntry.Action.RECORD
    )
    if observation.occurred_on > timezone.localdate():
        raise HttpError(422, "occurred_on must be today or in the past")
    event = observation_record(
        child=child,
        recorded_by=viewer_of(request),
        occurred_on=observation.occurred_on,
        occurred_time=observation.occurred_time,
        tags=[str(t) for t in observation.tags],
        text=observation.text,
        significance=str(observation.significance),
    )
    event = Event.objects.select_related("child", "agency", "recorded_by").get(pk=event.pk)
    return Status(201, _event_out(event))
