"""Admin forms. They validate input only; the services enforce the rules."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from app.accounts.models import Role
from app.forms_util import CheckboxesField
from app.validators import EmailAddress

ROLE_CHOICES = [
    SelectChoice(Role.TRAINEE.value, _l("Trainee")),
    SelectChoice(Role.SUPERVISOR.value, _l("Supervisor")),
    SelectChoice(Role.ADMIN.value, _l("Admin")),
]


class InviteForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), EmailAddress(), Length(max=254)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    programme_id = SelectField(
        _l("Enrol on a programme"),
        coerce=int,
        choices=[],
        validators=[Optional()],
        description=_l("Trainees only: accepting the invitation enrols them."),
    )
    supervisor_ids = CheckboxesField(_l("Supervisors"), coerce=int, choices=[])
    submit = SubmitField(_l("Send invitation"))


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    submit = SubmitField(_l("Apply"))


class ConfirmForm(FlaskForm):
    submit = SubmitField(_l("Confirm"))


class ProgrammeForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(
        _l("Short name"),
        validators=[
            DataRequired(),
            Length(max=60),
            Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$", message=_l("Lower-case letters, digits, hyphens.")),
        ],
        description=_l("Used in links and the command line, e.g. leader-accreditation."),
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])
    validity_months = IntegerField(
        _l("Certificate validity in months"),
        validators=[Optional(), NumberRange(min=1, max=600)],
        description=_l("Leave empty if certificates do not expire."),
    )
    module_pass_mark = IntegerField(
        _l("Pass mark of the module's final test (%)"),
        default=80,
        validators=[InputRequired(), NumberRange(min=0, max=100)],
    )
    preset = SelectField(_l("Start from a preset"), choices=[], validate_choice=False)
    rule_set = TextAreaField(
        _l("Rule set (YAML)"),
        validators=[Optional(), Length(max=200_000)],
        description=_l("Paste a rule set, or leave empty to use the preset."),
    )
    submit = SubmitField(_l("Create programme"))


class ValidityForm(FlaskForm):
    validity_months = IntegerField(
        _l("Certificate validity in months"),
        validators=[Optional(), NumberRange(min=1, max=600)],
        description=_l(
            "Leave empty if certificates do not expire. Applies to certificates issued or renewed "
            "from now on; issued certificates keep their dates."
        ),
    )
    submit = SubmitField(_l("Save validity"))


class RuleSetForm(FlaskForm):
    rule_set = TextAreaField(_l("Rule set (YAML)"), validators=[DataRequired(), Length(max=200_000)])
    submit = SubmitField(_l("Save as a new version"))


class EnrolForm(FlaskForm):
    trainee_id = SelectField(_l("Trainee"), coerce=int, validators=[DataRequired()])
    programme_id = SelectField(_l("Programme"), coerce=int, validators=[DataRequired()])
    supervisor_ids = CheckboxesField(
        _l("Supervisors"),
        coerce=int,
        validators=[DataRequired(message=_l("Choose at least one supervisor."))],
    )
    started_on = DateField(_l("Start date"), default=date.today, validators=[DataRequired()])
    submit = SubmitField(_l("Enrol"))


class SupervisorsForm(FlaskForm):
    supervisor_ids = CheckboxesField(
        _l("Supervisors"),
        coerce=int,
        validators=[DataRequired(message=_l("Choose at least one supervisor."))],
    )
    submit = SubmitField(_l("Save supervisors"))
