"""Forms of the token pages in the account area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectChoice, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange

from app.api.models import SCOPE_READ, SCOPE_WRITE
from app.api.tokens import DEFAULT_LIFETIME_DAYS, MAX_LIFETIME_DAYS


class TokenForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(), Length(max=100)], description=_l("What the token is for.")
    )
    scope = RadioField(
        _l("Access"),
        choices=[SelectChoice(SCOPE_READ, _l("Read only")), SelectChoice(SCOPE_WRITE, _l("Read and write"))],
        default=SCOPE_READ,
    )
    expires_in_days = IntegerField(
        _l("Valid for (days)"),
        default=DEFAULT_LIFETIME_DAYS,
        validators=[DataRequired(), NumberRange(min=1, max=MAX_LIFETIME_DAYS)],
    )
    submit = SubmitField(_l("Create token"))


class RevokeTokenForm(FlaskForm):
    submit = SubmitField(_l("Revoke"))
