"""Forms of applications: applying, naming the panel, recommending, deciding. Input only;
the services judge it and their messages appear beside the same fields."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.applications.kinds import LABELS, Recommendation
from app.forms_util import FinalConfirmMixin


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ApplyForm(FlaskForm):
    enrolment_id = SelectField(_l("Programme"), coerce=_int, validate_choice=False)
    statement = TextAreaField(
        _l("A statement for the panel (optional)"),
        description=_l("Anything the panel should know beyond your records."),
        validators=[Optional()],
    )
    submit = SubmitField(_l("Apply for accreditation"))


class PanelForm(FlaskForm):
    user_id = SelectField(_l("Panel member"), coerce=_int, validate_choice=False)
    submit = SubmitField(_l("Name to the panel"))


def _choices() -> list[tuple[str, str]]:
    return [(r.value, str(LABELS[r])) for r in Recommendation]


class ReviewForm(FlaskForm):
    recommendation = SelectField(_l("Your recommendation"), choices=_choices, validate_choice=False)
    reasons = TextAreaField(_l("Your reasons"))
    submit = SubmitField(_l("Record my recommendation"))


class DecisionForm(FinalConfirmMixin, FlaskForm):
    decision = SelectField(_l("The panel's decision"), choices=_choices, validate_choice=False)
    reasons = TextAreaField(_l("Reasons (sent to the trainee)"))
    actions = TextAreaField(_l("Actions before applying again (deferral only)"), validators=[Optional()])
    deferred_until = DateField(_l("Apply again from (deferral only)"), validators=[Optional()])
    level = SelectField(
        _l("Status level conferred (accreditation only)"),
        choices=[],  # the association's levels, set by the view
        validate_choice=False,
    )
    submit = SubmitField(_l("Sign and record the decision"))


class LetterForm(FlaskForm):
    reason = TextAreaField(
        _l("Why make the letter again"),
        validators=[DataRequired(), Length(max=1900)],
        description=_l(
            "For example a corrected name or a new letter design. The letter is rendered again from the "
            "signed decision and stored as a new version; the old one stays stored."
        ),
    )
    submit = SubmitField(_l("Regenerate the decision letter"))
