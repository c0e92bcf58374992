"""The API's shapes (OpenAPI components): references are ``<source>:<id>``, as in case bundles."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from lantern.chronology.models import Significance, Tag


class EventOut(Schema):
    id: str = Field(description="The event's reference, <source>:<id>")
    child: str
    type: str
    occurred_on: dt.date
    occurred_time: dt.time | None
    agency: str | None = Field(description="The agency's reference")
    agency_name: str | None
    significance: str
    summary: str
    text: str
    outcome: str
    tags: list[str]
    recorded_at: dt.datetime
    recorded_by: str | None
    current: bool = Field(description="False for an entry a later correction superseded")
    supersedes: str | None


class ChronologyOut(Schema):
    child: str
    count: int
    offset: int
    limit: int
    events: list[EventOut]


class ObservationIn(Schema):
    occurred_on: dt.date
    occurred_time: dt.time | None = None
    tags: list[Tag] = Field(min_length=1)
    text: str = Field(min_length=1, max_length=20000)
    significance: Significance = Significance.ROUTINE


class Problem(Schema):
    detail: str


class FieldProblem(Schema):
    field: str = Field(description="Where: a query parameter, or a path in the body such as grades.k.grade")
    problem: str


class Invalid(Problem):
    """A request that does not match the description; ``detail`` names every problem."""

    errors: list[FieldProblem] = Field(default_factory=list)


# What every operation may answer besides its success: a body that cannot be read (400), signed out (401),
# no relationship with the child (403), no such child (404), a request that does not match (422).
REFUSALS: dict[int, type[Schema]] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Invalid}
