"""Forms for a child's case: what is typed and chosen. Rules about the case live in the services."""

from __future__ import annotations

from typing import Any

from django import forms

from lantern.agencies.models import Agency, Professional, Team
from lantern.cases.continuum import Level
from lantern.cases.models import EscalationKind, EscalationSubject
from lantern.casework.models import Progress
from lantern.chronology.forms import GovukDateField
from lantern.chronology.forms import _RecordForm as _ChronologyForm


class CaseForm(forms.Form):
    # GOV.UK's date input marks only the boxes an error is about; the chronology's forms know how.
    date_parts_in_error = _ChronologyForm.date_parts_in_error

    # What to say when a required field is left empty, GOV.UK's way ("Enter why the case is being closed").
    required_messages: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, message in self.required_messages.items():
            self.fields[name].error_messages["required"] = message

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = value.replace("\r\n", "\n").replace("\r", "\n")
        return cleaned


def _people(queryset: Any) -> list[tuple[str, str]]:
    return [("", "")] + [(str(p.pk), f"{p.name}{', ' + p.team.name if p.team else ''}") for p in queryset]


class AllocationForm(CaseForm):
    """Opening or transferring: to a worker (and their team), or to a team."""

    worker = forms.TypedChoiceField(label="Worker (optional)", required=False, coerce=int, empty_value=None)
    team = forms.TypedChoiceField(label="Team (optional)", required=False, coerce=int, empty_value=None)
    role = forms.CharField(label="Their role with the child (optional)", required=False, max_length=100)
    reason = forms.CharField(label="Why", widget=forms.Textarea, max_length=5000)

    def __init__(
        self, *args: Any, workers: Any, teams: Any, why: str, why_missing: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = why_missing
        self.fields["worker"].choices = _people(workers)  # type: ignore[attr-defined]
        self.fields["team"].choices = [("", "")] + [(str(t.pk), t.name) for t in teams]  # type: ignore[attr-defined]
        self.fields["reason"].label = why
        self.workers = {p.pk: p for p in workers}
        self.teams = {t.pk: t for t in teams}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("worker") and not cleaned.get("team") and not self.has_error("worker"):
            self.add_error("worker", "Choose the worker or the team the case is allocated to")
        return cleaned

    def chosen(self) -> tuple[Professional | None, Team | None]:
        worker_id, team_id = self.cleaned_data.get("worker"), self.cleaned_data.get("team")
        return (
            self.workers.get(worker_id) if worker_id else None,
            self.teams.get(team_id) if team_id else None,
        )


class CloseForm(CaseForm):
    required_messages = {"reason": "Enter why the case is being closed"}
    reason = forms.CharField(label="Why is the case being closed?", widget=forms.Textarea, max_length=5000)


class ReviewForm(CaseForm):
    required_messages = {
        "held_on": "Enter the date of the review",
        "progress": "Select what progress there has been",
        "needs_met": "Select whether the child's needs are now met",
        "summary": "Enter what the review found",
    }
    held_on = GovukDateField(label="When was the review?")
    progress = forms.ChoiceField(
        label="What progress has there been?", choices=Progress.choices, widget=forms.RadioSelect
    )
    needs_met = forms.TypedChoiceField(
        label="Are the child's needs now met?",
        choices=[("yes", "Yes, their needs are now met"), ("no", "No, not yet")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    summary = forms.CharField(label="What did the review find?", widget=forms.Textarea, max_length=20000)


class SupervisionForm(CaseForm):
    required_messages = {
        "held_on": "Enter the date of the supervision",
        "worker": "Select who was supervised",
        "reflections": "Enter the reflections from the supervision",
        "decisions": "Enter the decisions made in the supervision",
    }
    held_on = GovukDateField(label="When was the supervision?")
    worker = forms.TypedChoiceField(label="Who was supervised?", coerce=int)
    reflections = forms.CharField(label="Reflections", widget=forms.Textarea, max_length=20000)
    decisions = forms.CharField(label="Decisions", widget=forms.Textarea, max_length=20000)

    def __init__(self, *args: Any, workers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = _people(workers)  # type: ignore[attr-defined]
        self.workers = {p.pk: p for p in workers}


class LevelForm(CaseForm):
    required_messages = {
        "level": "Select the level of need",
        "reason": "Enter why the child's needs are at this level",
    }
    level = forms.ChoiceField(label="Level of need", widget=forms.RadioSelect)
    indicators = forms.MultipleChoiceField(
        label="Indicators seen (optional)", required=False, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        label="Why are the child's needs at this level?", widget=forms.Textarea, max_length=5000
    )

    def __init__(self, *args: Any, levels: tuple[Level, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.levels = levels
        self.fields["level"].choices = [(lv.code, lv.label) for lv in levels]  # type: ignore[attr-defined]
        self.fields["indicators"].choices = [  # type: ignore[attr-defined]
            (f"{lv.code}|{text}", f"{lv.name}: {text}") for lv in levels for text in lv.indicators
        ]

    def chosen_indicators(self) -> list[str]:
        level = self.cleaned_data["level"]
        return [v.split("|", 1)[1] for v in self.cleaned_data["indicators"] if v.split("|", 1)[0] == level]


class EscalationForm(CaseForm):
    required_messages = {
        "kind": "Select what you are raising",
        "concern": "Enter what the concern is and what you want to happen",
        "owner": "Select who must respond",
        "due_on": "Enter the date a response is due",
    }
    kind = forms.ChoiceField(
        label="What are you raising?", choices=EscalationKind.choices, widget=forms.RadioSelect
    )
    subject = forms.ChoiceField(
        label="What is the disagreement about? (a professional challenge)",
        choices=[("", "")] + [c for c in EscalationSubject.choices if c[0] != EscalationSubject.CASE_DRIFT],
        required=False,
    )
    challenged_agency = forms.TypedChoiceField(
        label="Which agency are you challenging? (a professional challenge)",
        required=False,
        coerce=int,
        empty_value=None,
    )
    concern = forms.CharField(
        label="What is the concern, and what do you want to happen?", widget=forms.Textarea, max_length=20000
    )
    owner = forms.TypedChoiceField(label="Who must respond?", coerce=int)
    due_on = GovukDateField(label="When is a response due?")

    def __init__(self, *args: Any, owners: list[Professional], agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = _people(owners)  # type: ignore[attr-defined]
        self.fields["challenged_agency"].choices = [("", "")] + [(str(a.pk), a.name) for a in agencies]  # type: ignore[attr-defined]
        self.owners = {p.pk: p for p in owners}
        self.agencies = {a.pk: a for a in agencies}


class FormalForm(CaseForm):
    required_messages = {
        "owner": "Select who must respond now",
        "due_on": "Enter the date a response is due",
        "note": "Enter why it is being made formal",
    }
    owner = forms.TypedChoiceField(label="Who must respond now?", coerce=int)
    due_on = GovukDateField(label="When is a response due?")
    note = forms.CharField(label="Why is it being made formal?", widget=forms.Textarea, max_length=20000)

    def __init__(self, *args: Any, owners: list[Professional], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = _people(owners)  # type: ignore[attr-defined]
        self.owners = {p.pk: p for p in owners}


class OutcomeForm(CaseForm):
    required_messages = {"outcome": "Enter the outcome"}
    outcome = forms.CharField(label="What is the outcome?", widget=forms.Textarea, max_length=20000)


def field_kinds(form: forms.Form) -> list[tuple[str, str]]:
    """Each field's name and the GOV.UK component that shows it (for ``cases/_fields.html``)."""
    kinds = []
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(field, GovukDateField):
            kind = "date"
        elif isinstance(widget, forms.CheckboxSelectMultiple):
            kind = "checkboxes"
        elif isinstance(widget, forms.RadioSelect):
            kind = "radios"
        elif isinstance(widget, forms.Select):
            kind = "select"
        elif isinstance(widget, forms.Textarea):
            kind = "textarea"
        else:
            kind = "input"
        kinds.append((name, kind))
    return kinds
