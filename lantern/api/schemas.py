"""The API's shapes (OpenAPI components): references are ``<source>:<id>``, as in case bundles."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator, Field, WithJsonSchema

from lantern.chronology.models import Significance, Tag

# A record's reference, as the web's URLs take it (lantern/config/urls.py, RefConverter).
REF = r"^[A-Za-z0-9_.\-]+:[A-Za-z0-9_.\-]+$"
# Text: anything but NUL, which PostgreSQL cannot store or compare (a 500 there, found by Schemathesis);
# Django's forms refuse it too. Slugs: template, item and level ids.
TEXT = r"^[^\x00]*$"
SLUG = r"^[a-z0-9-]{1,64}$"
_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


def _iso_date(value: Any) -> Any:
    """Only YYYY-MM-DD: pydantic would also read a number as seconds since 1970 (``date_from=0``)."""
    if isinstance(value, dt.date) or (isinstance(value, str) and re.fullmatch(_DATE, value)):
        return value
    raise ValueError("must be a date, YYYY-MM-DD")


def _local_time(value: Any) -> Any:
    """A time of day as the clock showed it, HH:MM or HH:MM:SS: no time zone (Lantern's times are local)."""
    if isinstance(value, dt.time) or (isinstance(value, str) and re.fullmatch(_TIME, value)):
        return value
    raise ValueError("must be a local time, HH:MM or HH:MM:SS, without a time zone")


IsoDate = Annotated[
    dt.date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": _DATE}),
]
LocalTime = Annotated[
    dt.time,
    BeforeValidator(_local_time),
    WithJsonSchema({"type": "string", "format": "time", "pattern": _TIME}),
]


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
    occurred_on: IsoDate
    occurred_time: LocalTime | None = None
    tags: list[Tag] = Field(min_length=1)
    text: str = Field(min_length=1, max_length=20000, pattern=TEXT)
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
