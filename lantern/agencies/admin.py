"""Django admin for administrators: agencies, teams, accounts and involvements.

Children's records are deliberately not in the admin: every view of a child goes through the audited
pages (see docs/adr/0003-admin-holds-no-child-records.md).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm

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


ACCOUNT_FIELDS = ("username", "name", "email", "agency", "team", "role", "profession")


class ProfessionalCreationForm(BaseUserCreationForm):
    """A new account: Django's creation form (password twice, checked by the password validators)."""

    class Meta:
        model = Professional
        fields = ACCOUNT_FIELDS


class ProfessionalChangeForm(UserChangeForm):
    class Meta:
        model = Professional
        fields = (*ACCOUNT_FIELDS, "is_active")


@admin.register(Professional)
class ProfessionalAdmin(UserAdmin):
    """Accounts: Django's user admin (with its set-password page) over Lantern's professional."""

    add_form = ProfessionalCreationForm
    form = ProfessionalChangeForm
    list_display = ("name", "username", "agency", "team", "role", "profession", "is_active", "last_login")
    list_filter = ("role", "agency", "is_active")
    search_fields = ("name", "username", "email")
    ordering = ("name",)
    filter_horizontal = ()
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Professional", {"fields": ACCOUNT_FIELDS[1:]}),
        ("Status", {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": (*ACCOUNT_FIELDS, "password1", "password2")}),)


@admin.register(Involvement)
class InvolvementAdmin(admin.ModelAdmin[Involvement]):
    list_display = ["child", "agency", "team", "professional", "role", "lead", "started_on", "ended_on"]
    list_filter = ["agency", "lead"]
    raw_id_fields = ["child", "professional"]
    list_select_related = ["child", "agency", "team", "professional"]
