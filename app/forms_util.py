"""Form helpers: a service's ValidationError onto the fields it names; the final-action tick."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField
from wtforms.validators import ValidationError as WTFormsValidationError
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


class FinalConfirmMixin:
    """A required "I understand this is final" tick on forms whose action cannot be undone.

    Without JavaScript the box is part of the form and the server refuses the action until
    it is ticked; with JavaScript (static/confirm.js) a dialog asks instead and ticks it.
    ``final_buttons`` names the submit buttons that need it (a draft's "Save" does not);
    empty means every submission does.
    """

    confirm_final = BooleanField(_l("I understand that this is final and cannot be undone."))
    final_buttons: tuple[str, ...] = ()

    def needs_final_confirmation(self) -> bool:
        if not self.final_buttons:
            return True
        return any(getattr(self, name).data for name in self.final_buttons)

    def validate_confirm_final(self, field) -> None:
        if self.needs_final_confirmation() and not field.data:
            raise WTFormsValidationError(_l("Tick the box to confirm: this cannot be undone."))
