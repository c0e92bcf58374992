from __future__ import annotations

from django import forms

from lantern.sharing.models import Consent, Decision, LawfulBasis, ShareKind

_REQUIRED = {
    "kind": "Select what kind of share this is",
    "decision": "Select whether you shared or decided not to share",
    "what": "Enter what information was shared, or would have been",
    "recipient": "Enter who it was shared with, or who asked",
    "purpose": "Enter the purpose of sharing",
    "lawful_basis": "Select the lawful basis",
    "consent": "Select whether consent was given",
    "reasoning": "Enter why sharing is, or is not, necessary and proportionate",
}


class SharingRecordForm(forms.Form):
    kind = forms.ChoiceField(label="What kind of share is it?", choices=ShareKind.choices)
    decision = forms.ChoiceField(label="What was decided?", choices=Decision.choices)
    what = forms.CharField(label="What information", max_length=5000)
    recipient = forms.CharField(label="With whom (person, role and organisation)", max_length=300)
    purpose = forms.CharField(label="Purpose", max_length=5000)
    lawful_basis = forms.ChoiceField(label="Lawful basis", choices=LawfulBasis.choices)
    consent = forms.ChoiceField(label="Consent", choices=Consent.choices)
    reasoning = forms.CharField(label="Reasoning", max_length=5000)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name, message in _REQUIRED.items():
            self.fields[name].error_messages["required"] = message
