"""Django admin for administrators: agencies, teams, accounts and involvements.

Children's records are deliberately not in the admin: every view of a child goes through the audited
pages (see docs/adr/0003-admin-holds-no-child-records.md).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.forms import AdminPasswordChangeForm, BaseUserCreationForm
from django.http import HttpRequest

from lantern.agencies.models import Agency, Involvement, Professional, Team


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ["name", "type", "contact_phone", "source", "source_id"]
    list_filter = ["type"]
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ["name", "agency"]
    list_filter = ["agency"]
    search_fields = ["name"]


class ProfessionalCreationForm(BaseUserCreationForm):
    """A new account: Django's creation form (password twice, checked by the password validators)."""

    class Meta:
        model = Professional
        fields = ["username", "name", "email", "agency", "team", "role", "profession"]


@admin.register(Professional)
class ProfessionalAdmin(admin.ModelAdmin[Professional]):
    list_display = ["name", "username", "agency", "team", "role", "profession", "is_active", "last_login"]
    list_filter = ["role", "agency", "is_active"]
    search_fields = ["name", "username", "email"]
    readonly_fields = ["last_login", "date_joined"]
    fields = [
        "username",
        "name",
        "email",
        "agency",
        "team",
        "role",
        "profession",
        "is_active",
        "last_login",
        "date_joined",
    ]
    change_password_form = AdminPasswordChangeForm

    def get_form(
        self, request: HttpRequest, obj: Professional | None = None, change: bool = False, **kwargs: object
    ) -> type[forms.ModelForm[Professional]]:
        if obj is None:
            kwargs["form"] = ProfessionalCreationForm
            kwargs["fields"] = None
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Professional | None = None) -> list[str]:  # type: ignore[override]
        if obj is None:
            return [
                "username",
                "name",
                "email",
                "agency",
                "team",
                "role",
                "profession",
                "password1",
                "password2",
            ]
        return [str(f) for f in self.fields or []]


@admin.register(Involvement)
class InvolvementAdmin(admin.ModelAdmin[Involvement]):
    list_display = ["child", "agency", "team", "professional", "role", "lead", "started_on", "ended_on"]
    list_filter = ["agency", "lead"]
    raw_id_fields = ["child", "professional"]
    list_select_related = ["child", "agency", "team", "professional"]
