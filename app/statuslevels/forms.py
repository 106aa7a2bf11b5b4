"""Forms of the status levels page. They validate input only; the services enforce the rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from app.forms_util import CheckboxesField


class GrantLevelForm(FlaskForm):
    user_id = SelectField(_l("Person"), coerce=int, choices=[], validate_choice=False)
    level = SelectField(_l("Status level"), choices=[], validate_choice=False)
    since = DateField(_l("Held from"), validators=[DataRequired()])
    until = DateField(
        _l("Held until (optional)"), validators=[Optional()], description=_l("Empty: held until ended.")
    )
    submit = SubmitField(_l("Grant the level"))


class EndLevelForm(FlaskForm):
    until = DateField(_l("Last day held"), validators=[DataRequired()])
    submit = SubmitField(_l("End"))


class DefineLevelForm(FlaskForm):
    slug = StringField(
        _l("Short name"),
        validators=[DataRequired(), Length(max=40)],
        description=_l("What rule sets name, e.g. leader-trainer. It cannot change later."),
    )
    label = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    submit = SubmitField(_l("Declare the level"))


class PermissionForm(FlaskForm):
    levels = CheckboxesField(_l("Levels that allow it"), choices=[], validate_choice=False)
    submit = SubmitField(_l("Save"))


class AccreditationLevelForm(FlaskForm):
    level = SelectField(_l("Level the panel's accreditation grants"), choices=[], validate_choice=False)
    submit = SubmitField(_l("Save"))
