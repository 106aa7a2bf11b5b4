"""Forms for decisions on requirements, version moves, profiles and competency reports."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms_util import FinalConfirmMixin
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
    SelectChoice("ready", _l("Ready: I recommend accreditation")),
    SelectChoice("not_yet", _l("Not yet ready")),
]
KINDS = [SelectChoice("periodic", _l("Periodic report")), SelectChoice("final", _l("Final report"))]
LEVEL_CHOICES = [SelectChoice(level, str(level)) for level in range(1, 6)]


def report_form_class(competencies, evidence_choices=()):
    """A rubric form: one level (1 to 5) per competency, with the evidence cited for it.

    Required choices have no default (nothing preselected) and no choice validation here:
    the service checks every field and words each message, so the form and the API agree.
    """

    class ReportForm(PrivacyConfirmMixin, FlaskForm):
        kind = SelectField(_l("Kind of report"), choices=KINDS)
        period_start = DateField(_l("Period from"), validators=[Optional()])
        period_end = DateField(_l("Period to"), validators=[Optional()])  # required: the service says so
        narrative = TextAreaField(
            _l("Narrative"),
            validators=[Length(max=20_000)],
            description=_l("The trainee's development as a leader. No patient details."),
            render_kw={"class": "rp-prose", "rows": 10},
        )
        recommendation = RadioField(_l("Recommendation"), choices=RECOMMENDATIONS, validate_choice=False)
        is_reviewed_with_trainee = BooleanField(_l("I have discussed this report with the trainee"))
        save = SubmitField(_l("Save draft"))

    for competency in competencies:
        setattr(
            ReportForm,
            f"rating_{competency.id}",
            RadioField(competency.label, choices=LEVEL_CHOICES, coerce=int, validate_choice=False),
        )
        setattr(
            ReportForm,
            f"evidence_{competency.id}",
            SelectMultipleField(
                _l("Evidence"),
                choices=list(evidence_choices),
                validate_choice=False,
                widget=ListWidget(prefix_label=False),
                option_widget=CheckboxInput(),
            ),
        )
    return ReportForm


class AcknowledgeForm(PrivacyConfirmMixin, FlaskForm):
    comment = TextAreaField(
        _l("Your comment (optional)"),
        validators=[Length(max=5000)],
        description=_l("Your supervisor and the association read it with the report."),
        render_kw={"class": "rp-prose", "rows": 5},
    )
    submit = SubmitField(_l("Acknowledge the report"))


class SignForm(FinalConfirmMixin, FlaskForm):
    """Signing makes the report final: the "cannot be undone" tick (or dialog) first."""

    submit = SubmitField(_l("Sign the report (final)"))
