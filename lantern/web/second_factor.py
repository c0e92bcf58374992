"""The sign-in's second step: the code from an authenticator app (TOTP, django-otp), and setting one up.

``SecondFactorMiddleware`` (lantern/core/middleware.py) sends here everyone who needs a second factor and
has given only their password. Someone who has an authenticator enters its code; someone who has none
yet sets one up by scanning a QR code (an SVG image drawn here by segno) or typing the key, then
entering a code. Someone who has lost their authenticator uses one of their ten recovery codes (created
on the recovery codes page once they have signed in with their authenticator; each works once). Nobody
can set up a second authenticator while they have one: an administrator removes
the old one first (Administration → TOTP devices), so a stolen password cannot enrol the thief's phone.
"""

from __future__ import annotations

import base64
import io
import logging

import segno
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.agencies.accounts import second_factor_required, session_key_cycle
from lantern.agencies.models import Professional, RecoveryCodeDevice
from lantern.agencies.recovery_codes import has_authenticator, recovery_codes_create, recovery_codes_left
from lantern.web.forms import RecoveryCodeForm, SecondFactorCodeForm

logger = logging.getLogger(__name__)

WRONG_CODE = "The code is not right, or has expired. Enter the code your authenticator app shows now"
TOO_MANY = "Too many wrong codes. Wait a minute, then enter the code your authenticator app shows"


def _next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if safe else reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, request: HttpRequest) -> str:
    return f"{reverse(name)}?{request.GET.urlencode()}" if request.GET else reverse(name)


def _check(request: HttpRequest, device: TOTPDevice, form: SecondFactorCodeForm) -> bool:
    """Whether the form's code is the device's; a wrong one is logged and said in the form."""
    if not form.is_valid():
        return False
    allowed, _ = device.verify_is_allowed()
    if device.verify_token(form.cleaned_data["code"]):
        return True
    logger.warning(
        "Wrong second-factor code for %s from %s", request.user, request.META.get("REMOTE_ADDR", "")
    )
    form.add_error("code", WRONG_CODE if allowed else TOO_MANY)
    return False


def _signed_in(request: HttpRequest, device: TOTPDevice | RecoveryCodeDevice) -> HttpResponse:
    otp_login(request, device)
    session_key_cycle(request)
    logger.info("Second factor given: %s", request.user)
    return HttpResponseRedirect(_next(request))


@require_http_methods(["GET", "POST"])
def code_enter(request: HttpRequest) -> HttpResponse:
    professional: Professional = request.user  # type: ignore[assignment]
    if not second_factor_required(professional) or professional.is_verified():  # type: ignore[attr-defined]
        return HttpResponseRedirect(_next(request))
    device = TOTPDevice.objects.filter(user=professional, confirmed=True).first()
    if device is None:
        return redirect(_with_next("sign-in-code-set-up", request))
    form = SecondFactorCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and _check(request, device, form):
        return _signed_in(request, device)
    status = 400 if form.errors else 200
    return render(request, "web/sign_in_code.html", {"form": form, "next": _next(request)}, status=status)


@require_http_methods(["GET", "POST"])
def code_set_up(request: HttpRequest) -> HttpResponse:
    professional: Professional = request.user  # type: ignore[assignment]
    if not second_factor_required(professional) or professional.is_verified():  # type: ignore[attr-defined]
        return HttpResponseRedirect(_next(request))
    if TOTPDevice.objects.filter(user=professional, confirmed=True).exists():
        return redirect(_with_next("sign-in-code", request))
    device = TOTPDevice.objects.filter(user=professional, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=professional, name="Authenticator app", confirmed=False)
    form = SecondFactorCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and _check(request, device, form):
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return _signed_in(request, device)
    key = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "web/sign_in_code_set_up.html",
        {
            "form": form,
            "next": _next(request),
            "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
        },
        status=400 if form.errors else 200,
    )


@require_GET
def code_set_up_picture(request: HttpRequest) -> HttpResponse:
    """The QR code of the key being set up (an SVG image), while it is not yet confirmed."""
    professional: Professional = request.user  # type: ignore[assignment]
    device = TOTPDevice.objects.filter(user=professional, confirmed=False).first()
    if device is None or TOTPDevice.objects.filter(user=professional, confirmed=True).exists():
        raise Http404
    picture = io.BytesIO()
    segno.make(device.config_url, error="m").save(picture, kind="svg", scale=5, title="QR code")
    return HttpResponse(picture.getvalue(), content_type="image/svg+xml")


WRONG_RECOVERY_CODE = "The recovery code is not right, or has been used. Enter an unused recovery code"


@require_http_methods(["GET", "POST"])
def recovery_code_enter(request: HttpRequest) -> HttpResponse:
    """The second step with a recovery code instead of the authenticator's code: each code works once."""
    professional: Professional = request.user  # type: ignore[assignment]
    if not second_factor_required(professional) or professional.is_verified():  # type: ignore[attr-defined]
        return HttpResponseRedirect(_next(request))
    device = RecoveryCodeDevice.objects.filter(user=professional, confirmed=True).first()
    form = RecoveryCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and device is not None and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["code"]):
            device.throttle_reset()
            left = recovery_codes_left(professional)
            logger.warning("Recovery code used by %s from %s: %s left", professional,
                           request.META.get("REMOTE_ADDR", ""), left)  # fmt: skip
            messages.warning(
                request,
                f"You signed in with a recovery code; you have {left} left. Set up your authenticator again "
                "or create new recovery codes before they run out",
            )
            return _signed_in(request, device)
        if allowed:
            device.throttle_increment()
        logger.warning(
            "Wrong recovery code for %s from %s", professional, request.META.get("REMOTE_ADDR", "")
        )
        form.add_error("code", WRONG_RECOVERY_CODE if allowed else TOO_MANY)
    context = {"form": form, "next": _next(request), "has_codes": device is not None}
    return render(request, "web/sign_in_recovery_code.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """How many recovery codes are left, and new ones (shown this once; the old ones stop working)."""
    professional: Professional = request.user  # type: ignore[assignment]
    if not has_authenticator(professional):
        raise Http404
    codes = recovery_codes_create(professional) if request.method == "POST" else None
    context = {"codes": codes, "left": recovery_codes_left(professional)}
    response = render(request, "web/recovery_codes.html", context)
    response["Cache-Control"] = "no-store"
    return response
