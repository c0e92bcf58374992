from __future__ import annotations

from typing import Any

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
