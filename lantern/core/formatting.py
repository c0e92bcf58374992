"""Dates and identifiers written the way the GOV.UK style guide and the NHS write them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def govuk_date(value: dt.date | None) -> str:
    """1 September 2026 — no leading zero, month in full."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def govuk_datetime(value: dt.datetime | None) -> str:
    """1 September 2026 at 9:05am."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    hour = local.hour % 12 or 12
    return f"{govuk_date(local.date())} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def nhs_number(value: str | None) -> str:
    """943 476 5919 — the NHS's 3-3-4 grouping."""
    if not value:
        return ""
    return f"{value[:3]} {value[3:6]} {value[6:]}"
