"""Django forms in GOV.UK Frontend's terms: the error summary's list and each field's error message."""

from __future__ import annotations

from typing import Any

from django import forms


def _anchor(form: forms.Form, name: str, suffix: str = "") -> str:
    if name == "__all__":
        return "#main-content"
    if suffix:  # one of several forms on the page: its inputs' ids end with the suffix
        return f"#{name}{suffix}"
    if isinstance(form.fields[name], forms.MultiValueField):
        # GOV.UK's date input: the first box that is wrong, when the error names them ("parts"), or
        # else the first box, "<name>-day". Other inputs carry the field's name as their id.
        for error in form.errors.as_data()[name]:
            if error.params and error.params.get("parts"):
                return f"#{name}-{error.params['parts'][0]}"
        return f"#{name}-day"
    return f"#{name}"


def error_list(form: forms.Form, *, suffix: str = "") -> list[dict[str, str]]:
    """The error summary's list: every error, linking to its field, in the order of the form.

    ``suffix`` is for a page with several copies of a form, whose inputs' ids end with it.
    """
    order = list(form.fields)
    names = sorted(form.errors, key=lambda n: order.index(n) if n in order else -1)
    return [
        {"text": str(message), "href": _anchor(form, name, suffix)}
        for name in names
        for message in form.errors[name]
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
