from __future__ import annotations

import datetime as dt
import logging
import secrets
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.response import HttpResponseBase
from django.urls import reverse

from lantern.agencies.accounts import SIGNED_IN_AT, TOUCHED_AT, second_factor_required

logger = logging.getLogger(__name__)


class NoStoreMiddleware:
    """Pages for signed-in users carry personal data: no browser or proxy may keep a copy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/static/"):
            response.setdefault("Cache-Control", "no-store")
        return response


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Every page needs sign-in (Django's middleware), except the API, which answers 401 itself."""

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponseBase | None:
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)

    def handle_no_permission(  # type: ignore[override]
        self, request: HttpRequest, view_func: Callable[..., HttpResponseBase]
    ) -> HttpResponseBase:
        """An htmx request whose session has ended goes to the sign-in page whole, not inside the page."""
        response = super().handle_no_permission(request, view_func)
        if request.headers.get("HX-Request") == "true" and response.has_header("Location"):
            redirect = HttpResponse(status=200)
            redirect["HX-Redirect"] = response["Location"]
            return redirect
        return response


class SessionLifetimeMiddleware:
    """A session ends after ``SESSION_COOKIE_AGE`` idle, and ``LANTERN_SESSION_ABSOLUTE_HOURS`` after
    sign-in however active (ASVS V7.3).

    The idle timeout is the session's own age on the server (ADR 6): saving a session sets its expiry that
    long ahead. A signed-in session is saved again once ``LANTERN_SESSION_TOUCH_SECONDS`` have passed since
    it last was, not on every request (ADR 20): the expiry is then at most that much earlier than a full
    idle period after the last request, and most requests write nothing to the sessions table.

    The time of sign-in is put in the session when the sign-in completes (``lantern.agencies.accounts``);
    a session without it (made before this existed) ends too. Ending it signs out, which deletes it on the
    server.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            signed_in_at = request.session.get(SIGNED_IN_AT)
            limit = dt.timedelta(hours=settings.LANTERN_SESSION_ABSOLUTE_HOURS).total_seconds()
            if signed_in_at is None or now - float(signed_in_at) >= limit:
                logger.info("Session of %s ended: %s hours after sign-in", request.user, limit / 3600)
                logout(request)
            elif now - float(request.session.get(TOUCHED_AT, 0)) >= settings.LANTERN_SESSION_TOUCH_SECONDS:
                request.session[TOUCHED_AT] = now  # changed, so saved: its expiry moves on
        return self.get_response(request)


class SecondFactorMiddleware:
    """Who must give a second factor has signed in only once they have (ASVS V6.3, django-otp).

    Until then the only pages open to them are the code pages and signing out; everything else sends
    them to enter their code (or to set it up, if they have no authenticator yet); the API refuses.
    """

    OPEN = frozenset(
        {
            "sign-in-code",
            "sign-in-code-set-up",
            "sign-in-code-set-up-picture",
            "sign-in-recovery-code",
            "sign-out",
            "health-check",
        }
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponseBase | None:
        user: Any = request.user  # django-otp's OTPMiddleware gave it is_verified()
        if not user.is_authenticated or not second_factor_required(user):
            return None
        if user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.url_name in self.OPEN:
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": "Enter the code from your authenticator app first"}, status=401)
        target = f"{reverse('sign-in-code')}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request") == "true":
            redirect = HttpResponse(status=200)
            redirect["HX-Redirect"] = target
            return redirect
        return HttpResponseRedirect(target)


class ContentSecurityPolicyMiddleware:
    """The Content-Security-Policy header of every response, from ``settings.LANTERN_CSP`` (ADR 16).

    ``'nonce'`` in a directive stands for this request's nonce (``request.csp_nonce``), which the page
    template puts on GOV.UK Frontend's one inline script. Nothing else inline runs or styles anything.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(18)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        directives = []
        for name, sources in settings.LANTERN_CSP.items():
            values = [f"'nonce-{nonce}'" if source == "'nonce'" else source for source in sources]
            directives.append(" ".join([name, *values]))
        response.setdefault("Content-Security-Policy", "; ".join(directives))
        return response
