"""Django admin for administrators: agencies, teams, accounts and involvements.

Children's records are deliberately not in the admin: every view of a child goes through the audited
pages (see docs/adr/0003-admin-holds-no-child-records.md).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetPasswordMixin
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


class ProfessionalCreationForm(SetPasswordMixin, forms.ModelForm[Professional]):
    password1, password2 = SetPasswordMixin.create_password_fields()

    class Meta:
        model = Professional
        fields = ["username", "name", "email", "agency", "team", "role", "profession"]

    def clean(self) -> dict[str, object]:
        self.validate_passwords()
        return super().clean() or {}

    def _post_clean(self) -> None:
        super()._post_clean()
        self.validate_password_for_user(self.instance)

    def save(self, commit: bool = True) -> Professional:
        user = super().save(commit=False)
        user = self.set_password_and_save(user, commit=commit)
        return user


@admin.register(Professional)
class ProfessionalAdmin(admin.ModelAdmin[Professional]):
    list_display = ["name", "username", "agency", "team", "role", "profession", "is_active", "last_login"]
    list_filter = ["role", "agency", "is_active"]
    search_fields = ["name", "username", "email"]
    readonly_fields = ["last_login", "date_joined"]
    fields = ["username", "name", "email", "agency", "team", "role", "profession", "is_active",
              "last_login", "date_joined"]
    change_password_form = AdminPasswordChangeForm

    def get_form(self, request: HttpRequest, obj: Professional | None = None, change: bool = False,
                 **kwargs: object) -> type[forms.ModelForm[Professional]]:
        if obj is None:
            kwargs["form"] = ProfessionalCreationForm
            kwargs["fields"] = None
        return super().get_form(request, obj, change, **kwargs)  # type: ignore[arg-type]

    def get_fields(self, request: HttpRequest, obj: Professional | None = None) -> list[str]:  # type: ignore[override]
        if obj is None:
            return ["username", "name", "email", "agency", "team", "role", "profession", "password1", "password2"]
        return list(self.fields or [])


@admin.register(Involvement)
class InvolvementAdmin(admin.ModelAdmin[Involvement]):
    list_display = ["child", "agency", "team", "professional", "role", "lead", "started_on", "ended_on"]
    list_filter = ["agency", "lead"]
    raw_id_fields = ["child", "professional"]
    list_select_related = ["child", "agency", "team", "professional"]
