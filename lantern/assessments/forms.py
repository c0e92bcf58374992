"""Forms for completing an assessment: starting it, grading an area, completing it, setting targets.

Each form is built from the template (its items, scale and levels of concern), so a template loaded by an
administrator needs no new code.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from lantern.assessments.definitions import Area, Template
from lantern.casework.models import Plan
from lantern.chronology.forms import GovukDateField
from lantern.people.models import Person

EVIDENCE_LIMIT = 20000


def not_in_future(value: dt.date | None) -> None:
    if value and value > timezone.localdate():
        raise ValidationError("The date must be today or in the past")


class DateParts:
    """GOV.UK's date input marks only the boxes an error is about."""

    errors: Any

    def date_parts_in_error(self, name: str) -> list[str]:
        for error in self.errors.as_data().get(name, []):
            if error.params and "parts" in error.params:
                return list(error.params["parts"])
        return ["day", "month", "year"] if name in self.errors else []


class StartForm(DateParts, forms.Form):
    started_on = GovukDateField(label="Date of the first visit", validators=[not_in_future])

    def __init__(self, *args: Any, template: Template, child: Person, siblings: list[Person], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.template = template
        self.fields["started_on"].error_messages["required"] = "Enter the date of the first visit"
        everyone = [(child.ref, child.display_name)] + [(s.ref, s.display_name) for s in siblings]
        self.children_by_ref = {child.ref: child, **{s.ref: s for s in siblings}}
        if siblings:
            self.fields["siblings"] = forms.MultipleChoiceField(
                label="Brothers and sisters seen at the same visits (optional)",
                choices=[(s.ref, s.display_name) for s in siblings],
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            if not template.per_child:
                self.fields["rated_for"] = forms.ChoiceField(
                    label="Which child do the home conditions affect most?",
                    choices=everyone,
                    widget=forms.RadioSelect,
                    required=False,
                )
        if template.licence:
            self.fields["assessor_licensed"] = forms.BooleanField(
                label=f"I hold the licence: {template.licence}",
                error_messages={"required": "Confirm that you hold the licence to use this template"},
            )
        self.child = child

    def children(self) -> list[Person]:
        chosen = self.cleaned_data.get("siblings") or []
        return [self.child] + [self.children_by_ref[ref] for ref in chosen]

    def rated_for(self) -> Person | None:
        ref = self.cleaned_data.get("rated_for")
        return self.children_by_ref[ref] if ref else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "rated_for" in self.fields and data.get("siblings") and not data.get("rated_for"):
            self.add_error("rated_for", "Select the child the home conditions affect most")
        return data


class AreaGradesForm(forms.Form):
    """A grade for each item of one area, each with its evidence. Items may be left for a later visit."""

    # The assessment's version when the page was opened (ADR 14; the page always sends it; without it,
    # the version read with the save is used).
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        required=False,
        error_messages={"invalid": "The page is out of date: open the area again and enter the grades again"},
    )

    def __init__(self, *args: Any, template: Template, area: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.template, self.area = template, area
        for item in area.items:
            self.fields[f"grade-{item.id}"] = forms.ChoiceField(
                label=item.title,
                choices=[(str(g.grade), f"{g.grade} \N{EN DASH} {g.label}") for g in template.grades],
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"evidence-{item.id}"] = forms.CharField(
                label=f"Evidence for “{item.title}”",
                widget=forms.Textarea,
                required=False,
                max_length=EVIDENCE_LIMIT,
                error_messages={"max_length": f"The evidence must be {EVIDENCE_LIMIT:,} characters or fewer"},
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for item in self.area.items:
            if data.get(f"grade-{item.id}") and not (data.get(f"evidence-{item.id}") or "").strip():
                self.add_error(f"evidence-{item.id}", f"Enter the evidence for the grade of “{item.title}”")
        return data

    def grades(self) -> dict[str, tuple[int, str]]:
        return {
            item.id: (
                int(self.cleaned_data[f"grade-{item.id}"]),
                self.cleaned_data[f"evidence-{item.id}"].strip(),
            )
            for item in self.area.items
            if self.cleaned_data.get(f"grade-{item.id}")
        }


class CompleteForm(DateParts, forms.Form):
    completed_on = GovukDateField(label="Date the assessment was completed", validators=[not_in_future])
    actions = forms.CharField(
        label="Actions agreed", widget=forms.Textarea, required=False, max_length=EVIDENCE_LIMIT
    )

    def __init__(self, *args: Any, template: Template, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["completed_on"].error_messages["required"] = "Enter the date the assessment was completed"
        self.fields["actions"].error_messages["max_length"] = (
            f"The actions must be {EVIDENCE_LIMIT:,} characters or fewer"
        )
        if template.levels_of_concern:
            self.fields["level_of_concern"] = forms.ChoiceField(
                label="Overall level of concern",
                choices=[(level.id, level.label) for level in template.levels_of_concern],
                widget=forms.RadioSelect,
                error_messages={"required": "Select the overall level of concern"},
            )
            self.order_fields(["completed_on", "level_of_concern", "actions"])


class TargetsForm(DateParts, forms.Form):
    """For each area of concern: the grade to reach, by when, under which of the child's plans."""

    def __init__(
        self,
        *args: Any,
        template: Template,
        concerns: list[tuple[Area, int]],
        plans: list[Plan],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.concerns = concerns
        self.plans = {plan.ref: plan for plan in plans}
        for area, grade in concerns:
            better = [g for g in template.grades if g.grade < grade]
            self.fields[f"target-{area.id}"] = forms.ChoiceField(
                label=f"Target grade for {area.title.lower()}",
                choices=[("", "Choose a grade")]
                + [(str(g.grade), f"{g.grade} \N{EN DASH} {g.label}") for g in better],
                error_messages={"required": f"Choose the target grade for {area.title.lower()}"},
            )
            self.fields[f"due_on-{area.id}"] = GovukDateField(label=f"By when, for {area.title.lower()}")
            self.fields[f"due_on-{area.id}"].error_messages["required"] = (
                f"Enter the date to reach the target for {area.title.lower()}"
            )
            self.fields[f"plan-{area.id}"] = forms.ChoiceField(
                label=f"Under which plan, for {area.title.lower()}",
                choices=[("", "No plan yet")]
                + [(ref, f"{plan} ({ref})") for ref, plan in self.plans.items()],
                required=False,
            )

    def targets(self) -> list[tuple[str, int, dt.date, Plan | None]]:
        data = self.cleaned_data
        return [
            (
                area.id,
                int(data[f"target-{area.id}"]),
                data[f"due_on-{area.id}"],
                self.plans.get(data.get(f"plan-{area.id}") or ""),
            )
            for area, _ in self.concerns
        ]
