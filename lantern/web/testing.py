"""The test client every test uses (the ``client`` fixture in conftest.py): Django's, behaving as a browser
does with Lantern's pages.

- CSRF is enforced (``enforce_csrf_checks=True``), as it is for a real browser: every POST, PUT, PATCH or
  DELETE carries the CSRF cookie's token, as Lantern's forms (``{{ csrf_input }}``) and htmx do. A test of
  a request without a token passes ``HTTP_X_CSRFTOKEN=""`` and gets 403.
- ``force_login`` signs in completely: for someone whose role needs a second factor, their authenticator
  app's code is taken as given (a confirmed TOTP device, verified in the session), as after the code page.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.test import Client
from django.utils.crypto import get_random_string
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.agencies.accounts import second_factor_required
from lantern.agencies.models import Professional

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class BrowserClient(Client):
    def __init__(self, **defaults: Any) -> None:
        super().__init__(enforce_csrf_checks=True, **defaults)

    def csrf_token(self) -> str:
        """The CSRF cookie's token (a new one, set as the cookie, if there is none yet)."""
        cookie = self.cookies.get(settings.CSRF_COOKIE_NAME)
        if cookie is None or not cookie.value:
            self.cookies[settings.CSRF_COOKIE_NAME] = get_random_string(
                CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS
            )
            cookie = self.cookies[settings.CSRF_COOKIE_NAME]
        return str(cookie.value)

    def request(self, **request: Any) -> Any:
        if request.get("REQUEST_METHOD", "GET") not in SAFE_METHODS and "HTTP_X_CSRFTOKEN" not in request:
            request["HTTP_X_CSRFTOKEN"] = self.csrf_token()
        return super().request(**request)

    def force_login(self, user: Professional, backend: str | None = None) -> None:
        super().force_login(user, backend)
        if second_factor_required(user):
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
