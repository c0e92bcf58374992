"""Django forms in GOV.UK Frontend's terms: the error summary's list and each field's error message."""

from __future__ import annotations

from typing import Any

from django import forms


def _anchor(form: forms.Form, name: str) -> str:
    if name == "__all__":
        return "#main-content"
    # GOV.UK's date input's first box is "<name>-day"; other inputs carry the field's name as their id.
    return f"#{name}-day" if isinstance(form.fields[name], forms.MultiValueField) else f"#{name}"


def error_list(form: forms.Form) -> list[dict[str, str]]:
    """The error summary's list: every error, linking to its field, in the order of the form."""
    order = list(form.fields)
    names = sorted(form.errors, key=lambda n: order.index(n) if n in order else -1)
    return [
        {"text": str(message), "href": _anchor(form, name)} for name in names for message in form.errors[name]
    ]


def error_message(form: forms.Form, name: str) -> dict[str, Any] | None:
    """A field's ``errorMessage`` parameter, or None."""
    errors = form.errors.get(name)
    return {"text": str(errors[0])} if errors else None


def choice_items(form: forms.Form, name: str) -> list[dict[str, Any]]:
    """``items`` for govukCheckboxes or govukRadios, with what was chosen checked."""
    field = form.fields[name]
    value = form[name].value()
    if value is None:
        value = []
    chosen = {str(v) for v in value} if isinstance(value, list | tuple) else {str(value)}
    return [
        {"value": str(key), "text": str(label), "checked": str(key) in chosen}
        for key, label in field.choices  # type: ignore[attr-defined]
    ]
