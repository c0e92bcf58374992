"""Sign-in with lockout: repeated failures for one username lock it for a while."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.utils import timezone

from lantern.agencies.models import SignInFailure


def sign_in_is_locked(*, username: str) -> bool:
    since = timezone.now() - dt.timedelta(minutes=settings.LANTERN_LOCKOUT_MINUTES)
    failures = SignInFailure.objects.filter(username=username.casefold(), at__gte=since).count()
    return failures >= settings.LANTERN_LOCKOUT_FAILURES


class LockoutBackend(ModelBackend):
    """Django's model backend, refusing a locked username even with the right password.

    The refusal looks exactly like a wrong password, so a locked account cannot be told from an
    unknown one; every failure is recorded (with the address it came from) for the lockout and audit.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> AbstractBaseUser | None:
        if not username or password is None:
            return None
        if sign_in_is_locked(username=username):
            self._record_failure(request, username)
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            self._record_failure(request, username)
        return user

    def _record_failure(self, request: HttpRequest | None, username: str) -> None:
        address = request.META.get("REMOTE_ADDR", "") if request is not None else ""
        SignInFailure.objects.create(username=username.casefold()[:150], address=address or "")
