"""Forms for decisions on requirements, version moves, profiles and competency reports."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.privacy.forms import PrivacyConfirmMixin

DECISIONS = [
    SelectChoice("waived", _l("Waive this requirement")),
    SelectChoice("met", _l("Decide: met (manual requirements)")),
    SelectChoice("not_met", _l("Decide: not met (manual requirements)")),
    SelectChoice("withdrawn", _l("Withdraw the earlier waiver or decision")),
]


class DecisionForm(FlaskForm):
    requirement_id = SelectField(_l("Requirement"), validate_choice=False)
    decision = SelectField(_l("Decision"), choices=DECISIONS)
    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(), Length(min=5, max=2000)],
        description=_l("Kept in the audit trail."),
    )
    submit = SubmitField(_l("Record the decision"))


class VersionForm(FlaskForm):
    rule_set_id = SelectField(_l("Rule-set version"), coerce=int, validate_choice=False)
    submit = SubmitField(_l("Move to this version"))


class ProfileForm(FlaskForm):
    has_psychodynamic_training = BooleanField(_l("Has psychodynamic or psychoanalytic training"))
    qualified_on = DateField(_l("Date of professional qualification"), validators=[Optional()])
    submit = SubmitField(_l("Save profile"))


RECOMMENDATIONS = [
    SelectChoice("not_yet", _l("Not yet ready")),
    SelectChoice("ready", _l("Ready: I recommend accreditation")),
]
KINDS = [SelectChoice("periodic", _l("Periodic report")), SelectChoice("final", _l("Final report"))]


def report_form_class(competencies):
    """A report form with one 1-5 rating per competency of the trainee's rule set."""

    class ReportForm(PrivacyConfirmMixin, FlaskForm):
        kind = SelectField(_l("Kind of report"), choices=KINDS)
        period_start = DateField(_l("Period from"), validators=[Optional()])
        period_end = DateField(_l("Period to"), validators=[DataRequired()])
        narrative = TextAreaField(
            _l("Narrative"),
            validators=[DataRequired(), Length(max=20_000)],
            description=_l("The trainee's development as a leader. No patient details."),
        )
        recommendation = RadioField(_l("Recommendation"), choices=RECOMMENDATIONS, default="not_yet")
        is_reviewed_with_trainee = BooleanField(_l("I have discussed this report with the trainee"))
        save = SubmitField(_l("Save draft"))

    for competency in competencies:
        setattr(
            ReportForm,
            f"rating_{competency.id}",
            IntegerField(
                competency.label,
                validators=[DataRequired(), NumberRange(min=1, max=5)],
                description=_l("1 = not yet evident … 5 = consistently strong"),
            ),
        )
    return ReportForm


class SignForm(FlaskForm):
    submit = SubmitField(_l("Sign the report (final)"))
