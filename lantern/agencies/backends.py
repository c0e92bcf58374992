"""Sign-in with lockout: repeated failures for one username lock it for a while."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest
from django.utils import timezone

from lantern.agencies.models import Professional, SignInFailure


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
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Professional | None:
        if not username or password is None:
            return None
        if sign_in_is_locked(username=username):
            self._record_failure(request, username)
            return None
        user = super().authenticate(request, username=username, password=password)
        if user is None:
            self._record_failure(request, username)
        return user

    def get_user(self, user_id: Any) -> Professional | None:
        """The signed-in professional of a request, with their agency (every page's header names it)."""
        try:
            user = Professional._default_manager.select_related("agency").get(pk=user_id)
        except Professional.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def _record_failure(self, request: HttpRequest | None, username: str) -> None:
        address = request.META.get("REMOTE_ADDR", "") if request is not None else ""
        SignInFailure.objects.create(username=username.casefold()[:150], address=address or "")

    # Permissions come from rules only (lantern/agencies/rules.py), never from Django's permission tables.
    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return False

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return False
