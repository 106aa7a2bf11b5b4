"""Carrying a service's ValidationError back onto the form fields it names; shared fields."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from app.errors import ValidationError


def apply_errors(form: FlaskForm, error: ValidationError) -> bool:
    """Attach field errors to ``form``; returns False when none matched a field.

    A privacy warning also marks the form, so that its template shows the
    confirmation box next to the warnings.
    """
    if getattr(error, "code", "") == "privacy_warning":
        form.privacy_warned = True
    placed = False
    for name, messages in error.fields.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = list(field.errors) + list(messages)
            placed = True
    return placed


class CheckboxesField(SelectMultipleField):
    """Several choices as a group of checkboxes: a phone has no Ctrl-click multi-select.

    ``macros/forms.html`` renders it as a fieldset whose legend names the group.
    """

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
