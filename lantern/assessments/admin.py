"""The administrator's page for assessment templates: the versions loaded, and uploading a new one.

A loaded version is never changed or deleted (old assessments are read with it); a newer one replaces it.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from lantern.assessments.definitions import Template, TemplateInvalid, template_parse
from lantern.assessments.models import AssessmentTemplate
from lantern.assessments.services import template_is_new, template_store


class TemplateUploadForm(forms.ModelForm[AssessmentTemplate]):
    file = forms.FileField(
        label="Template file (JSON)", help_text="See docs/schema/assessment-template-1.json"
    )

    class Meta:
        model = AssessmentTemplate
        fields: list[str] = []

    template: Template

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            data = json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise forms.ValidationError(f"{upload.name} is not JSON: {error}") from None
        try:
            self.template = template_parse(data, name=upload.name)
            if not template_is_new(template=self.template, name=upload.name):
                raise forms.ValidationError(
                    f"{self.template.id} version {self.template.version} is already loaded, unchanged"
                )
        except TemplateInvalid as refused:
            raise forms.ValidationError(refused.problems) from None
        return upload


@admin.register(AssessmentTemplate)
class AssessmentTemplateAdmin(admin.ModelAdmin[AssessmentTemplate]):
    list_display = ["template", "version", "loaded_at", "loaded_by"]
    readonly_fields = ["template", "version", "definition", "loaded_at", "loaded_by"]
    form = TemplateUploadForm

    def get_fields(self, request: HttpRequest, obj: AssessmentTemplate | None = None) -> Any:
        return ["file"] if obj is None else list(self.readonly_fields)

    def get_readonly_fields(self, request: HttpRequest, obj: AssessmentTemplate | None = None) -> list[str]:
        return [] if obj is None else list(self.readonly_fields)

    def has_change_permission(self, request: HttpRequest, obj: AssessmentTemplate | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AssessmentTemplate | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: AssessmentTemplate, form: Any, change: bool) -> None:
        try:
            stored, _ = template_store(
                template=form.template,
                name=form.cleaned_data["file"].name,
                loaded_by=request.user.get_username(),
            )
        except TemplateInvalid as refused:
            raise forms.ValidationError(refused.problems) from None
        saved = AssessmentTemplate.objects.get(template=stored.id, version=stored.version)
        obj.pk, obj.template, obj.version = saved.pk, saved.template, saved.version
