"""Forms for plans and meetings, in GOV.UK's words: each error says what to do."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from lantern.casework.models import AgreementStatus, MeetingKind, PlanCategory, PlanType, Progress
from lantern.casework.selectors import owner_of
from lantern.chronology.forms import GovukDateField, GovukForm, not_in_future


def _text(label: str, *, required: str | None, hint: str = "") -> forms.CharField:
    field = forms.CharField(
        label=label, widget=forms.Textarea, max_length=5000, required=bool(required), help_text=hint
    )
    if required:
        field.error_messages["required"] = required
    field.error_messages["max_length"] = f"{label} must be 5,000 characters or fewer"
    return field


def _date(label: str, *, required: str | None, past: bool = False, hint: str = "") -> GovukDateField:
    field = GovukDateField(
        label=label, required=bool(required), help_text=hint, validators=[not_in_future] if past else []
    )
    if required:
        field.error_messages["required"] = required
    return field


def _choice(label: str, choices: Any, *, required: str, radios: bool = True) -> forms.ChoiceField:
    field = forms.ChoiceField(
        label=label, choices=choices, widget=forms.RadioSelect if radios else forms.Select
    )
    field.error_messages["required"] = required
    return field


class VersionedForm(GovukForm):
    """An edit form: it carries the version of the record it was opened at (ADR 14)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PlanForm(GovukForm):
    field_order = [
        "children",
        "type",
        "category",
        "started_on",
        "ended_on",
        "lead_professional",
        "lead_agency",
    ]
    children = forms.TypedMultipleChoiceField(
        label="Who is the plan for?",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select the brothers and sisters too for a plan for a sibling group.",
    )
    type = _choice("Type of plan", PlanType.choices, required="Select the type of plan")
    category = forms.ChoiceField(
        label="Category of child protection plan",
        choices=PlanCategory.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text="Only for a child protection plan.",
    )
    started_on = _date("When did the plan start?", required="Enter the date the plan started", past=True)
    lead_professional = forms.ChoiceField(label="Lead professional", required=False)
    lead_agency = forms.ChoiceField(label="Lead agency", required=False)

    def __init__(
        self,
        *args: Any,
        children: list[tuple[int, str]] | None,
        professionals: list[tuple[int, str]],
        agencies: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if children is None:  # editing: who the plan is for does not change
            del self.fields["children"]
        else:
            self.fields["children"].choices = children  # type: ignore[attr-defined]
            self.fields["children"].error_messages["required"] = "Select who the plan is for"
        self.fields["lead_professional"].choices = [("", "Not allocated yet"), *professionals]  # type: ignore[attr-defined]
        self.fields["lead_agency"].choices = [("", "No lead agency yet"), *agencies]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("type") == PlanType.CHILD_PROTECTION and not cleaned.get("category"):
            self.add_error("category", "Select the category of the child protection plan")
        if cleaned.get("type") and cleaned.get("type") != PlanType.CHILD_PROTECTION:
            cleaned["category"] = ""
        return cleaned


class PlanEditForm(PlanForm, VersionedForm):
    field_order = ["type", "category", "started_on", "ended_on", "lead_professional", "lead_agency"]
    ended_on = _date(
        "When did the plan end? (optional)",
        required=None,
        past=True,
        hint="Leave empty while the plan is open.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("started_on"), cleaned.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", "The plan must end on or after the day it started")
        return cleaned


OUTCOME_HINT = "What will be different in the child's daily life, in words the family will understand."
MEASURE_HINT = "How everyone will know: how often, how many, or by when."


class OutcomeForm(GovukForm):
    description = _text(
        "What will be different for the child?",
        required="Enter what will be different for the child",
        hint=OUTCOME_HINT,
    )
    measure = _text(
        "How will we know?", required="Enter how everyone will know the outcome is reached", hint=MEASURE_HINT
    )


class OutcomeEditForm(OutcomeForm, VersionedForm):
    pass


class ActionForm(GovukForm):
    """An action: what, who will do it, by when. Without an owner or a date it is refused (DESIGN.md)."""

    description = _text("What will be done?", required="Enter what will be done")
    owner = forms.ChoiceField(label="Who will do it?", required=True)
    due_on = _date("By when?", required="Enter the date the action will be done by")
    done_on = _date("When was it done? (optional)", required=None, past=True)

    def __init__(self, *args: Any, owners: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Choose who will do it"), *owners]  # type: ignore[attr-defined]
        self.fields["owner"].error_messages["required"] = "Select who will do the action"
        self.fields["owner"].error_messages["invalid_choice"] = "Select who will do the action"

    def clean_owner(self) -> Any:
        owner = owner_of(self.cleaned_data["owner"])
        if owner is None:
            raise ValidationError("Select who will do the action")
        return owner


class ActionEditForm(ActionForm, VersionedForm):
    pass


class MeetingActionForm(ActionForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["done_on"]


class AgreementForm(GovukForm):
    description = _text(
        "What must change?",
        required="Enter what must change",
        hint="Written for the parents: what they will do, in plain words.",
    )
    due_on = _date("By when?", required="Enter the date it must change by")
    status = _choice("Has it been met?", AgreementStatus.choices, required="Select whether it has been met")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].initial = AgreementStatus.PENDING


class AgreementEditForm(AgreementForm, VersionedForm):
    pass


class ReviewForm(GovukForm):
    """A review: progress against each outcome (``outcome_<pk>``), overall progress, and needs met."""

    held_on = _date("When was the review?", required="Enter the date of the review", past=True)
    progress = _choice(
        "Overall, since the last review, things for the child have",
        Progress.choices,
        required="Select the progress of the plan overall",
    )
    needs_met = forms.TypedChoiceField(
        label="Are the child's needs now met?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    text = _text("What did the review find? (optional)", required=None)

    def __init__(self, *args: Any, outcomes: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outcome_fields = []
        fields = dict(self.fields)
        self.fields.clear()
        self.fields["held_on"] = fields.pop("held_on")
        for n, (pk, description) in enumerate(outcomes, 1):
            name = f"outcome_{pk}"
            self.fields[name] = _choice(
                f"Outcome {n}: {description}",
                Progress.choices,
                required=f"Select the progress against outcome {n}",
            )
            self.outcome_fields.append(name)
        self.fields.update(fields)

    def outcome_progress(self) -> dict[int, str]:
        return {int(name.removeprefix("outcome_")): self.cleaned_data[name] for name in self.outcome_fields}


class MeetingForm(GovukForm):
    kind = _choice("What kind of meeting?", MeetingKind.choices, required="Select the kind of meeting")
    held_on = _date("When was it held?", required="Enter the date the meeting was held", past=True)
    invited = forms.TypedMultipleChoiceField(
        label="Agencies invited", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    attended = forms.TypedMultipleChoiceField(
        label="Agencies that attended", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    decisions = _text("Decisions", required="Enter the decisions the meeting made")

    def __init__(self, *args: Any, agencies: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("invited", "attended"):
            self.fields[name].choices = agencies  # type: ignore[attr-defined]
        self.fields["invited"].error_messages["required"] = "Select the agencies invited"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        invited, attended = set(cleaned.get("invited") or []), set(cleaned.get("attended") or [])
        if not invited and "invited" not in self.errors:
            self.add_error("invited", "Select the agencies invited")
        elif attended - invited:
            self.add_error("attended", "Only agencies that were invited can have attended")
        return cleaned
