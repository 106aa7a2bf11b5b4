"""Forms for signing in, passwords and invitations. They validate input only."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from app.accounts.passwords import MIN_PASSWORD_LENGTH
from app.validators import EmailAddress


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    submit = SubmitField(_l("Log in"))


SHORT_PASSWORD = _l(
    "This password is too short: choose at least %(min)d characters (it has %(length)d). "
    "A short sentence is easy to remember and hard to guess."
)
#: Password managers offer a fresh password for fields marked so, not the saved one.
NEW_PASSWORD = {"autocomplete": "new-password"}


def _new_password_fields():
    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(message=_l("Choose a password.")),
            Length(min=MIN_PASSWORD_LENGTH, message=SHORT_PASSWORD),
            Length(max=256),
        ],
        description=_l("At least %(n)d characters. A short sentence works well.", n=MIN_PASSWORD_LENGTH),
        render_kw=NEW_PASSWORD,
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(message=_l("Type the password again.")),
            EqualTo("password", message=_l("The two passwords differ.")),
        ],
        render_kw=NEW_PASSWORD,
    )
    return password, confirm


class NewPasswordMixin:
    password, confirm = _new_password_fields()


class AcceptInvitationForm(FlaskForm):
    # Name first: a person introduces themselves before choosing a password.
    name = StringField(
        _l("Your name"),
        validators=[DataRequired(message=_l("Please enter your name.")), Length(max=200)],
        description=_l("As it should appear on your certificate."),
        render_kw={"autocomplete": "name"},
    )
    password, confirm = _new_password_fields()
    submit = SubmitField(_l("Join"))


class JoinWithExistingAccountForm(FlaskForm):
    submit = SubmitField(_l("Accept the invitation"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=256)],
        description=_l("At least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(),
            EqualTo("new_password", message=_l("The two passwords differ.")),
        ],
    )
    submit = SubmitField(_l("Change password"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), EmailAddress(), Length(max=254)])
    submit = SubmitField(_l("Send me a link"))


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    submit = SubmitField(_l("Set the new password"))


class LogoutForm(FlaskForm):
    submit = SubmitField(_l("Log out"))


class SwitchAssociationForm(FlaskForm):
    submit = SubmitField(_l("Switch"))
