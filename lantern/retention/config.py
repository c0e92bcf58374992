"""The retention schedule: how long each record type is kept, with the source of each default.

A local authority (or whoever controls the data) sets its own periods in a JSON file named by
``LANTERN_RETENTION_CONFIG``: ``{"periods": {"police-event": {"until_age": 30}}}``. It is checked when
Lantern starts; an unknown record type or key, or a number of years that is not a whole number from 1 to
125, stops it with a message naming the key and the value. A period may be made longer or shorter than
its default: a period set by law should only be made longer.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

LOCAL_POLICY = "Local policy default (no law sets this period): check it against your own retention schedule."


@dataclass(frozen=True)
class Period:
    """Kept ``until_age`` (the person's birthday at that age), or for ``years_after`` the record's date.

    ``until_age_if_17_or_over``: a longer period for a record made when the child was 17 or older.
    """

    until_age: int | None = None
    until_age_if_17_or_over: int | None = None
    years_after: int | None = None

    def as_json(self) -> dict[str, int]:
        return {k: v for k, v in self.__dict__.items() if v is not None}

    def describe(self) -> str:
        if self.years_after is not None:
            return f"{self.years_after} years after the record's date"
        later = (
            f" ({self.until_age_if_17_or_over}th if made when the child was 17 or over)"
            if self.until_age_if_17_or_over
            else ""
        )
        return f"until the {self.until_age}th birthday{later}"


@dataclass(frozen=True)
class RecordType:
    code: str
    name: str
    holds: str
    default: Period
    source: str
    local_policy: bool
    disposed_by_this_command: bool = True


RECORD_TYPES: dict[str, RecordType] = {
    t.code: t
    for t in [
        RecordType(
            "looked-after-child",
            "Case record of a child who has been looked after",
            "the child's record (person, involvements, relationships, households, assessments, plans, "
            "meetings, and chronology events other than health and police events)",
            Period(until_age=75),
            "Care Planning, Placement and Case Review (England) Regulations 2010, regulation 50 (until the "
            "75th anniversary of the child's birth; 15 years from death if the child dies before 18). The "
            "Children's Homes (England) Regulations 2015, regulation 36(2), sets the same for a children's "
            "home's case records. Lantern records no date of death, so the 75th birthday always applies.",
            local_policy=False,
        ),
        RecordType(
            "child-protection",
            "Case record of a child who has been subject to a child protection plan",
            "as for a looked-after child",
            Period(until_age=75),
            f"{LOCAL_POLICY} Working Together to Safeguard Children sets no period. Kept as long as a "
            "looked-after child's record: the Independent Inquiry into Child Sexual Abuse (final report, "
            "2022, recommendation 17) asked that retention reflect that survivors may take decades to seek "
            "their records. A shorter period must be proportionate: 35 years after closure was held lawful "
            "in R (C) v Northumberland County Council [2015] EWHC 2134 (Admin).",
            local_policy=True,
        ),
        RecordType(
            "child-social-care",
            "Case record of any other child (early help, child in need, known to services)",
            "as for a looked-after child",
            Period(until_age=25),
            f"{LOCAL_POLICY} The 25th birthday matches the NHS period for children's records below.",
            local_policy=True,
        ),
        RecordType(
            "health-event",
            "Health events (appointments, attendances) and the FHIR resources they came from",
            "chronology events recorded by health agencies, their FHIR resources, notifications about them",
            Period(until_age=25, until_age_if_17_or_over=26),
            "NHS England, Records Management Code of Practice 2023, retention schedule, children's records: "
            "until the 25th birthday, or the 26th if the young person was 17 at the conclusion of treatment "
            "(8 years after death). Lantern keeps a copy; the health record of origin is the NHS body's.",
            local_policy=False,
        ),
        RecordType(
            "police-event",
            "Police events (criminal cases, police observations)",
            "chronology events recorded by police forces",
            Period(until_age=25),
            f"{LOCAL_POLICY} The police keep their own record under the College of Policing's Authorised "
            "Professional Practice on information management (MoPI); Lantern keeps the copy shared for "
            "the child's chronology.",
            local_policy=True,
        ),
        RecordType(
            "alert",
            "Screening alerts and their history",
            "alerts raised for the child and what was done about them",
            Period(until_age=25),
            f"{LOCAL_POLICY} An alert is drawn from the child's records and is kept as long as the "
            "shortest case record.",
            local_policy=True,
        ),
        RecordType(
            "access-log",
            "The access log (who viewed or changed a child's record)",
            "access-log rows, which are reported when due but not disposed of (ADR 0018)",
            Period(years_after=6),
            f"{LOCAL_POLICY} Six years, the usual limitation period for a claim (Limitation Act 1980, "
            "sections 2 and 5), which for a child only starts to run at 18 (section 28): the records a "
            "claim is about are kept longer, and so may their access log have to be.",
            local_policy=True,
            disposed_by_this_command=False,
        ),
    ]
}

MAX_YEARS = 125


@dataclass(frozen=True)
class RetentionConfig:
    periods: dict[str, Period] = field(
        default_factory=lambda: {c: t.default for c, t in RECORD_TYPES.items()}
    )
    source: str = "defaults"

    def as_json(self) -> dict[str, dict[str, int]]:
        return {code: period.as_json() for code, period in self.periods.items()}


def config_parse(data: Any, *, name: str) -> RetentionConfig:
    if not isinstance(data, dict):
        raise ImproperlyConfigured(f"{name}: the retention configuration is a JSON object")
    unknown = set(data) - {"periods"}
    if unknown:
        raise ImproperlyConfigured(
            f"{name}: unknown section(s) {', '.join(sorted(unknown))} (only 'periods')"
        )
    periods = {c: t.default for c, t in RECORD_TYPES.items()}
    overrides = data.get("periods", {})
    if not isinstance(overrides, dict):
        raise ImproperlyConfigured(f"{name}: periods: give the record types as an object")
    for code, given in overrides.items():
        record_type = RECORD_TYPES.get(code)
        if record_type is None:
            raise ImproperlyConfigured(
                f"{name}: periods.{code}: there is no record type with this code ({', '.join(RECORD_TYPES)})"
            )
        if not isinstance(given, dict):
            raise ImproperlyConfigured(f"{name}: periods.{code}: give the period as an object")
        allowed = record_type.default.as_json().keys()
        for key, value in given.items():
            if key not in allowed:
                raise ImproperlyConfigured(
                    f"{name}: periods.{code}.{key}: not a key of this record type "
                    f"(it has {', '.join(allowed)})"
                )
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_YEARS:
                raise ImproperlyConfigured(
                    f"{name}: periods.{code}.{key}: {value!r} must be a whole number of years, "
                    f"1 to {MAX_YEARS}"
                )
        period = Period(**{**record_type.default.as_json(), **given})
        later, age = period.until_age_if_17_or_over, period.until_age
        if later is not None and age is not None and later < age:
            raise ImproperlyConfigured(
                f"{name}: periods.{code}.until_age_if_17_or_over: {later} is shorter than until_age ({age})"
            )
        periods[code] = period
    return RetentionConfig(periods=periods, source=name)


@cache
def retention_config() -> RetentionConfig:
    path = os.environ.get("LANTERN_RETENTION_CONFIG")
    if not path:
        return RetentionConfig()
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ImproperlyConfigured(f"{path}: cannot read the retention configuration: {error}") from None
    return config_parse(data, name=path)
