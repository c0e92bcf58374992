"""Administrators appoint the data protection officer (and see who holds the office)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from lantern.retention.models import DataProtectionOfficer


@admin.register(DataProtectionOfficer)
class DataProtectionOfficerAdmin(admin.ModelAdmin[DataProtectionOfficer]):
    list_display = ["professional", "appointed_by", "appointed_at"]
    fields = ["professional"]

    def save_model(self, request: HttpRequest, obj: DataProtectionOfficer, form: Any, change: bool) -> None:
        obj.appointed_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
