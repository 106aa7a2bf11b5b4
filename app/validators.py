"""Form validators shared across features."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError


class EmailAddress:
    """A syntactically valid address. Deliverability is not checked (no network here).

    Reserved test domains such as ``demo.test`` are accepted outside production so the
    documented demo logins work in every form.
    """

    def __init__(self, message: str | None = None):
        self.message = message or _l("Enter a valid e-mail address, like name@example.org.")

    def __call__(self, form, field) -> None:
        if not field.data:
            return
        testing = current_app.config.get("ENV_NAME") != "production"
        try:
            validate_email(field.data, check_deliverability=False, test_environment=testing)
        except EmailNotValidError:
            raise ValidationError(self.message) from None
