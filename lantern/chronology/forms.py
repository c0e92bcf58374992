"""Forms for the chronology: its filters, and recording an observation or a home visit in a minute."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from lantern.chronology.models import EventType, HomeVisitOutcome, Significance, Tag, VisitLocation


class GovukDateWidget(forms.MultiWidget):
    """Reads GOV.UK's date input, whose boxes are named ``<name>-day``, ``<name>-month``, ``<name>-year``."""

    parts = ("day", "month", "year")

    def __init__(self) -> None:
        super().__init__(widgets=[forms.TextInput(), forms.TextInput(), forms.TextInput()])

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str | None]:
        return [data.get(f"{name}-{part}") for part in self.parts]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}-{part}" in data for part in self.parts)

    def decompress(self, value: dt.date | None) -> list[str | None]:
        return [str(value.day), str(value.month), str(value.year)] if value else [None, None, None]


class GovukDateField(forms.MultiValueField):
    """GOV.UK's date input: day, month and year in three boxes, with errors that say what to fix.

    An error about some of the boxes (a missing month, a short year) names them in its ``parts``
    parameter, so that only those boxes are marked and the error summary links to the first of them.
    """

    widget = GovukDateWidget

    def __init__(self, **kwargs: Any) -> None:
        fields = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[str]) -> dt.date | None:
        if not data_list or not any(data_list):
            return None
        day, month, year = (v.strip() if v else "" for v in data_list)
        missing = [name for name, value in (("day", day), ("month", month), ("year", year)) if not value]
        if missing:
            message = f"The date must include a {' and a '.join(missing)}"
            raise ValidationError(message, code="incomplete", params={"parts": missing})
        if not (year.isdigit() and len(year) == 4):
            message = "The year must include 4 numbers, like 2026"
            raise ValidationError(message, code="year", params={"parts": ["year"]})
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError("The date must be a real date, like 27 3 2026", code="invalid") from None


def _not_in_future(value: dt.date | None) -> None:
    if value and value > timezone.localdate():
        raise ValidationError("The date must be today or in the past")


class GovukDateForm(forms.Form):
    """A form with GOV.UK date inputs."""

    def date_parts_in_error(self, name: str) -> list[str]:
        """The boxes of a GOV.UK date input to mark as wrong: those its error names, or all three."""
        errors = self.errors.as_data().get(name, [])
        for error in errors:
            if error.params and "parts" in error.params:
                return list(error.params["parts"])
        return list(GovukDateWidget.parts) if errors else []


class _RecordForm(GovukDateForm):
    occurred_on = GovukDateField(label="When did it happen?", validators=[_not_in_future])
    occurred_time = forms.TimeField(
        label="Time (optional)",
        required=False,
        input_formats=["%H:%M", "%H.%M", "%I:%M%p", "%I.%M%p", "%I%p", "%I:%M %p", "%I %p"],
    )
    significance = forms.ChoiceField(
        label="How significant is it?", choices=Significance.choices, initial=Significance.ROUTINE
    )
    text = forms.CharField(label="What did you see or hear?", widget=forms.Textarea, max_length=20000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].error_messages["required"] = "Enter the date it happened"
        self.fields["occurred_time"].error_messages["invalid"] = "Enter a real time, like 14:30 or 2:30pm"
        self.fields["text"].error_messages["required"] = "Enter what you saw or heard"
        self.fields["text"].error_messages["max_length"] = (
            "What you saw or heard must be 20,000 characters or fewer"
        )
        self.fields["significance"].error_messages["required"] = "Select how significant it is"

    def clean_text(self) -> str:
        """Line breaks as LF, however the browser sent them (a textarea sends CR LF)."""
        text: str = self.cleaned_data["text"]
        return text.replace("\r\n", "\n").replace("\r", "\n")


class ObservationForm(_RecordForm):
    field_order = ["occurred_on", "occurred_time", "tags", "text", "significance"]
    tags = forms.MultipleChoiceField(
        label="What is it about?", choices=Tag.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tags"].error_messages["required"] = "Select at least one thing the observation is about"


class HomeVisitForm(_RecordForm):
    field_order = ["occurred_on", "occurred_time", "location", "outcome", "announced", "text", "significance"]
    location = forms.ChoiceField(label="Where was the visit?", choices=VisitLocation.choices,
                                 widget=forms.RadioSelect)  # fmt: skip
    outcome = forms.ChoiceField(label="Was the child seen?", choices=HomeVisitOutcome.choices,
                                widget=forms.RadioSelect)  # fmt: skip
    announced = forms.TypedChoiceField(
        label="Was the visit announced? (optional)",
        choices=[("yes", "Announced"), ("no", "Unannounced")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        required=False,
        empty_value=None,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = "Notes from the visit"
        self.fields["text"].error_messages["required"] = "Enter notes from the visit"
        self.fields["text"].error_messages["max_length"] = (
            "Notes from the visit must be 20,000 characters or fewer"
        )
        self.fields["location"].error_messages["required"] = "Select where the visit was"
        self.fields["outcome"].error_messages["required"] = "Select whether the child was seen"


FILTER_DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y", "%Y-%m-%d"]


class FilterDateField(forms.DateField):
    """A date typed in one box, as in GOV.UK's filters: 27/3/2026 (or 2026-03-27, from older links)."""

    def __init__(self, *, which: str, **kwargs: Any) -> None:
        super().__init__(required=False, input_formats=FILTER_DATE_FORMATS, **kwargs)
        self.error_messages["invalid"] = f"The '{which}' date must be a real date, like 27/3/2026"

    def to_python(self, value: Any) -> dt.date | None:
        date = super().to_python(value.strip() if isinstance(value, str) else value)
        if date is not None and date.year < 1900:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return date


class ChronologyFilterForm(forms.Form):
    agency = forms.TypedMultipleChoiceField(required=False, coerce=int, label="Agency")
    type = forms.MultipleChoiceField(required=False, choices=EventType.choices, label="Kind of event")
    tag = forms.MultipleChoiceField(required=False, choices=Tag.choices, label="Observation tag")
    significance = forms.MultipleChoiceField(
        required=False, choices=Significance.choices, label="Significance"
    )
    date_from = FilterDateField(which="from", label="From")
    date_to = FilterDateField(which="to", label="To")
    siblings = forms.BooleanField(required=False, label="Show brothers' and sisters' significant events")
    corrections = forms.BooleanField(required=False, label="Show corrected entries")
    order = forms.ChoiceField(
        required=False, choices=[("newest", "Newest first"), ("oldest", "Oldest first")], label="Order"
    )

    def __init__(self, *args: Any, agencies: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = agencies  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            # On the 'to' box, so that the error summary links to it.
            self.add_error("date_to", "The 'from' date must be on or before the 'to' date")
        return cleaned
