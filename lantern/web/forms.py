from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    """One message for a wrong password, an unknown username and a locked account alike."""

    error_messages = {
        "invalid_login": "Enter a correct username and password. After 5 failed attempts an account is "
        "locked for 15 minutes.",
        "inactive": "Enter a correct username and password. After 5 failed attempts an account is "
        "locked for 15 minutes.",
    }
