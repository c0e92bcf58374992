"""The synthetic demo area: a few hand-written families (every name made up) and demo sign-ins."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from lantern.agencies.models import Agency, Professional
from lantern.health.models import HealthSystem
from lantern.interop.case_bundle import ImportResult, case_bundle_import

DEMO_BUNDLE = Path(__file__).parent / "fixtures" / "demo-area.json"
# Synthetic demo accounts only; a real deployment has no demo area (and sets passwords by invitation).
DEMO_PASSWORD = "lantern-demo-area"


@dataclass
class DemoSignIn:
    username: str
    name: str
    described: str


def demo_area_load() -> tuple[ImportResult, list[DemoSignIn]]:
    """Import the demo bundle and give its professionals the demo password. Idempotent."""
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
