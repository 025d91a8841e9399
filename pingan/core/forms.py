"""What every app's forms and views share: the Chinese error text of a form, a service's
ValidationError put on the form it came from, and the date inputs of the browser's own pickers."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def errors_text(form: forms.Form) -> str:
    """The form's errors as one line for a flash message: 「标签：错误；…」."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
    return "；".join(parts)


def add_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's ValidationError on the form: under its field when the form has it, else on top."""
    if hasattr(exc, "error_dict"):
        for name, msgs in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, msgs)
    else:
        form.add_error(None, exc.messages)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")
