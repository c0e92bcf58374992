"""Statutory timescales for child protection meetings, in working days in England.

Working Together to Safeguard Children: the initial child protection conference is held within 15
working days of the strategy discussion at which the section 47 enquiries were started; the first review
conference within 3 months of the initial conference, and later reviews at intervals of no more than 6
months. A working day is Monday to Friday, except England's bank holidays (from the ``holidays`` package,
which keeps the one-off days too, such as 19 September 2022 and 8 May 2023: ADR 14).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import cache

import holidays

from lantern.casework.models import MeetingKind
from lantern.core.formatting import govuk_date

INITIAL_CONFERENCE_WORKING_DAYS = 15
FIRST_REVIEW_MONTHS = 3
LATER_REVIEW_MONTHS = 6


@cache
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_days_after(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    day = start
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when ``end`` is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + dt.timedelta(days=n)))


def months_after(start: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it is shorter (31 May + 3 → 31 August,
    30 November + 3 → 28 February)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Timescale:
    """One statutory deadline: what is due, counted from which meeting, by when, and whether it was met."""

    due: str  # "Initial child protection conference"
    counted_from: str  # "strategy discussion on 2 March 2026"
    rule: str  # "within 15 working days"
    due_by: dt.date
    held_on: dt.date | None

    def status(self, today: dt.date) -> str:
        """``met``, ``late`` (held after the date), ``overdue`` (not held, date passed) or ``due``."""
        if self.held_on is not None:
            return "met" if self.held_on <= self.due_by else "late"
        return "overdue" if today > self.due_by else "due"

    def days_late(self, today: dt.date) -> int:
        """Working days past the date: when it was held, or by today while it is not held."""
        return max(0, working_days_between(self.due_by, self.held_on or today))


@dataclass(frozen=True)
class HeldMeeting:
    kind: str
    held_on: dt.date


def conference_timescales(meetings: list[HeldMeeting]) -> list[Timescale]:
    """The child's conference deadlines, oldest first, from the meetings held (in any order).

    Each strategy discussion not already followed by an initial conference starts a 15-working-day
    clock, stopped by the next initial conference; each conference (initial or review) starts the clock
    for the next review: 3 months after the initial conference, 6 months after a review.
    """
    ordered = sorted(meetings, key=lambda m: (m.held_on, m.kind))
    timescales: list[Timescale] = []
    waiting_since: dt.date | None = None  # a strategy discussion with no initial conference yet
    last_conference: HeldMeeting | None = None
    for meeting in ordered:
        if meeting.kind == MeetingKind.STRATEGY_DISCUSSION and waiting_since is None:
            waiting_since = meeting.held_on
        elif meeting.kind == MeetingKind.INITIAL_CONFERENCE:
            if waiting_since is not None:
                timescales.append(_initial(waiting_since, meeting.held_on))
                waiting_since = None
            last_conference = meeting
        elif meeting.kind == MeetingKind.REVIEW_CONFERENCE and last_conference is not None:
            timescales.append(_review(last_conference, meeting.held_on))
            last_conference = meeting
    if waiting_since is not None:
        timescales.append(_initial(waiting_since, None))
    elif last_conference is not None:
        timescales.append(_review(last_conference, None))
    return timescales


def _initial(strategy_discussion: dt.date, held_on: dt.date | None) -> Timescale:
    return Timescale(
        due="Initial child protection conference",
        counted_from=f"the strategy discussion on {govuk_date(strategy_discussion)}",
        rule=f"within {INITIAL_CONFERENCE_WORKING_DAYS} working days",
        due_by=working_days_after(strategy_discussion, INITIAL_CONFERENCE_WORKING_DAYS),
        held_on=held_on,
    )


def _review(previous: HeldMeeting, held_on: dt.date | None) -> Timescale:
    first = previous.kind == MeetingKind.INITIAL_CONFERENCE
    months = FIRST_REVIEW_MONTHS if first else LATER_REVIEW_MONTHS
    what = "the initial conference" if first else "the last review conference"
    return Timescale(
        due="First review conference" if first else "Review conference",
        counted_from=f"{what} on {govuk_date(previous.held_on)}",
        rule=f"within {months} months",
        due_by=months_after(previous.held_on, months),
        held_on=held_on,
    )
