"""Forms for second factors. They validate input only; services check the codes."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

_CODE_HINT = _l("The 6-digit code your authenticator app shows now, or one of your recovery codes.")


class CodeField(StringField):
    """A one-time code: no autofill from the browser's password store, digits keyboard."""

    def __call__(self, **kwargs):
        kwargs.setdefault("autocomplete", "one-time-code")
        kwargs.setdefault("inputmode", "text")
        kwargs.setdefault("autocapitalize", "off")
        kwargs.setdefault("spellcheck", "false")
        return super().__call__(**kwargs)


class ConfirmAppForm(FlaskForm):
    code = CodeField(
        _l("Code from the app"),
        validators=[DataRequired(), Length(max=20)],
        description=_l("Type the 6-digit code the app shows to finish setting it up."),
    )
    submit = SubmitField(_l("Turn on two-factor sign-in"))


class ChallengeForm(FlaskForm):
    code = CodeField(_l("Code"), validators=[DataRequired(), Length(max=20)], description=_CODE_HINT)
    remember = BooleanField(
        _l("Remember this browser for 30 days"),
        description=_l("Only on a device that is yours alone."),
    )
    submit = SubmitField(_l("Continue"))


class RegenerateCodesForm(FlaskForm):
    code = CodeField(_l("Code"), validators=[DataRequired(), Length(max=20)], description=_CODE_HINT)
    submit = SubmitField(_l("Make new recovery codes"))


class DisableForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=256)])
    code = CodeField(_l("Code"), validators=[DataRequired(), Length(max=20)], description=_CODE_HINT)
    submit = SubmitField(_l("Turn off the authenticator app"))


class RequirementForm(FlaskForm):
    requires_two_factor = BooleanField(
        _l("Admins and supervisors must use two-factor sign-in"),
        description=_l(
            "Those without it are asked to set it up right after they log in, before anything else. "
            "API tokens keep working."
        ),
    )
    submit = SubmitField(_l("Save"))


class PasskeyNameForm(FlaskForm):
    name = StringField(
        _l("Name of the passkey"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("So you can tell your passkeys apart, for example “work laptop”."),
    )


class ConfirmForm(FlaskForm):
    """A button with nothing but its CSRF token (forget a device, remove a passkey)."""
