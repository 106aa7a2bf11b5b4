"""Forms an admin records profile facts with (validation of input only)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.profiles.kinds import EXAM_KINDS, EXAM_OUTCOMES, QUALIFICATION_KINDS


def _choices(words: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice(value, _l(label)) for value, label in words.items()]


class TrackForm(FlaskForm):
    track = SelectField(_l("Professional-background track"), validate_choice=False)
    submit = SubmitField(_l("Save the track"))


class MembershipForm(FlaskForm):
    started_on = DateField(_l("Member from"), validators=[DataRequired()])
    ended_on = DateField(
        _l("Member until (last day)"),
        validators=[Optional()],
        description=_l("Leave empty while the membership continues."),
    )
    submit = SubmitField(_l("Add the period"))


class QualificationForm(FlaskForm):
    # Ids of their own: the qualification and exam forms share one page, and both name a "kind".
    kind = SelectField(_l("Qualification"), choices=_choices(QUALIFICATION_KINDS), id="qualification-kind")
    obtained_on = DateField(_l("Obtained on"), validators=[DataRequired()])
    submit = SubmitField(_l("Add the qualification"))


class ExamForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=_choices(EXAM_KINDS), id="exam-kind")
    outcome = SelectField(_l("Outcome"), choices=_choices(EXAM_OUTCOMES))
    occurred_on = DateField(_l("Date"), validators=[DataRequired()])
    examiner_id = SelectField(_l("Examiner"), coerce=int, validate_choice=False)
    examiner_name = StringField(
        _l("Or the examiner's name"),
        validators=[Length(max=200)],
        description=_l("An examiner from outside."),
    )
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])
    submit = SubmitField(_l("Record the result"))


class RemoveForm(FlaskForm):
    submit = SubmitField(_l("Remove"))
