"""Administrators set up the health systems that may send FHIR bundles (tokens are issued on the
health feeds page, so that a token is shown once and only its fingerprint is kept)."""

from __future__ import annotations

from django.contrib import admin

from lantern.health.models import HealthSystem


@admin.register(HealthSystem)
class HealthSystemAdmin(admin.ModelAdmin[HealthSystem]):
    list_display = ["name", "slug", "agency", "is_active"]
    list_filter = ["agency", "is_active"]
