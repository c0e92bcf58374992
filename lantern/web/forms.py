from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm

from lantern.chronology.forms import FilterDateField
from lantern.core.models import EmergencyAccess


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


class EmergencyAccessForm(forms.Form):
    """Break-glass: why a record must be opened without a relationship (ADR 17)."""

    reason = forms.ChoiceField(
        label="Why do you need to open this record?",
        choices=EmergencyAccess.Reason.choices,
        error_messages={"required": "Select why you need to open this record"},
    )
    explanation = forms.CharField(
        label="Explain why, in your own words",
        min_length=10,
        max_length=2000,
        error_messages={
            "required": "Explain why you need to open this record now",
            "min_length": "Explain why in at least 10 characters",
            "max_length": "Explain why in 2,000 characters or fewer",
        },
    )

    def clean_explanation(self) -> str:
        return str(self.cleaned_data["explanation"]).strip()


class SecondFactorCodeForm(forms.Form):
    """The 6-digit code an authenticator app shows (spaces, as some apps show it, are ignored)."""

    code = forms.CharField(
        max_length=16,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise forms.ValidationError("Enter the code as 6 digits, like 123456")
        return code


class RecoveryCodeForm(forms.Form):
    """One of the professional's recovery codes (spaces, hyphens and capitals are ignored)."""

    code = forms.CharField(max_length=40, error_messages={"required": "Enter one of your recovery codes"})

    def clean_code(self) -> str:
        from lantern.agencies.recovery_codes import recovery_code_normalise

        code = recovery_code_normalise(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(
                "Enter the recovery code as 12 letters and numbers, like abcd-efgh-jkmn"
            )
        return code
