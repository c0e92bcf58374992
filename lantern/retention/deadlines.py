"""Dates the law counts in: calendar months (subject access) and birthdays (retention)."""

from __future__ import annotations

import calendar
import datetime as dt


def calendar_months_after(start: dt.date, months: int) -> dt.date:
    """The corresponding calendar date ``months`` later, or the last day of that month if it is shorter.

    ICO, "Time limits for responding to data protection rights requests": received on 3 September, due
    on 3 October; received on 31 January, due on 28 (or 29) February. The deadline shown is never later
    than this date (the ICO allows the next working day when it falls on a weekend or bank holiday;
    Lantern does not count on it).
    """
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def birthday(born: dt.date, age: int) -> dt.date:
    """The day a person born on ``born`` reaches ``age``; someone born on 29 February reaches it on
    1 March in a year that is not a leap year (the later day: nothing is disposed of a day early)."""
    try:
        return born.replace(year=born.year + age)
    except ValueError:
        return dt.date(born.year + age, 3, 1)
