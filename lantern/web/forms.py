from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm

from lantern.chronology.forms import FilterDateField


class SignInForm(AuthenticationForm):
    """One message for a wrong password, an unknown username and a locked account alike."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        same = (
            "Enter a correct username and password. After "
            f"{settings.LANTERN_LOCKOUT_FAILURES} failed attempts an account is locked for "
            f"{settings.LANTERN_LOCKOUT_MINUTES} minutes."
        )
        self.error_messages = {"invalid_login": same, "inactive": same}
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


class AccessLogFilterForm(forms.Form):
    """ "Who viewed this record between these dates": a date in each box, like the chronology's filters."""

    date_from = FilterDateField(which="from", label="From")
    date_to = FilterDateField(which="to", label="To")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The 'from' date must be on or before the 'to' date")
        return cleaned
