"""Accounts and their sessions: who needs a second factor, when sign-in happened, ending sessions.

Django's signals drive it, so every way of signing in and out (the sign-in page, the test client's
``force_login``, the admin) goes through the same steps.
"""

from __future__ import annotations

import logging
import time
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest

from lantern.agencies.models import Professional, SignedInSession

logger = logging.getLogger(__name__)

# The session's record of when its sign-in happened (seconds since the epoch), for the absolute timeout.
SIGNED_IN_AT = "lantern_signed_in_at"
# When the session was last saved for activity (its idle expiry pushed on): SessionLifetimeMiddleware.
TOUCHED_AT = "lantern_touched_at"


def second_factor_required(professional: Professional) -> bool:
    """Managers, senior managers and administrators always; everyone with LANTERN_SECOND_FACTOR_FOR_ALL."""
    return settings.LANTERN_SECOND_FACTOR_FOR_ALL or professional.role in settings.LANTERN_SECOND_FACTOR_ROLES


def _address(request: HttpRequest | None) -> str:
    return str(request.META.get("REMOTE_ADDR", "")) if request is not None else ""


def session_key_cycle(request: HttpRequest) -> None:
    """A new session key for the same session (after the second factor, as after the password)."""
    old = request.session.session_key
    request.session.cycle_key()
    SignedInSession.objects.filter(session_key=old).update(session_key=request.session.session_key)


def sessions_end(professional: Professional) -> int:
    """Delete every session the professional is signed in to, on the server. Returns how many."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    signed_in = list(SignedInSession.objects.filter(professional=professional))
    for session in signed_in:
        store.delete(session.session_key)
    SignedInSession.objects.filter(pk__in=[s.pk for s in signed_in]).delete()
    return len(signed_in)


@receiver(user_logged_in, dispatch_uid="lantern-signed-in")
def signed_in(sender: Any, request: HttpRequest | None, user: Professional, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    request.session[SIGNED_IN_AT] = request.session[TOUCHED_AT] = time.time()
    request.session.save()
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    # Forget sessions of theirs that have since expired or been cleared, so the list stays short.
    gone = [
        s.pk for s in SignedInSession.objects.filter(professional=user) if not store.exists(s.session_key)
    ]
    SignedInSession.objects.filter(pk__in=gone).delete()
    SignedInSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={"professional": user, "address": _address(request)},
    )
    logger.info("Signed in: %s from %s", user.username, _address(request))


@receiver(user_logged_out, dispatch_uid="lantern-signed-out")
def signed_out(sender: Any, request: HttpRequest | None, user: Professional | None, **kwargs: Any) -> None:
    if request is not None and request.session.session_key:
        SignedInSession.objects.filter(session_key=request.session.session_key).delete()


@receiver(user_login_failed, dispatch_uid="lantern-sign-in-failed")
def sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None, **kwargs: Any
) -> None:
    """Every failed sign-in is logged (and recorded as a SignInFailure by the backend, for lockout)."""
    username = str(credentials.get("username", ""))[:150]
    logger.warning("Failed sign-in for username %r from %s", username, _address(request))


@receiver(post_save, sender=Professional, dispatch_uid="lantern-account-disabled")
def account_saved(sender: Any, instance: Professional, **kwargs: Any) -> None:
    """A disabled account is signed out everywhere at once."""
    if not instance.is_active:
        ended = sessions_end(instance)
        if ended:
            logger.info("Account %s disabled: %d session(s) ended", instance.username, ended)
