from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm


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
