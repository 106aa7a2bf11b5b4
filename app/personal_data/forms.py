"""Forms of the data-protection pages. They validate input only; the services decide."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, PasswordField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class ErasureRequestForm(FlaskForm):
    reason = TextAreaField(
        _l("Anything the admins should know (optional)"), validators=[Optional(), Length(max=2000)]
    )
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
        description=_l("So that nobody at an unattended screen can ask in your name."),
    )
    is_understood = BooleanField(
        _l("I understand that this cannot be undone once an association has decided."),
        validators=[DataRequired(_l("Tick the box to confirm."))],
    )
    submit = SubmitField(_l("Ask for my data to be erased"))


class DecisionForm(FlaskForm):
    note = TextAreaField(
        _l("Note to the person"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Required when you decline: the person is told why."),
    )
    approve = SubmitField(_l("Erase their data"))
    decline = SubmitField(_l("Decline"))


class RetentionForm(FlaskForm):
    years = IntegerField(
        _l("Delete drafts and unsigned records untouched for this many years"),
        validators=[Optional(), NumberRange(min=1, max=50)],
        description=_l("Leave empty to keep them until someone deletes them."),
    )
    submit = SubmitField(_l("Save"))
