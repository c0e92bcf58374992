"""The synthetic demo area: a few hand-written families (every name made up) and demo sign-ins."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.agencies.accounts import second_factor_required
from lantern.agencies.models import Agency, Professional
from lantern.health.models import HealthSystem
from lantern.interop.case_bundle import ImportResult, case_bundle_import

DEMO_BUNDLE = Path(__file__).parent / "fixtures" / "demo-area.json"
# Synthetic demo accounts only; a real deployment has no demo area (and sets passwords by invitation).
DEMO_PASSWORD = "lantern-demo-area"
# The demo's managers and administrators need a second factor (ADR 16): their authenticator key is this
# published one, so anyone trying the demo can add it to an app. Only in the demo, never in production.
DEMO_TOTP_KEY = b"lantern-demo-totp-20"
DEMO_TOTP_KEY_BASE32 = base64.b32encode(DEMO_TOTP_KEY).decode()
DEMO_AUTHENTICATOR = "Demo authenticator (published key)"


@dataclass
class DemoSignIn:
    username: str
    name: str
    described: str


def demo_area_load() -> tuple[ImportResult, list[DemoSignIn]]:
    """Import the demo bundle and give its professionals the demo password (and those who need one the
    demo authenticator key). Idempotent. Refused in production: the demo's secrets are published."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured("The demo area is never loaded in production (LANTERN_PRODUCTION=1)")
    with transaction.atomic():
        result = case_bundle_import(DEMO_BUNDLE, name=DEMO_BUNDLE.name)
        emergency_department = Agency.objects.get(source="demo", source_id="ed")
        HealthSystem.objects.get_or_create(
            slug="demo-hospital",
            defaults={"name": "General Hospital (demo feed)", "agency": emergency_department},
        )
        sign_ins = []
        for professional in Professional.objects.filter(source="demo").select_related("agency", "team"):
            if not professional.check_password(DEMO_PASSWORD):
                professional.set_password(DEMO_PASSWORD)
                professional.save(update_fields=["password"])
            if second_factor_required(professional):
                TOTPDevice.objects.update_or_create(
                    user=professional,
                    name=DEMO_AUTHENTICATOR,
                    defaults={"key": DEMO_TOTP_KEY.hex(), "confirmed": True},
                )
            where = professional.team.name if professional.team else str(professional.agency)
            profession = professional.profession.replace("-", " ")
            sign_ins.append(
                DemoSignIn(
                    professional.username,
                    professional.name,
                    f"{professional.get_role_display()}, {profession}, {where}",
                )
            )
    return result, sign_ins
