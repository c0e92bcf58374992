"""Forms of the data protection officer's pages."""

from __future__ import annotations

from django import forms

from lantern.chronology.forms import GovukDateField, GovukForm
from lantern.people.models import Person
from lantern.retention.config import RECORD_TYPES
from lantern.retention.models import Requester


def person_by_ref(ref: str) -> Person | None:
    source, _, source_id = ref.strip().partition(":")
    return Person.objects.filter(source=source, source_id=source_id).first()


class SubjectAccessRequestForm(GovukForm):
    reference = forms.CharField(
        label="Reference of the person the request is about",
        max_length=200,
        error_messages={"required": "Enter the person's reference, like demo:c1"},
    )
    requester_name = forms.CharField(
        label="Who asked", max_length=200, error_messages={"required": "Enter the name of who asked"}
    )
    requester = forms.ChoiceField(
        label="Who are they to the person?",
        choices=Requester.choices,
        error_messages={"required": "Select who the requester is to the person"},
    )
    received_on = GovukDateField(
        label="When was the request received?", error_messages={"required": "Enter the date the request came"}
    )
    identity_verified_on = GovukDateField(
        label="When was the requester's identity verified? (optional)", required=False
    )
    identity_evidence = forms.CharField(
        label="How was it verified? (optional)", max_length=500, required=False
    )

    def clean_reference(self) -> Person:
        person = person_by_ref(self.cleaned_data["reference"])
        if person is None:
            raise forms.ValidationError("No person in Lantern has this reference: write it as <source>:<id>")
        return person


class IdentityForm(GovukForm):
    verified_on = GovukDateField(label="When was it verified?", error_messages={"required": "Enter the date"})
    evidence = forms.CharField(
        label="How was it verified?",
        max_length=500,
        error_messages={"required": "Say how the requester's identity was verified"},
    )


class ExtensionForm(forms.Form):
    months = forms.TypedChoiceField(
        label="Extend by",
        choices=[(1, "One month"), (2, "Two months")],
        coerce=int,
        error_messages={"required": "Select how long the extension is"},
    )
    reason = forms.CharField(
        label="Why is the request complex, or one of many?",
        widget=forms.Textarea,
        error_messages={"required": "Enter why the request needs more time"},
    )


class CompletionForm(GovukForm):
    completed_on = GovukDateField(
        label="When was the answer sent?", error_messages={"required": "Enter the date"}
    )


class LegalHoldForm(forms.Form):
    record_type = forms.ChoiceField(
        label="Which records?",
        choices=[("", "Everything about this person")]
        + [(c, t.name) for c, t in RECORD_TYPES.items() if t.disposed_by_this_command],
        required=False,
    )
    reason = forms.CharField(
        label="Why must they be kept?",
        widget=forms.Textarea,
        error_messages={"required": "Enter why the records must be kept"},
    )


class LiftForm(forms.Form):
    lifted_reason = forms.CharField(
        label="Why can the hold be lifted?",
        widget=forms.Textarea,
        error_messages={"required": "Enter why the hold can be lifted"},
    )
